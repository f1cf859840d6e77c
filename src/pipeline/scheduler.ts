// Schedules run: the only module that makes node-cron tasks (config/schedule.ts only validates
// expressions). One task per source from its `schedule`; a source never overlaps itself, and each
// run starts after a little random delay (jitter), so that many sources on one schedule do not
// all hit the network in the same second.
import cron, { type ScheduledTask } from 'node-cron';
import { DEFAULT_SCHEDULE } from '../config/schedule.js';

/** node-cron's own messages (a skipped overlapping run, a missed tick) go to our logger. */
export function setSchedulerLogger(log: { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void; debug(o: object, m: string): void }): void {
  cron.setLogger({
    info: (m) => log.info({ subsystem: 'scheduler' }, String(m)),
    warn: (m) => log.warn({ subsystem: 'scheduler' }, String(m)),
    error: (m, err) => log.error({ subsystem: 'scheduler', err }, String(m)),
    debug: (m) => log.debug({ subsystem: 'scheduler' }, String(m)),
  });
}

/** When a schedule next fires after now. */
export function nextRun(expression: string | undefined): Date | null {
  // A task that is never started still knows its pattern's next times.
  const task = cron.createTask(expression ?? DEFAULT_SCHEDULE, () => {});
  try {
    return task.getNextRuns(1)[0] ?? null;
  } finally {
    void task.destroy();
  }
}

/**
 * When a schedule first fires at or after `from` (the end of a wait): the poll that really comes
 * next, since a tick inside the wait is skipped. Searched over at most 1000 runs; a schedule that
 * fires more often than that within the wait is as good as `from` itself.
 */
export function firstRunFrom(expression: string | undefined, from: Date): Date {
  const task = cron.createTask(expression ?? DEFAULT_SCHEDULE, () => {});
  try {
    const count = Math.min(1000, Math.ceil(Math.max(0, from.getTime() - Date.now()) / intervalMs(expression)) + 2);
    return task.getNextRuns(count).find((d) => d.getTime() >= from.getTime()) ?? from;
  } finally {
    void task.destroy();
  }
}

/** The time between a schedule's next two runs (for back-off and jitter that fit the schedule). */
export function intervalMs(expression: string | undefined): number {
  const task = cron.createTask(expression ?? DEFAULT_SCHEDULE, () => {});
  try {
    const [a, b] = task.getNextRuns(2);
    return a && b ? b.getTime() - a.getTime() : 15 * 60_000;
  } finally {
    void task.destroy();
  }
}

export interface Scheduler {
  /** Stops scheduling; runs in flight finish on their own. */
  stop(): Promise<void>;
  /** Runs in flight now, by source id. */
  busy(): string[];
}

export function scheduleSources(
  sources: { id: string; schedule?: string | undefined }[],
  run: (id: string) => Promise<void>,
  options: { maxJitterMs: number; onError?: (id: string, err: unknown) => void },
): Scheduler {
  const tasks = new Map<string, ScheduledTask>();
  for (const s of sources) {
    const task = cron.schedule(
      s.schedule ?? DEFAULT_SCHEDULE,
      async () => {
        try {
          await run(s.id);
        } catch (err) {
          options.onError?.(s.id, err);
        }
      },
      // A jitter of at most a fifth of the interval: a source polled every second stays timely.
      { name: s.id, noOverlap: true, maxRandomDelay: Math.min(options.maxJitterMs, Math.floor(intervalMs(s.schedule) / 5)) },
    );
    tasks.set(s.id, task);
  }
  return {
    async stop() {
      await Promise.all([...tasks.values()].map((t) => t.stop()));
      await Promise.all([...tasks.values()].map((t) => t.destroy()));
    },
    busy: () => [...tasks].filter(([, t]) => t.isBusy()).map(([id]) => id),
  };
}
