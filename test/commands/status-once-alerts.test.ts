import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { pactwatch, ROOT } from '../helpers/cli.js';

const STORY = join(ROOT, 'fixtures/demo/caisi-story.jsonl');
const dbIn = () => join(mkdtempSync(join(tmpdir(), 'pactwatch-cmd-')), 'pactwatch.db');
const jsonLines = (s: string) => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('pactwatch status', () => {
  it('--json is the contract shape, newest evidence first', async () => {
    const db = dbIn();
    await pactwatch(['replay', '--no-seed', STORY, '--db', db]);
    const run = await pactwatch(['status', '--json', '--db', db]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    const status = JSON.parse(run.stdout) as {
      trackers: { id: string; name: string; parties: { id: string; status: string; since: string; reported: unknown; evidence: { url: string; publisher: string; quote: string; published: string; status: string }[] }[] }[];
      sources: unknown[];
    };
    expect(Object.keys(status)).toEqual(['trackers', 'sources']);
    const meta = status.trackers[0]!.parties.find((p) => p.id === 'meta')!;
    expect(Object.keys(meta)).toEqual(['id', 'name', 'status', 'since', 'reported', 'evidence']);
    expect(meta).toMatchObject({ status: 'signed', since: '2026-11-20T15:00:00.000Z', reported: null });
    expect(Object.keys(meta.evidence[0]!)).toEqual(['url', 'publisher', 'quote', 'published', 'status']);
    // Newest first: Meta's own post, the wire copy, the first report, then the earlier rumour.
    expect(meta.evidence.map((e) => e.publisher)).toEqual(['fb.com', 'example-aggregator.com', 'example-insider.com', 'someone.bsky.social']);
    expect(status.sources).toEqual([]);
  });

  it('without a database at the default path shows the config\'s initial statuses and creates nothing', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'pactwatch-cmd-'));
    const run = await pactwatch(['status'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Meta\s+holdout\s+since 2026-06/);
    expect((await pactwatch(['alerts', 'list', '--json'], { cwd })).stdout).toBe('');
    // Not the data folder, nor a lock, journal or any other file beside it.
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('set records an audited correction that alerts like any other, and refuses bad input', async () => {
    const db = dbIn();
    const ok = await pactwatch(['status', 'set', 'caisi', 'amazon', 'signed', '--evidence', 'https://www.aboutamazon.com/caisi', '--note', 'company blog', '--db', db]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/caisi\/amazon: unknown → signed \(manual; set by a maintainer\)/);
    const alerts = jsonLines((await pactwatch(['alerts', 'list', '--json', '--db', db])).stdout);
    expect(alerts).toMatchObject([{ party: 'amazon', status: 'signed', state: 'queued' }]);
    const published = await pactwatch(['once', '--json', '--db', db]);
    expect(JSON.parse(published.stdout).alerts).toMatchObject([{ id: alerts[0]!.id, state: 'dry-run' }]);

    expect((await pactwatch(['status', 'set', 'caisi', 'amazon', 'sort-of', '--evidence', 'https://a.example', '--db', db])).code).toBe(2);
    expect((await pactwatch(['status', 'set', 'caisi', 'apple', 'signed', '--evidence', 'https://a.example', '--db', db])).stderr).toMatch(/unknown party "apple"/);
    expect((await pactwatch(['status', 'set', 'caisi', 'amazon', 'signed', '--evidence', 'not-a-url', '--db', db])).code).toBe(2);
    expect((await pactwatch(['status', 'set', 'caisi', 'amazon', 'signed', '--db', db])).code).toBe(2);
  });
});

describe('pactwatch once', () => {
  it('with no sources polls nothing, exits 0 and prints one JSON object', async () => {
    const run = await pactwatch(['once', '--json', '--db', dbIn()]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ sources: [], transitions: [], alerts: [] });
  });
});

describe('pactwatch alerts', () => {
  it('list --json is JSON Lines in the contract shape; approve and reject move held alerts', async () => {
    const db = dbIn();
    // (The demo story's Meta signing is fictional, never held: a maintainer's change is real.)
    const set = ['status', 'set', 'caisi', 'meta', 'signed', '--evidence', 'https://about.fb.com/news/caisi', '--db', db];
    expect((await pactwatch(set, { env: { PACTWATCH_PUBLISH_MODE: 'review' } })).code).toBe(0);
    const [held] = jsonLines((await pactwatch(['alerts', 'list', '--json', '--db', db])).stdout);
    expect(Object.keys(held!)).toEqual(['id', 'tracker', 'party', 'status', 'state', 'text', 'createdAt']);
    expect(held).toMatchObject({ party: 'meta', status: 'signed', state: 'held' });
    expect((await pactwatch(['alerts', 'approve', String(held!.id), '--db', db])).code).toBe(0);
    expect(jsonLines((await pactwatch(['alerts', 'list', '--json', '--db', db])).stdout)[0]).toMatchObject({ state: 'queued' });
    expect((await pactwatch(['alerts', 'approve', String(held!.id), '--db', db])).stderr).toMatch(/alert \d+ is queued; cannot approve it/);
    expect((await pactwatch(['alerts', 'reject', String(held!.id), '--db', db])).code).toBe(0);
    expect((await pactwatch(['alerts', 'reject', '999', '--db', db])).stderr).toMatch(/no alert 999/);
  });

  it('refuses a database written by a newer pactwatch, exit 1', async () => {
    const db = dbIn();
    await pactwatch(['replay', STORY, '--db', db]);
    const raw = new Database(db);
    raw.pragma('user_version = 99');
    raw.close();
    const run = await pactwatch(['status', '--db', db]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/written by a newer pactwatch/);
  });
});
