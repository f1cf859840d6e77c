import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Source } from '../../src/config/types.js';
import type { SourceState } from '../../src/model/ledger.js';
import { Fetcher } from '../../src/http/fetch.js';
import { pollSource, initialState, type PollDeps } from '../../src/sources/poll.js';
import { REWIND_US } from '../../src/sources/jetstream.js';
import { MAX_EVENT_BYTES } from '../../src/sources/jetstream-event.js';
import { readFrames, startJetstreamServer, type JetstreamServer } from '../helpers/jetstream-server.js';

const T0 = 1795176000000000; // 2026-11-20T12:00:00Z in microseconds, as the fixture's time_us
const NOW = new Date('2026-11-20T12:10:00Z');
const fetcher = new Fetcher({ hostSpacingMs: 0 });
let server: JetstreamServer;

const oversized = {
  did: 'did:plc:someoneposting00000000000',
  time_us: T0 + 7_000_000,
  kind: 'commit',
  commit: { rev: '3lbig', operation: 'create', collection: 'app.bsky.feed.post', rkey: '3lcaisi00007', record: { text: `Meta and CAISI ${'x'.repeat(MAX_EVENT_BYTES)}` } },
};

beforeAll(async () => {
  const frames = readFrames(readFileSync(join(import.meta.dirname, '../../fixtures/jetstream/caisi-posts.jsonl'), 'utf8'));
  // Before the last post: the catch-up goes on past it.
  frames.splice(frames.length - 1, 0, oversized);
  server = await startJetstreamServer(frames);
});
afterAll(async () => {
  await fetcher.close();
  await server.close();
});

const agency: Source = { id: 'bsky-agency', kind: 'bluesky-author', actor: 'did:plc:agencyexamplegov000000000', trust: 'official', speaksFor: 'all', publisher: 'agency.example.gov', where: { file: 't' } };
const meta: Source = { id: 'bsky-meta', kind: 'bluesky-author', actor: 'did:plc:metanewsroom0000000000000', trust: 'official', speaksFor: ['meta'], publisher: 'meta.com', where: { file: 't' } };
const handle: Source = { id: 'bsky-reporter', kind: 'bluesky-author', actor: 'reporter.example.com', trust: 'press', publisher: 'reporter.example.com', where: { file: 't' } };
const accounts = new Map([agency, meta, handle].map((s) => [s.actor!, s]));

function stream(mode: 'authors' | 'firehose', url = server.url): Source {
  return { id: `jetstream-${mode}`, kind: 'bluesky-stream', url, mode, trust: 'social', publisher: 'jetstream', where: { file: 't' } };
}

function deps(prefilter = (t: string) => /CAISI|Meta/.test(t)): PollDeps {
  return { now: () => NOW, random: () => 0.5, force: true, accounts, stream: { prefilter, allowPrivateNetwork: true, quietMs: 300 } };
}

/** A state that has read up to `cursorUs` before. */
function after(source: Source, cursorUs: number): SourceState {
  return { ...initialState(source), cursor: String(cursorUs), lastSuccess: '2026-11-20T11:59:59.000Z' };
}

describe('a bluesky-stream source in authors mode', () => {
  it('asks for posts by the DIDs of the author sources, from the cursor minus the rewind, and gives each post its author source', async () => {
    const source = stream('authors');
    const poll = await pollSource(fetcher, source, after(source, T0), deps());
    expect(poll.outcome).toBe('ok');
    const asked = server.requests.at(-1)!;
    expect(asked.searchParams.getAll('wantedCollections')).toEqual(['app.bsky.feed.post']);
    expect(asked.searchParams.getAll('wantedDids').sort()).toEqual([agency.actor, meta.actor]);
    expect(asked.searchParams.get('cursor')).toBe(String(T0 - REWIND_US));
    expect(poll.items.map((i) => [i.id, i.trust, i.publisher, i.speaksFor])).toEqual([
      ['at://did:plc:agencyexamplegov000000000/app.bsky.feed.post/3lcaisi00005', 'official', 'agency.example.gov', 'all'],
      ['at://did:plc:metanewsroom0000000000000/app.bsky.feed.post/3lcaisi00008', 'official', 'meta.com', ['meta']],
    ]);
    expect(poll.items[0]).toMatchObject({
      url: 'https://agency.example.gov/news/meta',
      via: 'https://bsky.app/profile/did:plc:agencyexamplegov000000000/post/3lcaisi00005',
      text: 'CAISI today signed a pre-release testing agreement with Meta. agency.example.gov/news/meta\n\nCAISI signs agreement with Meta\n\nPre-release testing of frontier models.',
      author: agency.actor,
      publishedAt: new Date('2026-11-20T12:00:04.500Z'),
    });
    // The last event read, the cursor; its time, the last success; a stream has no next poll.
    expect(poll.state).toMatchObject({ cursor: String(T0 + 8_000_000), lastSuccess: '2026-11-20T12:00:08.000Z', nextPoll: null, failures: 0 });
  });

  it('says, in a note, that a cursor older than the stream keeps leaves a gap only the polled Bluesky sources cover', async () => {
    const source = stream('authors');
    const twoDaysBefore = T0 - 2 * 86_400_000_000;
    const poll = await pollSource(fetcher, source, after(source, twoDaysBefore), deps());
    expect(poll.outcome).toBe('ok');
    expect(poll.notes![0]).toBe('the stream no longer holds 2026-11-18T12:00:00.000Z to 2026-11-19T12:10:00.000Z: posts of that time come only from the bluesky-search and bluesky-author sources');
  });

  it('with no author named by DID reads nothing and says why', async () => {
    const poll = await pollSource(fetcher, stream('authors'), undefined, { ...deps(), accounts: new Map([[handle.actor!, handle]]) });
    expect(poll.outcome).toBe('error');
    expect(poll.error).toMatch(/no bluesky-author source names its account by DID/);
  });
});

