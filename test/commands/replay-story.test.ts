import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { pactwatch, ROOT } from '../helpers/cli.js';
import { withTracker } from '../helpers/repo.js';

const STORY = join(ROOT, 'fixtures/demo/caisi-story.jsonl');
const dbIn = () => join(mkdtempSync(join(tmpdir(), 'pactwatch-cmd-')), 'pactwatch.db');
const jsonLines = (s: string) => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('pactwatch replay', () => {
  it('tells the story once: a second replay of the same file changes nothing and queues no alert', async () => {
    const db = dbIn();
    const first = await pactwatch(['replay', '--no-seed', STORY, '--db', db]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('caisi/meta: holdout → signed');
    // Meta's holdout and signing come from the story's made-up lines.
    expect(first.stderr).toMatch(/replay: 11 items \(11 new, 0 already known\), 0 bad lines, 5 alerts published, 2 fictional alerts recorded as dry-run \(not posted\)/);
    const second = await pactwatch(['replay', STORY, '--db', db]);
    expect(second.stderr).toMatch(/replay: 11 items \(0 new, 11 already known\), 0 bad lines, 0 alerts published\n/);
    const alerts = jsonLines((await pactwatch(['alerts', 'list', '--json', '--db', db])).stdout);
    expect(alerts).toHaveLength(7);
    expect(alerts.every((a) => a.state === 'dry-run')).toBe(true);
  });

  it('seeds the config\'s initial statuses on an empty database, so old news posts nothing', async () => {
    const db = dbIn();
    const run = await pactwatch(['replay', STORY, '--db', db]);
    // Only Meta's November signing is news against the seeded table.
    expect(jsonLines((await pactwatch(['alerts', 'list', '--json', '--db', db])).stdout).map((a) => `${a.party} ${a.status}`)).toEqual(['meta signed']);
    expect(run.stderr).toContain('[dry-run] alert 1 (caisi/meta → signed), fictional: not posted:');
  });

  it('reports bad lines with their line number and replays the rest', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pw-replay-')), 'items.jsonl');
    writeFileSync(
      file,
      [
        '{broken',
        JSON.stringify({ id: 'a', text: 'Meta signs the CAISI deal', url: 'https://x.example/a', published: '2026-11-20' }),
        JSON.stringify({ id: 'b', text: 'Meta signs the CAISI deal', source: 'nowhere', url: 'https://x.example/b' }),
        JSON.stringify({ id: 'c', text: 'Meta has signed the CAISI agreement', url: 'https://y.example/c', published: '2026-11-20', trust: 'press' }),
      ].join('\n'),
    );
    const run = await pactwatch(['replay', file, '--db', dbIn()]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('items.jsonl: line 1: not JSON');
    expect(run.stderr).toContain('items.jsonl: line 2: "trust" must be one of official, press, social');
    expect(run.stderr).toContain('items.jsonl: line 3: unknown source "nowhere"');
    expect(run.stderr).toMatch(/replay: 1 items \(1 new, 0 already known\), 3 bad lines/);
  });

  it('names a file it cannot read, and creates no database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-replay-'));
    const db = join(dir, 'data', 'pactwatch.db');
    for (const path of [join(dir, 'missing.jsonl'), dir]) {
      const run = await pactwatch(['replay', path, '--db', db]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`cannot read ${path}`);
    }
    expect(existsSync(db)).toBe(false);
  });

  // The check runs in a child process while the file is indexed: its verdict must still come
  // before the database is opened.
  it('refuses a pattern that backtracks catastrophically, naming its file and line, and creates no database', async () => {
    const config = withTracker((yaml) => yaml.replace("- 'holdouts?'", "- '(?:x+x+)+y'"));
    const db = dbIn();
    const run = await pactwatch(['replay', STORY, '--config', config, '--db', db]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/trackers\/caisi\.yaml:\d+: rules\[\d+\]\.cues\[\d+\]: pattern \/\(\?:x\+x\+\)\+y\/ can backtrack catastrophically/);
    expect(existsSync(db)).toBe(false);
  });

  it('refuses a second writer on the same database', async () => {
    const db = dbIn();
    await pactwatch(['replay', STORY, '--db', db]);
    const lock = new Database(`${db}.lock`, { timeout: 0 });
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
    const run = await pactwatch(['replay', STORY, '--db', db]);
    lock.close();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/is in use by another pactwatch process/);
  });
});

