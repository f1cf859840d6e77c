// Replay throughput: generated items through the whole pipeline into a fresh database, in a
// child process of its own so its peak memory is its own.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { openApp } from '../src/app.js';
import { PACKAGED_CONFIG_DIR } from '../src/config/load.js';
import { useBulkCache } from '../src/store/db.js';
import { BATCH_SIZE, processBatch, type Item } from '../src/pipeline.js';
import { corpusItems } from './corpus.js';

export interface ReplayResult {
  items: number;
  itemsPerSec: number;
  peakRssMb: number;
}

const PUBLISHERS = ['nytimes.com', 'reuters.com', 'bloomberg.com', 'theverge.com', 'axios.com', 'wsj.com'];

function child(count: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'pactwatch-bench-'));
  try {
    const app = openApp({ configDir: PACKAGED_CONFIG_DIR, dbPath: join(dir, 'bench.db'), env: { publishMode: 'dry-run' }, writer: true });
    useBulkCache(app.store.db); // as `pactwatch replay` does
    const fetchedAt = new Date('2026-11-27T00:00:00Z');
    const start = performance.now();
    let n = 0;
    let batch: Item[] = [];
    for (const it of corpusItems(count)) {
      const publisher = PUBLISHERS[n % PUBLISHERS.length]!;
      // Real items are unique: each gets its own URL and a line of its own.
      const item: Item = {
        id: it.id,
        sourceId: 'bench',
        url: `https://www.${publisher}/2026/story-${n}`,
        title: it.title,
        text: `${it.text} (story ${n})`,
        publishedAt: it.published,
        fetchedAt,
        trust: 'press',
        publisher,
        speaksFor: null,
      };
      batch.push(item);
      n++;
      if (batch.length === BATCH_SIZE) {
        processBatch(app, batch, { silent: true });
        batch = [];
      }
    }
    processBatch(app, batch, { silent: true });
    const seconds = (performance.now() - start) / 1000;
    app.close();
    const result: ReplayResult = { items: n, itemsPerSec: Math.round(n / seconds), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
    process.stdout.write(JSON.stringify(result));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function benchReplay(count: number): ReplayResult {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(count)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`replay bench failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as ReplayResult;
}

if (process.argv[2] === '--child') child(Number(process.argv[3]));