describe('a bluesky-stream source in firehose mode', () => {
  it('keeps the posts that pass the prefilter and every configured account\'s post, and skips bad frames with a reason', async () => {
    const source = stream('firehose');
    const poll = await pollSource(fetcher, source, after(source, T0), deps());
    expect(server.requests.at(-1)!.searchParams.has('wantedDids')).toBe(false);
    // Lunch fails the prefilter; the Meta newsroom's post names no party but is a configured account's.
    expect(poll.items.map((i) => `${i.id.split('/').pop()} ${i.trust}`)).toEqual(['3lcaisi00001 social', '3lcaisi00005 official', '3lcaisi00008 official']);
    // Anyone else's post is the post, not the link it carries, so it never stands in for an article.
    expect(poll.items[0]).toMatchObject({ url: 'https://bsky.app/profile/did:plc:someoneposting00000000000/post/3lcaisi00001', publisher: 'did:plc:someoneposting00000000000', speaksFor: null });
    expect(poll.notes).toEqual([
      expect.stringMatching(new RegExp(`^skipped a frame after time_us ${T0 + 4_000_000}: not JSON`)),
      expect.stringMatching(new RegExp(`^skipped a frame after time_us ${T0 + 6_000_000}: a frame of \\d+ bytes \\(over ${MAX_EVENT_BYTES}\\)`)),
    ]);
    expect(poll.state.cursor).toBe(String(T0 + 8_000_000));
  });

  it('passes on the posts deleted by their authors, by the at:// URI their items carry, even one created in the same catch-up', async () => {
    const source = stream('firehose');
    const poll = await pollSource(fetcher, source, after(source, T0), deps());
    expect(poll.deleted).toEqual(['at://did:plc:someoneposting00000000000/app.bsky.feed.post/3lcaisi00001']);
    expect(poll.items.map((i) => i.id)).toContain(poll.deleted![0]);
    // Authors mode follows only the configured accounts: nobody else's delete is asked for.
    const followed = await pollSource(fetcher, stream('authors'), after(source, T0), deps());
    expect(followed.deleted).toEqual([]);
  });

  it('stops at the present: an event stamped at or after the start of the catch-up is the next run\'s', async () => {
    const source = stream('firehose');
    const poll = await pollSource(fetcher, source, after(source, T0), { ...deps(), now: () => new Date('2026-11-20T12:00:05.000Z') });
    expect(poll.items.map((i) => i.id.split('/').pop())).toEqual(['3lcaisi00001']);
    expect(poll.state.cursor).toBe(String(T0 + 4_000_000));
  });

  it('a prefilter that matches nothing keeps only the configured accounts\' posts', async () => {
    const source = stream('firehose');
    const poll = await pollSource(fetcher, source, after(source, T0), deps(() => false));
    expect(poll.items.map((i) => i.author)).toEqual([agency.actor, meta.actor]);
  });
});

describe('a bluesky-stream source that cannot connect', () => {
  it('is an error outcome naming the endpoint, and the cursor stays where it was', async () => {
    const source = stream('firehose', server.url.replace('/subscribe', '/nowhere'));
    const poll = await pollSource(fetcher, source, after(source, T0), deps());
    expect(poll.outcome).toBe('error');
    expect(poll.error).toContain('/nowhere');
    expect(poll.state.cursor).toBe(String(T0));
  });

  it('tries the next of its urls', async () => {
    const source = { ...stream('firehose'), url: undefined, urls: [server.url.replace('/subscribe', '/nowhere'), server.url] };
    const poll = await pollSource(fetcher, source, after(source, T0), deps());
    expect(poll.outcome).toBe('ok');
    expect(poll.items).toHaveLength(3);
  });

  it('refuses a loopback endpoint unless private addresses are allowed', async () => {
    const source = stream('firehose');
    const poll = await pollSource(fetcher, source, after(source, T0), { ...deps(), stream: { prefilter: () => true, allowPrivateNetwork: false, quietMs: 300 } });
    expect(poll.outcome).toBe('error');
    expect(poll.error).toMatch(/127\.0\.0\.1 is internal \(loopback address\)/);
  });
});
