// Replay throughput: `pactwatch replay` itself (the command's function, in a child process of
// its own so its peak memory is its own) on a generated JSON Lines file, into a fresh database.
// The file is as a feed archive would be: lines in no particular order, each item's URL its
// GUID, with the date in its path.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { replay } from '../src/commands/replay.js';
import { PACKAGED_CONFIG_DIR } from '../src/config/load.js';
import { DAEMON_NODE_FLAGS } from '../src/node-flags.js';
import { corpusItems } from './corpus.js';

export interface ReplayResult {
  items: number;
  itemsPerSec: number;
  peakRssMb: number;
}

const PUBLISHERS = ['nytimes.com', 'reuters.com', 'bloomberg.com', 'theverge.com', 'axios.com', 'wsj.com'];

/**
 * Writes `count` generated items as replay lines, not marked fictional: the bench measures the
 * path real items take (their alerts queued and handed to the publisher), and it replays with
 * the dry-run publisher and no credentials, so nothing can be posted.
 */
export function writeReplayFile(file: string, count: number): void {
  const fd = openSync(file, 'w');
  try {
    let n = 0;
    let chunk = '';
    for (const it of corpusItems(count)) {
      const publisher = PUBLISHERS[n % PUBLISHERS.length]!;
      const day = it.published.toISOString().slice(0, 10).replaceAll('-', '/');
      const url = `https://www.${publisher}/${day}/${it.title.toLowerCase().replaceAll(/[^a-z0-9]+/g, '-')}-${n}`;
      // Real items are unique: each gets its own URL and a line of its own.
      chunk += `${JSON.stringify({ id: url, url, title: it.title, text: `${it.text} (story ${n})`, published: it.published.toISOString(), trust: 'press' })}\n`;
      n++;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

async function child(file: string, count: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pactwatch-bench-'));
  try {
    const start = performance.now();
    await replay({ configDir: PACKAGED_CONFIG_DIR, dbPath: join(dir, 'bench.db'), env: { publishMode: 'dry-run' } }, file, { seed: true });
    const seconds = (performance.now() - start) / 1000;
    const result: ReplayResult = { items: count, itemsPerSec: Math.round(count / seconds), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
    process.stdout.write(JSON.stringify(result));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Replays `count` generated items into a fresh database `runs` times: the median speed, and the highest peak memory. */
export function benchReplay(count: number, runs = 1): ReplayResult {
  const dir = mkdtempSync(join(tmpdir(), 'pactwatch-bench-'));
  const file = join(dir, 'items.jsonl');
  try {
    writeReplayFile(file, count);
    const results = Array.from({ length: runs }, () => {
      // With the flags the installed command's #! line gives node.
      const run = spawnSync(process.execPath, [...DAEMON_NODE_FLAGS, fileURLToPath(import.meta.url), '--child', file, String(count)], { encoding: 'utf8', maxBuffer: 64 << 20 });
      if (run.status !== 0) throw new Error(`replay bench failed: ${run.stderr}`);
      return JSON.parse(run.stdout) as ReplayResult;
    });
    const speeds = results.map((r) => r.itemsPerSec).sort((a, b) => a - b);
    return { items: count, itemsPerSec: speeds[speeds.length >> 1]!, peakRssMb: Math.max(...results.map((r) => r.peakRssMb)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]!, Number(process.argv[4]));
// `node dist/bench/replay-bench.js N [RUNS]` replays N items on its own.
else if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2]) process.stdout.write(`${JSON.stringify(benchReplay(Number(process.argv[2]), Number(process.argv[3] ?? 1)))}\n`);
