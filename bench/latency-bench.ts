// Alert latency: from a story appearing on the world's feed server to its post on the local PDS,
// with the real daemon polling every second. Each sample is an official item that confirms a new
// signatory, so each makes exactly one post.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDaemon } from '../world/daemon.js';
import { allPolledSince, until } from '../world/torture.js';
import { startWorld } from '../world/world.js';

const SAMPLES: [string, string][] = [
  ['thinking-machines', 'Thinking Machines Lab'],
  ['ssi', 'Safe Superintelligence'],
  ['amazon', 'Amazon'],
  ['nvidia', 'Nvidia'],
];

export async function benchLatency(): Promise<{ samplesMs: number[]; maxMs: number; medianMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'pactwatch-latency-'));
  const dbPath = join(dir, 'pactwatch.db');
  const world = await startWorld({ noisePerHour: 60, untilMinute: 24 * 60, story: false, startMinute: 60 });
  const daemon = startDaemon(world.env(dbPath), join(dir, 'daemon.log'));
  try {
    const warm = new Date().toISOString();
    await until('every source has polled once', 60_000, () => allPolledSince(dbPath, warm, world.sourceCount));
    world.clock.run(1 / 60); // real time
    const samplesMs: number[] = [];
    for (const [party, name] of SAMPLES) {
      // Start at a random point in the poll cycle, as news does.
      await sleep(1000 + Math.random() * 1000);
      const before = (await world.posts()).length;
      const appeared = performance.now();
      world.publish('nist', { id: `latency-${party}`, role: 'latency sample', title: `CAISI signs pre-release testing agreement with ${name}`, text: `The Center for AI Standards and Innovation signed a pre-release testing agreement with ${name} today.` });
      while ((await world.posts()).length === before) {
        if (performance.now() - appeared > 30_000) throw new Error(`no post for ${party} within 30 s; see ${dir}/daemon.log`);
        await sleep(20);
      }
      samplesMs.push(Math.round(performance.now() - appeared));
    }
    await daemon.stop('SIGTERM');
    const sorted = [...samplesMs].sort((a, b) => a - b);
    return { samplesMs, maxMs: sorted.at(-1)!, medianMs: sorted[sorted.length >> 1]! };
  } finally {
    await daemon.stop('SIGKILL');
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
