// A simulated day against the daemon: the world's clock runs a day's news (the story among
// hundreds of headlines an hour) in a few minutes while the daemon's memory and database size are
// sampled. Memory must stay under the limit and flat after warm-up; the database must grow in
// step with the items it stores; and the books must balance as in the torture run.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { rssMb, startDaemon } from './daemon.js';
import { QUIET_UNTIL } from './story.js';
import { allPolledSince, audit, look, pendingAlerts, until } from './torture.js';
import { startWorld } from './world.js';

export const RSS_LIMIT_MB = 150;
/** After warm-up, the median RSS of the last fifth may exceed that of the second by this much. */
export const RSS_GROWTH_LIMIT_MB = 15;

export interface SoakOptions {
  /** Real seconds the simulated run takes. */
  seconds: number;
  /** Simulated hours (default 24; the story needs the first 5). */
  hours?: number;
  noisePerHour?: number;
  faultRate?: number;
  say?: (line: string) => void;
}

export interface Sample {
  second: number;
  rssMb: number;
  dbBytes: number;
  items: number;
}

export interface SoakReport {
  problems: string[];
  samples: Sample[];
  peakRssMb: number;
  /** Median RSS of the second fifth and of the last fifth of the run. */
  warmRssMb: number;
  endRssMb: number;
  /** Database bytes per stored item at mid-run and at the end. */
  bytesPerItemMid: number;
  bytesPerItemEnd: number;
  items: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const size = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const say = options.say ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'pactwatch-soak-'));
  const dbPath = join(dir, 'pactwatch.db');
  const DAY = (options.hours ?? 24) * 60;
  const world = await startWorld({ noisePerHour: options.noisePerHour ?? 300, untilMinute: DAY + 60, startMinute: QUIET_UNTIL - 10 });
  const daemon = startDaemon(world.env(dbPath), join(dir, 'daemon.log'));
  const problems: string[] = [];
  const samples: Sample[] = [];
  try {
    const warm = new Date().toISOString();
    await until('every source has polled once', 60_000, () => allPolledSince(dbPath, warm, world.sourceCount));
    world.clock.run((DAY - QUIET_UNTIL) / options.seconds);
    world.feeds.faultRate = options.faultRate ?? 0.05;
    const started = performance.now();
    for (let second = 1; world.clock.minute() < DAY; second++) {
      await sleep(started + second * 1000 - performance.now());
      const items = look(dbPath, (db) => (db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n);
      samples.push({ second, rssMb: rssMb(daemon.pid), dbBytes: size(dbPath) + size(`${dbPath}-wal`), items });
      if (second % 30 === 0) say(`simulated ${(world.clock.minute() / 60).toFixed(1)} h: RSS ${samples.at(-1)!.rssMb.toFixed(0)} MB, ${items} items`);
    }
    world.feeds.faultRate = 0;
    const calm = new Date().toISOString();
    await until('every source has polled after the day and the outbox is empty', 60_000, () => allPolledSince(dbPath, calm, world.sourceCount) && pendingAlerts(dbPath) === 0);
    const stopped = await daemon.stop('SIGTERM');
    if (stopped.code !== 0) problems.push(`the daemon did not stop cleanly on SIGTERM: ${JSON.stringify(stopped)}`);
    const books = await audit(world, dbPath, problems);

    const fifth = Math.max(1, Math.floor(samples.length / 5));
    const peakRssMb = Math.max(...samples.map((s) => s.rssMb));
    const warmRssMb = median(samples.slice(fifth, 2 * fifth).map((s) => s.rssMb));
    const endRssMb = median(samples.slice(-fifth).map((s) => s.rssMb));
    if (peakRssMb >= RSS_LIMIT_MB) problems.push(`peak RSS ${peakRssMb.toFixed(0)} MB; the limit is ${RSS_LIMIT_MB} MB`);
    if (endRssMb - warmRssMb > RSS_GROWTH_LIMIT_MB) problems.push(`RSS grew from ${warmRssMb.toFixed(0)} MB after warm-up to ${endRssMb.toFixed(0)} MB at the end`);
    // Size per item, from the middle and the end (the WAL is counted: it is part of the database).
    const mid = samples[Math.floor(samples.length / 2)]!;
    const end = samples.at(-1)!;
    const bytesPerItemMid = mid.dbBytes / Math.max(1, mid.items);
    const bytesPerItemEnd = end.dbBytes / Math.max(1, end.items);
    if (bytesPerItemEnd > 2 * bytesPerItemMid || bytesPerItemEnd < bytesPerItemMid / 2) problems.push(`the database is ${bytesPerItemMid.toFixed(0)} bytes an item at mid-run but ${bytesPerItemEnd.toFixed(0)} at the end: not in proportion`);
    return { problems, samples, peakRssMb, warmRssMb, endRssMb, bytesPerItemMid, bytesPerItemEnd, items: books.items };
  } finally {
    await daemon.stop('SIGKILL');
    await world.close();
    if (problems.length === 0 && !process.env.PACTWATCH_KEEP) rmSync(dir, { recursive: true, force: true });
  }
}
