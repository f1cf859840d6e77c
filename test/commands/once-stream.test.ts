import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyConfig, pactwatch } from '../helpers/cli.js';
import { startJetstreamServer, type JetstreamServer } from '../helpers/jetstream-server.js';

let server: JetstreamServer;
beforeAll(async () => {
  server = await startJetstreamServer();
});
afterAll(() => server.close());

function post(rkey: string, text: string, timeUs: number): Record<string, unknown> {
  return {
    did: 'did:plc:someoneposting00000000000',
    time_us: timeUs,
    kind: 'commit',
    commit: { rev: rkey, operation: 'create', collection: 'app.bsky.feed.post', rkey, record: { $type: 'app.bsky.feed.post', createdAt: new Date(timeUs / 1000).toISOString(), text }, cid: 'bafyreibqw5tl4retkfw6wuoor5fe6lkxcpcrom24tjyfqx7ecskvysjdou' },
  };
}

interface Once {
  sources: { id: string; outcome: string; items: number; newItems: number }[];
  alerts: unknown[];
}

describe('pactwatch once with a bluesky-stream source', () => {
  it('first stores the present silently, then reads only what is new from its cursor, and nothing twice', async () => {
    const config = copyConfig();
    writeFileSync(join(config, 'sources.yaml'), `sources:\n  - { id: firehose, kind: bluesky-stream, url: '${server.url}', mode: firehose }\n`);
    const db = join(mkdtempSync(join(tmpdir(), 'pw-stream-')), 'pactwatch.db');
    const env = { PACTWATCH_ALLOW_PRIVATE_NETWORK: '1' };
    const once = async () => {
      const run = await pactwatch(['once', '--json', '--config', config, '--db', db], { env });
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as Once;
    };
    // Posts from before the first run: not read (a first run starts at the present).
    const old = Date.now() * 1000 - 3_600_000_000;
    server.frames.push(post('3lold0000001', 'Meta has signed the CAISI agreement, an old post says.', old));

    const startedUs = Date.now() * 1000;
    const first = await once();
    expect(first.sources).toEqual([{ id: 'firehose', outcome: 'ok', items: 0, newItems: 0 }]);
    const status = JSON.parse((await pactwatch(['status', '--json', '--config', config, '--db', db])).stdout) as { sources: { id: string; kind: string; lastSuccess: string; nextPoll: null }[] };
    expect(status.sources).toEqual([{ id: 'firehose', kind: 'bluesky-stream', lastSuccess: expect.any(String), lastError: null, nextPoll: null }]);
    expect(Date.parse(status.sources[0]!.lastSuccess) * 1000).toBeGreaterThanOrEqual(Math.floor(startedUs / 1000) * 1000);
    const storedAt = Date.parse(status.sources[0]!.lastSuccess);

    // Two posts after the stored cursor: the one naming a party is read, lunch is not.
    server.frames.push(post('3lnew0000001', 'Meta has signed the CAISI agreement, reports say.', storedAt * 1000 + 1_000), post('3lnew0000002', 'Lunch was great today.', storedAt * 1000 + 2_000));
    const second = await once();
    expect(second.sources).toEqual([{ id: 'firehose', outcome: 'ok', items: 1, newItems: 1 }]);
    const after = JSON.parse((await pactwatch(['status', '--json', '--config', config, '--db', db])).stdout) as { sources: { lastSuccess: string }[] };
    expect(after.sources[0]!.lastSuccess).toBe(new Date(storedAt + 2).toISOString());

    // The rewind sends the last post again: it is the same post, stored once.
    const third = await once();
    expect(third.sources).toEqual([{ id: 'firehose', outcome: 'ok', items: 1, newItems: 0 }]);
    expect(server.requests.at(-1)!.searchParams.get('cursor')).toBe(String(storedAt * 1000 + 2_000 - 5_000_000));
  });
});
