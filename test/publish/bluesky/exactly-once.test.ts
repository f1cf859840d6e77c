import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestNetworkNoAppView } from '@atproto/dev-env';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setStatus } from '../../../src/pipeline/manual.js';
import { ROOT } from '../../helpers/repo.js';
import { freshApp } from '../../helpers/ledger.js';
import { startPdsProxy, type PdsProxy } from '../../helpers/pds-proxy.js';

// `npm test` kills a few times; `PACTWATCH_KILLS=50 npm run torture:publish` kills fifty.
const KILLS = Number(process.env.PACTWATCH_KILLS ?? 6);
const CHILD = join(ROOT, 'test/helpers/publish-child.mjs');
const CREATE = 'com.atproto.repo.createRecord';

// The children post through a proxy that can lose a create call's answer, or fail it unwritten.
let net: TestNetworkNoAppView;
let proxy: PdsProxy;
const traces = mkdtempSync(join(tmpdir(), 'pactwatch-once-'));

beforeAll(async () => {
  net = await TestNetworkNoAppView.create({});
  proxy = await startPdsProxy(net.pds.url);
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await net?.close();
  rmSync(traces, { recursive: true, force: true });
});

interface Account {
  handle: string;
  password: string;
}

/** An account of its own for each test, so that its posts are all the test's. */
async function account(name: string): Promise<Account> {
  const agent = net.pds.getClient();
  const handle = `${name}.test`;
  await agent.createAccount({ handle, email: `${name}@example.test`, password: 'account-password-not-used' });
  return { handle, password: (await agent.com.atproto.server.createAppPassword({ name: 'pactwatch' })).data.password };
}

function queue(count: number) {
  const app = freshApp({ publishMode: 'auto' });
  const parties = ['amazon', 'nvidia', 'thinking-machines', 'ssi', 'meta', 'xai'];
  for (let i = 0; i < count; i++) {
    setStatus(app, {
      tracker: 'caisi',
      party: parties[i % parties.length]!,
      status: i % 2 ? 'negotiating' : 'signed',
      evidence: `https://example.test/evidence/${i}`,
      note: `alert ${i}`,
      actor: 'test',
      at: new Date(Date.UTC(2026, 10, 27, 0, i)),
    });
  }
  return app;
}

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** What the child was doing, a line a step (see publish-child.mjs); the last is the step it was killed in. */
  trace: string[];
}

let runs = 0;
/** Runs the child without blocking this process: the PDS lives here and must keep answering. */
function child(db: string, as: Account, kill: string): Promise<Run> {
  const tracePath = join(traces, `run-${++runs}.trace`);
  return new Promise((done) => {
    const proc = spawn(process.execPath, [CHILD, db, proxy.url, as.handle, as.password, tracePath, kill]);
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('close', (status, signal) => {
      let trace: string[] = [];
      try {
        trace = readFileSync(tracePath, 'utf8').split('\n').filter(Boolean);
      } catch {
        // A child killed before it opened its trace did nothing.
      }
      done({ status, signal, stderr, trace });
    });
  });
}

/**
 * Where a kill fell. A kill from a timer can only land while the child awaits something, so the
 * trace's last line is the step it interrupted; after `published` the outbox records the result
 * before anything else is awaited, so a kill after that line fell between publishes.
 */
function landing(run: Run): 'not killed' | 'before publishing' | 'inside a publish' | 'between publishes' {
  if (run.signal !== 'SIGKILL') return 'not killed';
  if (!run.trace.some((line) => line.startsWith('publishing '))) return 'before publishing';
  return run.trace.at(-1)!.startsWith('published ') ? 'between publishes' : 'inside a publish';
}

/**
 * For each publish that ended in a retry, the time until the alert was tried again, by the
 * children's clocks (which run on while an alert waits: see publish-child.mjs).
 */
function retryWaits(traced: Run[]): { alert: number; waitedMs: number }[] {
  const failedAt = new Map<number, number>();
  const waits: { alert: number; waitedMs: number }[] = [];
  for (const [step, id, ...rest] of traced.flatMap((r) => r.trace).map((line) => line.split(' '))) {
    const alert = Number(id);
    if (step === 'published' && rest[0] === 'retry') failedAt.set(alert, Number(rest[1]));
    if (step === 'publishing' && failedAt.has(alert)) {
      waits.push({ alert, waitedMs: Number(rest[0]) - failedAt.get(alert)! });
      failedAt.delete(alert);
    }
  }
  return waits;
}

