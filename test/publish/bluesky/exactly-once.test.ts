import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { TestNetworkNoAppView } from '@atproto/dev-env';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setStatus } from '../../../src/pipeline/manual.js';
import { ROOT } from '../../helpers/repo.js';
import { freshApp } from '../../helpers/ledger.js';

// `npm test` kills a few times; `PACTWATCH_KILLS=50 npm run torture:publish` kills fifty.
const KILLS = Number(process.env.PACTWATCH_KILLS ?? 6);
const CHILD = join(ROOT, 'test/helpers/publish-child.mjs');

let net: TestNetworkNoAppView;
let password: string;
const handle = 'once.test';

beforeAll(async () => {
  net = await TestNetworkNoAppView.create({});
  const agent = net.pds.getClient();
  await agent.createAccount({ handle, email: 'once@example.test', password: 'account-password-not-used' });
  password = (await agent.com.atproto.server.createAppPassword({ name: 'pactwatch' })).data.password;
}, 60_000);
afterAll(async () => {
  await net?.close();
});

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

/** Runs the child without blocking this process: the PDS lives here and must keep answering. */
function child(db: string, kill: string): Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((done) => {
    const proc = spawn(process.execPath, [CHILD, db, net.pds.url, handle, password, kill]);
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('close', (status, signal) => done({ status, signal, stderr }));
  });
}

async function postsAt(rkeys: string[]): Promise<Map<string, number>> {
  const agent = net.pds.getClient();
  const did = (await agent.com.atproto.identity.resolveHandle({ handle })).data.did;
  const all = (await agent.com.atproto.repo.listRecords({ repo: did, collection: 'app.bsky.feed.post', limit: 100 })).data.records;
  return new Map(rkeys.map((k) => [k, all.filter((r) => r.uri.endsWith(`/${k}`)).length]));
}

describe('exactly once', () => {
  it('a publisher killed right after a create call returns, before the outbox is marked, posts once on restart', { timeout: 120_000 }, async () => {
    const app = queue(3);
    const db = app.store.db.name;
    app.close();
    // Each restart first reads back the post it was killed after, then creates the next one and dies.
    for (const n of [1, 2, 2]) expect((await child(db, `after:${n}`)).signal).toBe('SIGKILL');
    const last = await child(db, 'none');
    expect(last.status, last.stderr).toBe(0);
    const check = freshStore(db);
    expect(check.alerts.map((a) => a.state)).toEqual(['sent', 'sent', 'sent']);
    expect([...(await postsAt(check.alerts.map((a) => a.rkey!))).values()]).toEqual([1, 1, 1]);
  });

  it(`killed at random moments ${KILLS} times over a queue, each alert is posted exactly once`, { timeout: 600_000 }, async () => {
    const app = queue(6);
    const db = app.store.db.name;
    app.close();
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let k = 0; k < KILLS; k++) await child(db, `delay:${Math.floor(random() * 900)}`);
    const last = await child(db, 'none');
    expect(last.status, last.stderr).toBe(0);
    const check = freshStore(db);
    expect(check.alerts.every((a) => a.state === 'sent')).toBe(true);
    expect([...(await postsAt(check.alerts.map((a) => a.rkey!))).values()]).toEqual([1, 1, 1, 1, 1, 1]);
  });
});

/** The final outbox, read in a connection of its own. */
function freshStore(db: string) {
  const conn = new Database(db, { readonly: true });
  const alerts = conn.prepare('SELECT id, state, rkey FROM alerts ORDER BY id').all() as { id: number; state: string; rkey: string | null }[];
  conn.close();
  return { alerts };
}
