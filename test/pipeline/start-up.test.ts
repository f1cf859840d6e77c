import { describe, expect, it } from 'vitest';
import type { SourceState } from '../../src/model/ledger.js';
import { realNextPoll, startUpPlan, startUpPolls } from '../../src/pipeline/start-up.js';

const NOW = new Date('2026-11-27T12:00:00.000Z');

function state(id: string, fields: Partial<SourceState> = {}): SourceState {
  return { id, kind: 'rss', url: null, etag: null, lastModified: null, cursor: null, lastSuccess: null, lastError: null, lastErrorAt: null, failures: 0, nextPoll: null, gone: false, unreliableGuids: null, degraded: null, ...fields };
}

/** Timers on a simulated clock: nothing sleeps, `advance` runs what is due in time order. */
function fakeTimers() {
  let at = 0;
  const due: { at: number; run: () => void; handle: number }[] = [];
  let next = 1;
  return {
    setTimeout: (run: () => void, ms: number) => {
      due.push({ at: at + ms, run, handle: next });
      return next++;
    },
    clearTimeout: (handle: unknown) => {
      const i = due.findIndex((d) => d.handle === handle);
      if (i >= 0) due.splice(i, 1);
    },
    advance(ms: number) {
      at += ms;
      for (const d of due.filter((d) => d.at <= at).sort((a, b) => a.at - b.at)) {
        due.splice(due.indexOf(d), 1);
        d.run();
      }
    },
    pending: () => due.length,
  };
}

describe('the start-up polls', () => {
  it('spread every source evenly over the 15-second window, in config order, the first at once', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const plan = startUpPlan(ids, () => undefined, NOW);
    expect(plan.polls.map((p) => [p.id, p.at.getTime() - NOW.getTime()])).toEqual([
      ['a', 0],
      ['b', 2_500],
      ['c', 5_000],
      ['d', 7_500],
      ['e', 10_000],
      ['f', 12_500],
    ]);
    expect(plan.waiting).toEqual([]);
    // Many sources still all start inside the window.
    const many = startUpPlan(Array.from({ length: 97 }, (_, i) => `s${i}`), () => undefined, NOW);
    expect(many.polls).toHaveLength(97);
    expect(Math.max(...many.polls.map((p) => p.at.getTime() - NOW.getTime()))).toBeLessThan(15_000);
  });

  it('leave out a source still backing off or held by a server, and one no longer read, but not one merely scheduled later', () => {
    const later = new Date(NOW.getTime() + 30 * 60_000).toISOString();
    const stored: Record<string, SourceState> = {
      backing: state('backing', { failures: 2, nextPoll: later, lastError: 'HTTP 500' }),
      over: state('over', { failures: 2, nextPoll: new Date(NOW.getTime() - 1_000).toISOString() }),
      scheduled: state('scheduled', { nextPoll: later }),
      gone: state('gone', { gone: true }),
    };
    const plan = startUpPlan(['backing', 'over', 'scheduled', 'gone', 'new'], (id) => stored[id], NOW);
    expect(plan.polls.map((p) => p.id)).toEqual(['over', 'scheduled', 'new']);
    expect(plan.waiting).toEqual([
      { id: 'backing', until: new Date(later) },
      { id: 'gone', until: null },
    ]);
  });

  it('run each poll at its planned time on the injected timers, and a stop cancels those not yet started', () => {
    const timers = fakeTimers();
    const ran: string[] = [];
    const plan = startUpPlan(['a', 'b', 'c'], () => undefined, NOW);
    const polls = startUpPolls(plan, NOW, (id) => ran.push(id), timers);
    timers.advance(0);
    expect(ran).toEqual(['a']);
    timers.advance(5_000);
    expect(ran).toEqual(['a', 'b']);
    polls.stop();
    timers.advance(60_000);
    expect(ran).toEqual(['a', 'b']);
    expect(timers.pending()).toBe(0);
  });
});

describe('the next poll the daemon records', () => {
  it('is the next cron time, or the first cron time after a wait ends, never a past time', () => {
    const now = new Date();
    const hourly = '0 * * * *';
    const next = realNextPoll(hourly, state('s', { nextPoll: '2020-01-01T00:00:00.000Z' }), now)!;
    expect(Date.parse(next)).toBeGreaterThan(now.getTime());
    expect(new Date(next).getMinutes()).toBe(0);
    // A back-off that ends 90 minutes from now: the tick inside it is skipped, the next one polls.
    const end = new Date(now.getTime() + 90 * 60_000);
    const after = Date.parse(realNextPoll(hourly, state('s', { failures: 3, nextPoll: end.toISOString() }), now)!);
    expect(after).toBeGreaterThanOrEqual(end.getTime());
    expect(after - end.getTime()).toBeLessThanOrEqual(60 * 60_000);
    expect(new Date(after).getMinutes()).toBe(0);
    expect(realNextPoll(hourly, state('s', { gone: true }), now)).toBeUndefined();
  });
});
