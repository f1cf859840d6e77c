import Database from 'better-sqlite3';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyConfig, pactwatch } from '../helpers/cli.js';
import { startDaemon, type Daemon } from '../helpers/daemon.js';
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
    commit: { rev: rkey, operation: 'create', collection: 'app.bsky.feed.post', rkey, record: { $type: 'app.bsky.feed.post', createdAt: new Date(timeUs / 1000).toISOString(), text } },
  };
}


async function until(what: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; !(await what()); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what.toString()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stop(daemon: Daemon): Promise<number | null> {
  daemon.proc.kill('SIGTERM');
  return new Promise((done) => daemon.proc.once('exit', (code) => done(code)));
}

interface SourceRow {
  id: string;
  lastSuccess: string | null;
  nextPoll: string | null;
}

describe('pactwatch run with a bluesky-stream source', () => {
  it('reads the stream live: a post becomes a stored item at once, SIGTERM exits 0, and a restart resumes from the cursor', { timeout: 90_000 }, async () => {
    const config = copyConfig();
    writeFileSync(join(config, 'sources.yaml'), `sources:\n  - { id: firehose, kind: bluesky-stream, url: '${server.url}', mode: firehose }\n`);
    const db = join(mkdtempSync(join(tmpdir(), 'pw-run-stream-')), 'pactwatch.db');
    const env = { PACTWATCH_CONFIG: config, PACTWATCH_DB: db, PACTWATCH_ALLOW_PRIVATE_NETWORK: '1' };
    const stored = () => {
      const sql = new Database(db, { readonly: true });
      try {
        return (sql.prepare("SELECT guid FROM items WHERE source_id = 'firehose' ORDER BY id").all() as { guid: string }[]).map((r) => r.guid);
      } finally {
        sql.close();
      }
    };
    const sources = async (d: Daemon) => ((await (await fetch(`${d.base}/api/status.json`)).json()) as { sources: SourceRow[] }).sources;

    const first = await startDaemon(env);
    // The first run stores the present as the cursor, silently.
    await until(async () => (await sources(first))[0]?.lastSuccess != null);
    const timeUs = Date.now() * 1000;
    server.publish(post('3llive000001', 'Meta has signed the CAISI agreement, reports say.', timeUs));
    await until(() => stored().length === 1);
    expect(stored()).toEqual(['at://did:plc:someoneposting00000000000/app.bsky.feed.post/3llive000001']);
    expect(await sources(first)).toEqual([expect.objectContaining({ id: 'firehose', lastSuccess: new Date(timeUs / 1000).toISOString(), nextPoll: null })]);
    expect(first.stderr()).toContain('"msg":"stream connected"');
    expect(await stop(first)).toBe(0);
    expect(first.stderr()).toContain('"msg":"stopped"');

    // Posted while the daemon was down: the restart reads it from the cursor, and the first post is not stored again.
    server.publish(post('3llive000002', 'Meta has still not signed the CAISI agreement.', timeUs + 1_000_000));
    const second = await startDaemon(env);
    try {
      await until(() => stored().length === 2);
      expect(server.requests.at(-1)!.searchParams.get('cursor')).toBe(String(timeUs - 5_000_000));
      await new Promise((r) => setTimeout(r, 300));
      expect(stored()).toEqual(['at://did:plc:someoneposting00000000000/app.bsky.feed.post/3llive000001', 'at://did:plc:someoneposting00000000000/app.bsky.feed.post/3llive000002']);
      expect((await sources(second))[0]!.lastSuccess).toBe(new Date((timeUs + 1_000_000) / 1000).toISOString());

      // Its author deletes the first post: the live stream marks it deleted (pipeline/withdraw.ts).
      const deletedAt = () => {
        const sql = new Database(db, { readonly: true });
        try {
          return (sql.prepare("SELECT deleted_at FROM items WHERE guid LIKE '%/3llive000001'").get() as { deleted_at: string | null }).deleted_at;
        } finally {
          sql.close();
        }
      };
      expect(deletedAt()).toBeNull();
      server.publish({ did: 'did:plc:someoneposting00000000000', time_us: timeUs + 2_000_000, kind: 'commit', commit: { rev: 'r3', operation: 'delete', collection: 'app.bsky.feed.post', rkey: '3llive000001' } });
      await until(() => deletedAt() !== null);
      expect(second.stderr()).toContain('"msg":"deleted post withdrawn"');
    } finally {
      expect(await stop(second)).toBe(0);
    }
  });

  it('with a cursor older than the stream keeps, says so and polls the Bluesky search and author sources at once; with none, says the gap cannot be filled', { timeout: 90_000 }, async () => {
    const config = copyConfig();
    const stream = `  - { id: firehose, kind: bluesky-stream, url: '${server.url}', mode: firehose, retention: 60 }\n`;
    writeFileSync(join(config, 'sources.yaml'), `sources:\n${stream}  - { id: search, kind: bluesky-search, query: CAISI, trust: social, schedule: '0 0 1 1 *' }\n`);
    const db = join(mkdtempSync(join(tmpdir(), 'pw-run-stream-')), 'pactwatch.db');
    const env = { PACTWATCH_CONFIG: config, PACTWATCH_DB: db, PACTWATCH_ALLOW_PRIVATE_NETWORK: '1', BSKY_SERVICE: 'http://127.0.0.1:1' };
    expect((await pactwatch(['once'], { env })).code).toBe(0);
    const twoHoursAgo = (Date.now() - 7_200_000) * 1000;
    const age = () => {
      const sql = new Database(db);
      sql.prepare("UPDATE sources SET cursor = ? WHERE id = 'firehose'").run(String(twoHoursAgo));
      sql.close();
    };
    age();
    const gapLine = (logs: string) => logs.split('\n').find((l) => l.includes('stream gap'));
    const withSearch = await startDaemon(env);
    await until(() => gapLine(withSearch.stderr())?.includes('"polling":["search"]') ?? false);
    expect(JSON.parse(gapLine(withSearch.stderr())!)).toMatchObject({ level: 40, source: 'firehose', from: new Date(twoHoursAgo / 1000).toISOString() });
    await until(() => withSearch.stderr().split('\n').some((l) => l.includes('"source":"search"') && l.includes('"msg":"poll"')));
    expect(await stop(withSearch)).toBe(0);

    writeFileSync(join(config, 'sources.yaml'), `sources:\n${stream}`);
    age();
    const alone = await startDaemon(env);
    await until(() => gapLine(alone.stderr())?.includes('cannot be filled') ?? false);
    expect(await stop(alone)).toBe(0);
  });

  it('in authors mode, an official account\'s post becomes an alert at once, not at the next outbox pass', { timeout: 90_000 }, async () => {
    const config = copyConfig();
    const agency = 'did:plc:agencyexamplegov000000000';
    writeFileSync(
      join(config, 'sources.yaml'),
      `sources:
  - { id: agency, kind: bluesky-author, actor: '${agency}', trust: official, speaksFor: all, publisher: agency.example.gov, schedule: '0 0 1 1 *' }
  - { id: follow, kind: bluesky-stream, url: '${server.url}', mode: authors }
`,
    );
    const db = join(mkdtempSync(join(tmpdir(), 'pw-run-stream-')), 'pactwatch.db');
    const daemon = await startDaemon({ PACTWATCH_CONFIG: config, PACTWATCH_DB: db, PACTWATCH_ALLOW_PRIVATE_NETWORK: '1', BSKY_SERVICE: 'http://127.0.0.1:1' });
    try {
      const lines = () => daemon.stderr().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; time: number; state?: string });
      await until(() => lines().some((l) => l.msg === 'stream connected'));
      await until(async () => ((await (await fetch(`${daemon.base}/api/status.json`)).json()) as { sources: SourceRow[] }).sources.some((s) => s.id === 'follow' && s.lastSuccess !== null));
      const official = post('3lofficial01', 'CAISI today signed a pre-release testing agreement with Meta.', Date.now() * 1000);
      server.publish({ ...official, did: agency });
      await until(() => lines().some((l) => l.msg === 'alert' && l.state === 'dry-run'));
      const listening = lines().find((l) => l.msg === 'listening')!.time;
      const alerted = lines().find((l) => l.msg === 'alert')!.time;
      // The periodic outbox pass comes 30 s after the start: this one did not wait for it.
      expect(alerted - listening).toBeLessThan(30_000);
    } finally {
      expect(await stop(daemon)).toBe(0);
    }
  });
});
