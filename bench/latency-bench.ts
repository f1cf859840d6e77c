// Alert latency: from a story appearing on the world's feed server to its post on the local PDS,
// with the real daemon polling every second. Each sample is an official item that confirms a new
// signatory, so each makes exactly one post.
import { setTimeout as sleep } from 'node:timers/promises';
import { allPolledSince, until } from '../world/torture.js';
import { percentile, timeToPost, withWorldDaemon } from './world-run.js';

const SAMPLES: [string, string][] = [
  ['thinking-machines', 'Thinking Machines Lab'],
  ['ssi', 'Safe Superintelligence'],
  ['amazon', 'Amazon'],
  ['nvidia', 'Nvidia'],
];

export async function benchLatency(): Promise<{ samplesMs: number[]; maxMs: number; medianMs: number }> {
  return withWorldDaemon('latency', { noisePerHour: 60, untilMinute: 24 * 60, story: false, startMinute: 60 }, async (run) => {
    const { world } = run;
    const warm = new Date().toISOString();
    await until('every source has polled once', 60_000, () => allPolledSince(run.dbPath, warm, world.sourceCount));
    world.clock.run(1 / 60); // real time
    const samplesMs: number[] = [];
    for (const [party, name] of SAMPLES) {
      // Start at a random point in the poll cycle, as news does.
      await sleep(1000 + Math.random() * 1000);
      samplesMs.push(
        await timeToPost(run, party, () =>
          world.publish('nist', { id: `latency-${party}`, role: 'latency sample', title: `CAISI signs pre-release testing agreement with ${name}`, text: `The Center for AI Standards and Innovation signed a pre-release testing agreement with ${name} today.` }),
        ),
      );
    }
    const sorted = [...samplesMs].sort((a, b) => a - b);
    return { samplesMs, maxMs: percentile(samplesMs, 100), medianMs: sorted[sorted.length >> 1]! };
  });
}
