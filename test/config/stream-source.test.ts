import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { problemsOf } from '../helpers/config-problems.js';
import { copyConfig } from '../helpers/repo.js';

function withSources(yaml: string): string {
  const dir = copyConfig();
  writeFileSync(join(dir, 'sources.yaml'), `sources:\n${yaml}`);
  return dir;
}

const AGENCY = "  - { id: agency, kind: bluesky-author, actor: 'did:plc:agencyexamplegov000000000', trust: official, speaksFor: all }\n";

describe('a bluesky-stream source in sources.yaml', () => {
  it('loads with url or urls and a mode; its trust is social unless said, and its limit is its own', () => {
    const config = loadConfig(
      withSources(`${AGENCY}  - { id: follow, kind: bluesky-stream, url: 'wss://jetstream2.us-east.bsky.network/subscribe', mode: authors }
  - { id: firehose, kind: bluesky-stream, urls: ['wss://a.example/subscribe', 'ws://b.example/subscribe'], mode: firehose, trust: press, maxLag: 60 }
`),
    );
    expect(config.sources.slice(1).map((s) => [s.id, s.mode, s.trust, s.maxLag, s.urls?.length ?? s.url])).toEqual([
      ['follow', 'authors', 'social', undefined, 'wss://jetstream2.us-east.bsky.network/subscribe'],
      ['firehose', 'firehose', 'press', 60, 2],
    ]);
    expect(config.warnings).toEqual([]);
  });

  it('takes a watchdog and a retention, in seconds, and warns of a watchdog that outlasts the lag limit', () => {
    const config = loadConfig(withSources("  - { id: s, kind: bluesky-stream, url: 'wss://j.example/subscribe', mode: firehose, watchdog: 30, retention: 259200 }\n  - { id: t, kind: bluesky-stream, url: 'wss://j.example/subscribe', mode: firehose, watchdog: 90, maxLag: 60 }\n"));
    expect(config.sources.map((s) => [s.watchdog, s.retention])).toEqual([[30, 259200], [90, undefined]]);
    expect(config.warnings.map((w) => `${w.line} ${w.field}: ${w.message}`)).toEqual(['3 sources[1].watchdog: a watchdog of 90 s reconnects a silent connection only after the lag has passed maxLag (60 s): make it shorter']);
    expect(problemsOf(withSources("  - { id: wire, kind: rss, url: 'https://wire.example/feed', trust: press, watchdog: 10 }\n"))).toEqual([expect.stringMatching(/sources\.yaml:2: sources\[0\]\.watchdog: only a bluesky-stream source has "watchdog"/)]);
  });

  it('is never official, naming file, line and field', () => {
    const problems = problemsOf(withSources(`${AGENCY}  - { id: s, kind: bluesky-stream, url: 'wss://j.example/subscribe', mode: firehose, trust: official }\n`));
    expect(problems).toEqual([expect.stringMatching(/sources\.yaml:3: sources\[1\]\.trust: a stream is never official/)]);
  });

  it('needs a ws:// or wss:// endpoint and a mode', () => {
    expect(problemsOf(withSources("  - { id: s, kind: bluesky-stream, mode: firehose }\n"))).toEqual([expect.stringMatching(/sources\.yaml:2: sources\[0\]: a bluesky-stream source needs "url" or "urls"/)]);
    expect(problemsOf(withSources("  - { id: s, kind: bluesky-stream, url: 'https://j.example/subscribe', mode: firehose }\n"))).toEqual([
      expect.stringMatching(/sources\.yaml:2: sources\[0\]\.url: "https:\/\/j\.example\/subscribe" is not a ws:\/\/ or wss:\/\/ URL/),
    ]);
    expect(problemsOf(withSources("  - { id: s, kind: bluesky-stream, url: 'wss://j.example/subscribe' }\n"))).toEqual([expect.stringMatching(/sources\.yaml:2: sources\[0\]: a bluesky-stream source needs "mode": authors or firehose/)]);
    expect(problemsOf(withSources("  - { id: s, kind: bluesky-stream, url: 'wss://j.example/subscribe', mode: everything }\n"))).toEqual([expect.stringMatching(/sources\.yaml:2: sources\[0\]\.mode: Invalid option/)]);
    expect(problemsOf(withSources("  - { id: s, kind: bluesky-stream, url: 'wss://a.example/subscribe', urls: ['wss://b.example/subscribe'], mode: firehose }\n"))).toEqual([
      expect.stringMatching(/sources\.yaml:2: sources\[0\]\.urls: give "url" or "urls", not both/),
    ]);
  });

  it('keeps its fields to itself: another kind with a mode, a ws:// url or no trust is refused', () => {
    expect(problemsOf(withSources("  - { id: wire, kind: rss, url: 'https://wire.example/feed', trust: press, mode: firehose }\n"))).toEqual([expect.stringMatching(/sources\.yaml:2: sources\[0\]\.mode: only a bluesky-stream source has "mode"/)]);
    expect(problemsOf(withSources("  - { id: wire, kind: rss, url: 'wss://wire.example/feed', trust: press }\n"))).toEqual([expect.stringMatching(/sources\.yaml:2: sources\[0\]\.url: "wss:\/\/wire\.example\/feed" is not an http:\/\/ or https:\/\/ URL/)]);
    expect(problemsOf(withSources("  - { id: wire, kind: rss, url: 'https://wire.example/feed' }\n"))).toEqual([expect.stringMatching(/sources\.yaml:2: sources\[0\]: a rss source needs "trust"/)]);
  });

  it('in authors mode warns when the accounts it would follow are named by handle, which it does not resolve yet', () => {
    const config = loadConfig(withSources("  - { id: lab, kind: bluesky-author, actor: lab.example.com, trust: official, speaksFor: [meta] }\n  - { id: follow, kind: bluesky-stream, url: 'wss://j.example/subscribe', mode: authors }\n"));
    expect(config.warnings.map((w) => `${w.line} ${w.field}: ${w.message}`)).toEqual([
      '3 sources[1].mode: authors mode follows the bluesky-author sources whose actor is a DID, and none is: the stream reads nothing',
    ]);
  });
});
