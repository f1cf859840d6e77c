// Two passes over the same work timed back to back, round after round: the median of the
// per-round ratios holds on a noisy machine in a way a ratio of two independent bests does not.
import { performance } from 'node:perf_hooks';

/** A pass gives a count (items read, assertions found) that the report shows beside its time. */
type Pass = () => number | Promise<number>;

export interface Paired {
  /** The measured pass's time ÷ the reference's, median of the rounds. */
  ratio: number;
  referenceSeconds: number;
  measuredSeconds: number;
  referenceCount: number;
  measuredCount: number;
}

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function time(run: Pass): Promise<{ seconds: number; count: number }> {
  const start = performance.now();
  const count = await run();
  return { seconds: (performance.now() - start) / 1000, count };
}

export async function pairedRounds(rounds: number, reference: Pass, measured: Pass): Promise<Paired> {
  // Warm up both paths so the JIT has seen them before timing.
  await reference();
  await measured();
  const ratios: number[] = [];
  const referenceTimes: number[] = [];
  const measuredTimes: number[] = [];
  let referenceCount = 0;
  let measuredCount = 0;
  for (let r = 0; r < rounds; r++) {
    const b = await time(reference);
    const m = await time(measured);
    referenceTimes.push(b.seconds);
    measuredTimes.push(m.seconds);
    ratios.push(m.seconds / b.seconds);
    referenceCount = b.count;
    measuredCount = m.count;
  }
  return { ratio: Number(median(ratios).toFixed(2)), referenceSeconds: median(referenceTimes), measuredSeconds: median(measuredTimes), referenceCount, measuredCount };
}
