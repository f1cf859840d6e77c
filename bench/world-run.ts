// What the benches that run the real daemon against the local world share: a world and a daemon
// on a fresh database in a folder of their own, torn down after; the time from an event to the
// alert's post on the world's PDS; percentiles of samples.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDaemon, type Daemon } from '../world/daemon.js';
import { startWorld, type World, type WorldOptions } from '../world/world.js';

export interface WorldRun {
  world: World;
  dbPath: string;
  logFile: string;
  daemon: Daemon;
  /** Starts the daemon again (after a kill), on the same database. */
  restart(): Daemon;
}

/** Runs `body` with a world and a daemon against it; both are gone after, whatever happens. */
export async function withWorldDaemon<T>(name: string, options: WorldOptions, body: (run: WorldRun) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `pactwatch-${name}-`));
  const dbPath = join(dir, 'pactwatch.db');
  const logFile = join(dir, 'daemon.log');
  const world = await startWorld(options);
  const run: WorldRun = {
    world,
    dbPath,
    logFile,
    daemon: startDaemon(world.env(dbPath), logFile),
    restart: () => (run.daemon = startDaemon(world.env(dbPath), logFile)),
  };
  let ok = false;
  try {
    const result = await body(run);
    await run.daemon.stop('SIGTERM');
    ok = true;
    return result;
  } finally {
    await run.daemon.stop('SIGKILL');
    await world.close();
    // A failed run keeps its daemon log (named in the error) for reading.
    if (ok) rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds from `act` to a new post of the bot on the world's PDS. */
export async function timeToPost(run: WorldRun, what: string, act: () => void, timeoutMs = 30_000): Promise<number> {
  const before = (await run.world.posts()).length;
  const start = performance.now();
  act();
  while ((await run.world.posts()).length === before) {
    if (performance.now() - start > timeoutMs) throw new Error(`no post for ${what} within ${timeoutMs / 1000} s; see ${run.logFile}`);
    await sleep(20);
  }
  return Math.round(performance.now() - start);
}

/** The nearest-rank percentile `p` (0–100) of `xs`. */
export function percentile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
