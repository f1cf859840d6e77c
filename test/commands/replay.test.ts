import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReplayFile } from '../../bench/replay-bench.js';
import { BIN, offlineConfig, pactwatch } from '../helpers/cli.js';
import { ledgerSummary as ledger } from '../helpers/ledger.js';

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