describe('pactwatch replay of a fictional story', () => {
  // Stands in for Bluesky: counts every request, answers none of them well. Nothing may reach it.
  let server: Server | undefined;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));
  async function bluesky(): Promise<{ env: Record<string, string>; requests: string[] }> {
    const requests: string[] = [];
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(500).end();
    });
    await new Promise<void>((ready) => server!.listen(0, '127.0.0.1', ready));
    const { port } = server.address() as AddressInfo;
    return { requests, env: { BSKY_SERVICE: `http://127.0.0.1:${port}`, BSKY_IDENTIFIER: 'pactwatch.test', BSKY_APP_PASSWORD: 'aaaa-bbbb-cccc-dddd' } };
  }

  it('with Bluesky credentials set, is refused (exit 2) before anything is written, unless --allow-fictional; then its alerts are dry-run and nothing is ever sent', async () => {
    const { env, requests } = await bluesky();
    const db = dbIn();
    const refused = await pactwatch(['replay', STORY, '--db', db], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${STORY}: line 5 is marked "fictional"`);
    expect(refused.stderr).toContain('--allow-fictional');
    expect(existsSync(db)).toBe(false);

    // A database that exists is left as it was.
    expect((await pactwatch(['status', 'set', 'caisi', 'amazon', 'signed', '--evidence', 'https://www.aboutamazon.com/caisi', '--db', db])).code).toBe(0);
    const before = readFileSync(db);
    expect((await pactwatch(['replay', STORY, '--db', db], { env })).code).toBe(2);
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(existsSync(`${db}-wal`)).toBe(false);
    expect((await pactwatch(['alerts', 'reject', '1', '--db', db])).code).toBe(0);

    const allowed = await pactwatch(['replay', '--allow-fictional', STORY, '--db', db], { env });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stderr).toContain('caisi/meta: holdout → signed');
    expect(allowed.stderr).toContain('1 fictional alerts recorded as dry-run (not posted)');
    const alerts = jsonLines((await pactwatch(['alerts', 'list', '--json', '--db', db])).stdout);
    expect(alerts.map((a) => `${a.party} ${a.status} ${a.state}`)).toEqual(['amazon signed rejected', 'meta signed dry-run']);
    expect((await pactwatch(['alerts', 'list', '--db', db])).stdout).toMatch(/#2 {2}dry-run .*caisi\/meta → signed {2}\(fictional: not posted\)/);

    const approve = await pactwatch(['alerts', 'approve', '2', '--db', db]);
    expect(approve.code).toBe(2);
    expect(approve.stderr).toContain('alert 2 is dry-run (fictional: not posted); a fictional alert can never be approved');

    const once = await pactwatch(['once', '--json', '--db', db], { env });
    expect(once.code, once.stderr).toBe(0);
    expect(JSON.parse(once.stdout).alerts).toEqual([]);
    const again = await pactwatch(['replay', '--allow-fictional', STORY, '--db', db], { env });
    expect(again.stderr).toMatch(/replay: 11 items \(0 new, 11 already known\), 0 bad lines, 0 alerts published\n/);
    expect(jsonLines((await pactwatch(['alerts', 'list', '--json', '--db', db])).stdout)).toEqual(alerts);
    expect(requests).toEqual([]);
  });

  it('counts an app password in a file as credentials, and replays a file with no fictional line as before', async () => {
    const { env, requests } = await bluesky();
    const dir = mkdtempSync(join(tmpdir(), 'pw-fictional-'));
    writeFileSync(join(dir, 'password'), 'aaaa-bbbb-cccc-dddd\n');
    const fromFile = { BSKY_SERVICE: env.BSKY_SERVICE!, BSKY_IDENTIFIER: env.BSKY_IDENTIFIER!, BSKY_APP_PASSWORD_FILE: join(dir, 'password') };
    const db = join(dir, 'pactwatch.db');
    const refused = await pactwatch(['replay', STORY, '--db', db], { env: fromFile });
    expect(refused.code).toBe(2);
    expect(existsSync(db)).toBe(false);
    // Only the story's real history: nothing about it is news against the seeded table.
    const real = join(dir, 'real.jsonl');
    writeFileSync(real, readFileSync(STORY, 'utf8').split('\n').filter((l) => l && !l.includes('"fictional"')).join('\n'));
    const run = await pactwatch(['replay', real, '--db', db], { env: fromFile });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/replay: 4 items \(4 new, 0 already known\), 0 bad lines, 0 alerts published\n/);
    expect(requests).toEqual([]);
  });
});
