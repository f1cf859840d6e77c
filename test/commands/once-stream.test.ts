import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyConfig, pactwatch } from '../helpers/cli.js';
import { startJetstreamServer, type JetstreamServer } from '../helpers/jetstream-server.js';
import { startLocalBluesky, type LocalBluesky } from '../helpers/local-bluesky.js';

let server: JetstreamServer;
let bluesky: LocalBluesky;
beforeAll(async () => {
  server = await startJetstreamServer();
  bluesky = await startLocalBluesky();
}, 60_000);
afterAll(async () => {
  await server.close();
  await bluesky?.close();
});

function post(rkey: string, text: string, timeUs: number, did = 'did:plc:someoneposting00000000000'): Record<string, unknown> {
  return {
    did,
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

describe('pactwatch once with a stream in authors mode and an account named by handle', () => {
  it("resolves the handle at the PDS, follows its DID, and gives its post the account's trust; a handle that names nobody is a warning naming its source", async () => {
    const newsroom = await bluesky.account('newsroom-meta.test');
    const config = copyConfig();
    writeFileSync(
      join(config, 'sources.yaml'),
      [
        'sources:',
        '  - { id: bsky-meta, kind: bluesky-author, actor: newsroom-meta.test, trust: official, speaksFor: [meta], publisher: meta.com }',
        '  - { id: bsky-gone, kind: bluesky-author, actor: gone.test, trust: press, publisher: gone.test }',
        `  - { id: follow, kind: bluesky-stream, url: '${server.url}', mode: authors }`,
        '',
      ].join('\n'),
    );
    const db = join(mkdtempSync(join(tmpdir(), 'pw-stream-handles-')), 'pactwatch.db');
    const env = { PACTWATCH_ALLOW_PRIVATE_NETWORK: '1', BSKY_SERVICE: bluesky.service };
    const once = async () => {
      const run = await pactwatch(['once', '--json', '--config', config, '--db', db], { env });
      expect(run.code, run.stderr).toBe(0);
      return { ...(JSON.parse(run.stdout) as Once & { transitions: { party: string; to: string }[] }), stderr: run.stderr };
    };
    const first = await once();
    expect(first.sources.find((s) => s.id === 'follow')).toEqual({ id: 'follow', outcome: 'ok', items: 0, newItems: 0 });
    expect(server.requests.at(-1)!.searchParams.getAll('wantedDids')).toEqual([newsroom.did]);
    expect(first.stderr).toMatch(/source follow: bluesky-author source "bsky-gone" \(\S+\/sources\.yaml:3\): handle gone\.test did not resolve to a DID \(400 InvalidRequest: Unable to resolve handle\)/);
    const read = new Database(db, { readonly: true });
    expect(read.prepare('SELECT handle, did FROM handles').all()).toEqual([{ handle: 'newsroom-meta.test', did: newsroom.did }]);
    read.close();

    const status = JSON.parse((await pactwatch(['status', '--json', '--config', config, '--db', db])).stdout) as { sources: { id: string; lastSuccess: string }[] };
    const storedAt = Date.parse(status.sources.find((s) => s.id === 'follow')!.lastSuccess);
    server.frames.push(post('3lmeta000001', 'We have signed the CAISI pre-release testing agreement.', storedAt * 1000 + 1_000, newsroom.did));
    const second = await once();
    expect(second.sources.find((s) => s.id === 'follow')).toEqual({ id: 'follow', outcome: 'ok', items: 1, newItems: 1 });
    // Official for Meta, as the account is: its own "we signed" confirms at once.
    expect(second.transitions).toEqual([expect.objectContaining({ party: 'meta', to: 'signed' })]);
  });
});
