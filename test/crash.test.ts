import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { writeReplayFile } from '../bench/replay-bench.js';
import { BIN, offlineConfig, pactwatch, ROOT } from './helpers/cli.js';

const CHILD = join(ROOT, 'test/helpers/crash-child.mjs');
const STORY = join(ROOT, 'fixtures/demo/caisi-story.jsonl');

function run(db: string, crashAt: number) {
  return spawnSync(process.execPath, [CHILD, offlineConfig(), db, STORY, String(crashAt)], { encoding: 'utf8' });
}

function ledger(db: string) {
  const d = new Database(db, { readonly: true });
  try {
    return {
      integrity: d.pragma('integrity_check', { simple: true }),
      transitions: (d.prepare("SELECT party, from_status || '→' || to_status AS change FROM transitions WHERE kind <> 'seed' ORDER BY id").all() as {
        party: string;
        change: string;
      }[]).map((t) => `${t.party} ${t.change}`),
      alerts: d.prepare('SELECT transition_id, state FROM alerts ORDER BY id').all() as { transition_id: number; state: string }[],
      items: (d.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n,
    };
  } finally {
    d.close();
  }
}

describe('crash safety', () => {
  // Heavy by nature (two processes per kill point), so it has a minute and a half.
  it('a process killed at any step and restarted leaves every transition and alert exactly once', { timeout: 90_000 }, () => {
    const fresh = () => join(mkdtempSync(join(tmpdir(), 'pactwatch-crash-')), 'pactwatch.db');
    const reference = fresh();
    const full = run(reference, 0);
    expect(full.status).toBe(0);
    const steps = JSON.parse(full.stdout) as string[];
    const expected = ledger(reference);
    expect(expected.transitions).toHaveLength(7);

    // Every kind of step at least once, and points spread over the whole run.
    const points = new Set<number>();
    for (const name of new Set(steps)) points.add(steps.indexOf(name) + 1);
    for (let k = 1; k <= steps.length; k += Math.ceil(steps.length / 8)) points.add(k);
    points.add(steps.lastIndexOf('alert queued') + 1);
    points.add(steps.lastIndexOf('published') + 1);

    for (const k of [...points].sort((a, b) => a - b)) {
      const db = fresh();
      const killed = run(db, k);
      expect(killed.signal, `step ${k} (${steps[k - 1]})`).toBe('SIGKILL');
      const restarted = run(db, 0);
      expect(restarted.status, restarted.stderr).toBe(0);
      const after = ledger(db);
      expect(after.integrity).toBe('ok');
      expect(after.items).toBe(expected.items);
      expect(after.transitions, `killed at step ${k} (${steps[k - 1]})`).toEqual(expected.transitions);
      expect(after.alerts.map((a) => a.state)).toEqual(expected.alerts.map(() => 'dry-run'));
      expect(new Set(after.alerts.map((a) => a.transition_id)).size).toBe(after.alerts.length);
    }
  });
});

describe('crash safety of the replay command', () => {
  /** Runs `pactwatch replay FILE` on `db` and kills it (SIGKILL) after `ms`; resolves when it has exited. */
  function replayKilledAfter(file: string, db: string, ms: number): Promise<string | null> {
    const child = spawn(process.execPath, [BIN, 'replay', file, '--db', db], { env: { PATH: process.env.PATH ?? '', PACTWATCH_CONFIG: offlineConfig() }, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    return new Promise((done) =>
      child.on('exit', (_code, signal) => {
        clearTimeout(timer);
        done(signal);
      }),
    );
  }

  // Its transactions stay open while the main thread waits on the reading thread: a kill at any
  // moment must still lose whole batches only, and a second run must add just what is missing.
  it('killed at moments spread over a run and run again, it ends with the ledger of one uninterrupted run', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pactwatch-replay-crash-'));
    const file = join(dir, 'items.jsonl');
    // Lines not marked fictional: their alerts are queued, and must be published once across the kills.
    writeReplayFile(file, 20_000);
    const reference = join(dir, 'reference.db');
    const clean = await pactwatch(['replay', file, '--db', reference]);
    expect(clean.code, clean.stderr).toBe(0);
    const expected = ledger(reference);
    expect(expected.transitions.length).toBeGreaterThan(10);

    const db = join(dir, 'killed.db');
    const kills: (string | null)[] = [];
    for (const ms of [150, 400, 700, 1000, 1300]) kills.push(await replayKilledAfter(file, db, ms));
    // At least some kills landed before the run could finish.
    expect(kills.filter((k) => k === 'SIGKILL').length).toBeGreaterThan(1);
    const last = await pactwatch(['replay', file, '--db', db]);
    expect(last.code, last.stderr).toBe(0);
    const after = ledger(db);
    expect(after.integrity).toBe('ok');
    expect(after.items).toBe(expected.items);
    expect(after.transitions).toEqual(expected.transitions);
    expect(after.alerts.map((a) => a.state)).toEqual(expected.alerts.map(() => 'dry-run'));
    expect(new Set(after.alerts.map((a) => a.transition_id)).size).toBe(after.alerts.length);
  });
});
