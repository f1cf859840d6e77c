// `npm run bench`: extraction throughput against a bare normalize pass over the same texts,
// measured side by side in one run (alternating rounds, best of each), so the ratio holds on
// any machine.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig, PACKAGED_CONFIG_DIR } from '../src/config/load.js';
import { compileConfig } from '../src/extract/compile.js';
import { createExtractor, extract } from '../src/extract/extract.js';
import { normalizeText } from '../src/extract/normalize.js';
import { generateCorpus, type BenchItem } from './corpus.js';
import { benchReplay } from './replay-bench.js';
import { benchPoll } from './poll-bench.js';
import { benchLatency } from './latency-bench.js';

const ITEMS = 100_000;
const ROUNDS = 9;
const TARGET_ITEMS_PER_SEC = 50_000;
const TARGET_RATIO = 3;
const REPLAY_ITEMS = 100_000;
const TARGET_REPLAY_PER_SEC = 20_000;
const TARGET_RSS_MB = 150;
const TARGET_LATENCY_MS = 3_000;

function time(run: () => number): { seconds: number; checksum: number } {
  const start = performance.now();
  const checksum = run();
  return { seconds: (performance.now() - start) / 1000, checksum };
}

export function benchExtract(items: BenchItem[]) {
  const ex = createExtractor(compileConfig(loadConfig(join(PACKAGED_CONFIG_DIR))));
  const bare = () => items.reduce((n, it) => n + normalizeText(it.title).length + normalizeText(it.text).length, 0);
  const full = () => items.reduce((n, it) => n + extract(ex, it).length, 0);
  // Warm up both paths so the JIT has seen them before timing.
  bare();
  full();
  // Each round times both passes back to back; the median of the per-round ratios is robust
  // to a noisy machine in a way a ratio of two independent bests is not.
  const ratios: number[] = [];
  const fullTimes: number[] = [];
  const bareTimes: number[] = [];
  let assertions = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const b = time(bare).seconds;
    const f = time(full);
    bareTimes.push(b);
    fullTimes.push(f.seconds);
    ratios.push(f.seconds / b);
    assertions = f.checksum;
  }
  return {
    itemsPerSec: Math.round(items.length / median(fullTimes)),
    normalizeItemsPerSec: Math.round(items.length / median(bareTimes)),
    ratioToNormalize: Number(median(ratios).toFixed(2)),
    assertions,
  };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const items = generateCorpus(ITEMS);
  const extractResult = benchExtract(items);
  const replay = benchReplay(REPLAY_ITEMS, 3);
  const poll = await benchPoll(200, 20);
  const latency = await benchLatency();
  const rows: [string, string, string, boolean][] = [
    ['extraction items/s (1 core)', extractResult.itemsPerSec.toLocaleString('en-US'), `≥ ${TARGET_ITEMS_PER_SEC.toLocaleString('en-US')}`, extractResult.itemsPerSec >= TARGET_ITEMS_PER_SEC],
    ['bare normalize items/s', extractResult.normalizeItemsPerSec.toLocaleString('en-US'), '(baseline)', true],
    ['extraction ÷ normalize time', `${extractResult.ratioToNormalize}×`, `≤ ${TARGET_RATIO}×`, extractResult.ratioToNormalize <= TARGET_RATIO],
    [`replay items/s (${(REPLAY_ITEMS / 1000).toFixed(0)}k, median of 3)`, replay.itemsPerSec.toLocaleString('en-US'), `≥ ${TARGET_REPLAY_PER_SEC.toLocaleString('en-US')}`, replay.itemsPerSec >= TARGET_REPLAY_PER_SEC],
    ['replay peak RSS (MB)', String(replay.peakRssMb), `< ${TARGET_RSS_MB}`, replay.peakRssMb < TARGET_RSS_MB],
    [`poll ${poll.feeds} feeds, new: items/s`, poll.fresh.itemsPerSec.toLocaleString('en-US'), '(report)', true],
    ['poll, new: CPU s / body bytes', `${poll.fresh.cpuSec} / ${poll.fresh.bodyBytes.toLocaleString('en-US')}`, '(report)', true],
    ['poll, unchanged: CPU s per cycle', String(poll.unchanged.cpuSec), '< 1', poll.unchanged.cpuSec < 1],
    ['poll, unchanged: body bytes', poll.unchanged.bodyBytes.toLocaleString('en-US'), '0', poll.unchanged.bodyBytes === 0],
    [`alert latency ms, worst of ${latency.samplesMs.length}`, latency.maxMs.toLocaleString('en-US'), `≤ ${TARGET_LATENCY_MS.toLocaleString('en-US')}`, latency.maxMs <= TARGET_LATENCY_MS],
    ['alert latency ms, median', latency.medianMs.toLocaleString('en-US'), '(report)', true],
  ];
  const out = process.stderr;
  out.write(
    `pactwatch bench — ${ITEMS.toLocaleString('en-US')} generated feed items (2% about the agreement, 20% naming a lab in other news), median of ${ROUNDS} paired rounds\n\n`,
  );
  out.write(`${'figure'.padEnd(32)}${'measured'.padStart(14)}${'target'.padStart(12)}\n`);
  for (const [name, value, target, ok] of rows) out.write(`${name.padEnd(32)}${value.padStart(14)}${target.padStart(12)}  ${ok ? 'ok' : 'MISSED'}\n`);
  out.write(`\n(${extractResult.assertions.toLocaleString('en-US')} assertions found; replay is the \`pactwatch replay\` command on a generated file in no date order, into a fresh database; alert latency is from an item appearing on the world's feed server to its post on a local PDS, the real daemon polling every second)\n`);
  if (json) {
    process.stdout.write(
      `${JSON.stringify({
        extract: { itemsPerSec: extractResult.itemsPerSec, ratioToNormalize: extractResult.ratioToNormalize },
        replay: { itemsPerSec: replay.itemsPerSec, peakRssMb: replay.peakRssMb },
        poll: { unchangedCpuSec: poll.unchanged.cpuSec, unchangedBodyBytes: poll.unchanged.bodyBytes, freshItemsPerSec: poll.fresh.itemsPerSec },
        alertLatencyMs: latency.maxMs,
      })}\n`,
    );
  }
}

await main();
