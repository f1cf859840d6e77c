// Extraction timed against the fixed reference pass (reference.ts) over the same items, in
// paired alternating rounds: the median of the per-round ratios holds on a noisy machine.
import { performance } from 'node:perf_hooks';
import type { Config } from '../src/config/types.js';
import { extract, type Extractor } from '../src/extract/extract.js';
import type { BenchItem } from './corpus.js';
import { aliasRegExp, referencePass } from './reference.js';

export const ROUNDS = 9;

function time(run: () => number): { seconds: number; checksum: number } {
  const start = performance.now();
  const checksum = run();
  return { seconds: (performance.now() - start) / 1000, checksum };
}

export function benchExtract(items: BenchItem[], config: Config, ex: Extractor) {
  const aliases = aliasRegExp(config);
  const reference = () => referencePass(items, aliases);
  const full = () => items.reduce((n, it) => n + extract(ex, it).length, 0);
  // Warm up both paths so the JIT has seen them before timing.
  reference();
  full();
  // Each round times both passes back to back; the median of the per-round ratios is robust
  // to a noisy machine in a way a ratio of two independent bests is not.
  const ratios: number[] = [];
  const fullTimes: number[] = [];
  const referenceTimes: number[] = [];
  let assertions = 0;
  let referenceMatches = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const b = time(reference);
    const f = time(full);
    referenceTimes.push(b.seconds);
    fullTimes.push(f.seconds);
    ratios.push(f.seconds / b.seconds);
    assertions = f.checksum;
    referenceMatches = b.checksum;
  }
  return {
    itemsPerSec: Math.round(items.length / median(fullTimes)),
    referenceItemsPerSec: Math.round(items.length / median(referenceTimes)),
    ratioToReference: Number(median(ratios).toFixed(2)),
    assertions,
    referenceMatches,
  };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
