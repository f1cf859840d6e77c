import { afterEach, describe, expect, it, vi } from 'vitest';
import { isValidSchedule } from '../../src/config/schedule.js';
import { intervalMs, nextRun, scheduleSources } from '../../src/pipeline/scheduler.js';

describe('scheduleSources', () => {
  afterEach(() => vi.useRealTimers());

  it('runs each source on its schedule and never lets one overlap itself', async () => {
    // node-cron reads the time with Date and waits with setTimeout: a simulated clock runs it.
    vi.useFakeTimers({ now: new Date('2026-11-27T12:00:00.200Z') });
    let running = 0;
    let most = 0;
    const runs: string[] = [];
    const scheduler = scheduleSources(
      [
        { id: 'slow', schedule: '* * * * * *' },
        { id: 'quick', schedule: '* * * * * *' },
      ],
      async (id) => {
        runs.push(id);
        if (id !== 'slow') return;
        running++;
        most = Math.max(most, running);
        // Slower than its every-second schedule: the next tick must be skipped, not stacked.
        await new Promise((r) => setTimeout(r, 1_500));
        running--;
      },
      { maxJitterMs: 50 },
    );
    await vi.advanceTimersByTimeAsync(3_600);
    await scheduler.stop();
    expect(most).toBe(1);
    expect(runs.filter((r) => r === 'quick').length).toBeGreaterThanOrEqual(3);
    expect(runs.filter((r) => r === 'slow').length).toBeLessThan(runs.filter((r) => r === 'quick').length);
  });
});

describe('schedules', () => {
  it('are validated and placed in time', () => {
    expect(isValidSchedule('*/15 * * * *')).toBe(true);
    expect(isValidSchedule('every quarter hour')).toBe(false);
    const next = nextRun('0 * * * *')!;
    expect(next.getUTCMinutes()).toBe(0);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(intervalMs('* * * * * *')).toBe(1_000);
    expect(intervalMs('*/15 * * * *')).toBe(15 * 60_000);
  });
});