/** The record keys of every post the account has made. */
async function posts(handle: string): Promise<string[]> {
  const agent = net.pds.getClient();
  const did = (await agent.com.atproto.identity.resolveHandle({ handle })).data.did;
  const rkeys: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = (await agent.com.atproto.repo.listRecords({ repo: did, collection: 'app.bsky.feed.post', limit: 100, cursor })).data;
    if (page.records.length === 0) return rkeys;
    rkeys.push(...page.records.map((r) => r.uri.split('/').pop()!));
    cursor = page.cursor;
  }
}

/** Each alert sent, and the account's posts exactly the alerts' posts, one each: none missing, none twice. */
async function expectEachPostedOnce(db: string, as: Account) {
  const { alerts } = freshStore(db);
  expect(alerts.filter((a) => a.state !== 'sent')).toEqual([]);
  for (const a of alerts) expect(a.uri).toMatch(new RegExp(`/app\\.bsky\\.feed\\.post/${a.rkey}$`));
  expect((await posts(as.handle)).sort()).toEqual(alerts.map((a) => a.rkey!).sort());
}

describe('exactly once', () => {
  it('a publisher killed right after a create call returns, before the outbox is marked, posts once on restart', { timeout: 120_000 }, async () => {
    const as = await account('after-create');
    proxy.fault = 'pass';
    const app = queue(3);
    const db = app.store.db.name;
    app.close();
    // Each restart first reads back the post it was killed after, then creates the next one and dies.
    for (const [n, alert] of [[1, 1], [2, 2], [2, 3]] as const) {
      const run = await child(db, as, `after:${n}`);
      expect(run.signal, run.stderr).toBe('SIGKILL');
      // The kill landed where it was aimed: the post made, the outbox not yet told.
      expect(run.trace.at(-2)).toBe(`answered ${CREATE} 200`);
      expect(run.trace.at(-1)).toMatch(new RegExp(`^published ${alert} sent `));
      expect(freshStore(db).alerts[alert - 1]!.state).toBe('queued');
    }
    const last = await child(db, as, 'none');
    expect(last.status, last.stderr).toBe(0);
    await expectEachPostedOnce(db, as);
  });

  it(`killed at random moments ${KILLS} times over a queue, each alert is posted exactly once`, { timeout: 600_000 }, async () => {
    const as = await account('random-kills');
    // Enough alerts that no kill runs out of publishing to interrupt.
    const app = queue(6 * KILLS);
    const db = app.store.db.name;
    app.close();
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const landed = new Map<string, number>();
    let inWrite = 0;
    const done: Run[] = [];
    for (let k = 0; k < KILLS; k++) {
      // Each run also loses the answer to its first create call: after the write, or with nothing written.
      proxy.fault = k % 2 ? '500-after-write' : '500-no-write';
      proxy.times = 1;
      // A moment in the first few publishes of this run: a login, a session resumed, a write, a read-back.
      const run = await child(db, as, `during:${1 + Math.floor(random() * 3)}:${Math.floor(random() * 40)}`);
      done.push(run);
      const where = landing(run);
      landed.set(where, (landed.get(where) ?? 0) + 1);
      if (where === 'not killed') expect(run.status, run.stderr).toBe(0);
      if (where !== 'inside a publish') continue;
      if (run.trace.at(-1) === `request ${CREATE}`) inWrite++;
      // Killed mid-publish, the alert is still queued: the outbox records only what a publisher said.
      const id = Number(run.trace.findLast((line) => line.startsWith('publishing '))!.split(' ')[1]);
      expect(freshStore(db).alerts.find((a) => a.id === id)!.state, run.trace.join('\n')).toBe('queued');
    }
    // A kill that fell before or after the publishing would prove nothing: most must fall inside one.
    const summary = JSON.stringify({ ...Object.fromEntries(landed), 'with a write in flight': inWrite });
    expect(landed.get('inside a publish') ?? 0, summary).toBeGreaterThan(KILLS / 2);
    // The last run's first two creates fail unwritten: at least one of them is a new post, so
    // at least one alert waits out its back-off and is tried again (in the outbox's own time).
    proxy.fault = '500-no-write';
    proxy.times = 2;
    const last = await child(db, as, 'none');
    expect(last.status, last.stderr).toBe(0);
    done.push(last);
    await expectEachPostedOnce(db, as);
    const waits = retryWaits(done);
    expect(waits.length).toBeGreaterThan(0);
    // The first back-off is 30 s; no alert was tried again sooner.
    expect(waits.filter((w) => w.waitedMs < 30_000)).toEqual([]);
  });
});

/** The final outbox, read in a connection of its own. */
function freshStore(db: string) {
  const conn = new Database(db, { readonly: true });
  const alerts = conn.prepare('SELECT id, state, rkey, uri FROM alerts ORDER BY id').all() as { id: number; state: string; rkey: string | null; uri: string | null }[];
  conn.close();
  return { alerts };
}
