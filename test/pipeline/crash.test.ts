import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ledgerSummary as ledger } from '../helpers/ledger.js';
import { offlineConfig, ROOT } from '../helpers/repo.js';

const CHILD = join(ROOT, 'test/helpers/crash-child.mjs');
const STORY = join(ROOT, 'fixtures/demo/caisi-story.jsonl');

function run(db: string, crashAt: number) {
  return spawnSync(process.execPath, [CHILD, offlineConfig(), db, STORY, String(crashAt)], { encoding: 'utf8' });
}

describe('crash safety', () => {
  // Heavy by nature (two processes per kill point, each loading the whole app), and slower still
  // on CI's two cores beside the other files; the timeout only guards against a hang, so it has
  // three minutes.
  it('a process killed at any step and restarted leaves every transition and alert exactly once', { timeout: 180_000 }, () => {
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
