import { describe, expect, it } from 'vitest';
import { BlueskyPublisher } from '../../../src/publish/bluesky/publisher.js';
import { POINTS } from '../../../src/publish/bluesky/budget.js';
import { drainOutbox } from '../../../src/publish/outbox.js';
import type { AlertRow } from '../../../src/model/alert.js';
import { freshApp } from '../../helpers/ledger.js';
import { startXrpcServer } from '../../helpers/xrpc-server.js';

// A backlog bigger than an hour's write budget, drained as the daemon drains it, on a clock the
// test moves: spacing is slept on that clock, never waited out. The posts go to the fixture XRPC
// server rather than the local PDS: a PDS commit per post would make 1,600 posts take most of a
// minute, and this is about the publisher's pacing, not the PDS (bluesky.test.ts covers that).
// `npm test` queues 1,600 alerts; `npm run torture:budget` queues 11,000, past the daily budget.
const ALERTS = Number(process.env.PACTWATCH_BUDGET_ALERTS ?? 1_600);
const SPACING_MS = 1_000;
/** The daemon's outbox timer. */
const PASS_EVERY_MS = 30_000;
const PER_PASS = 100;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const PER_HOUR = Math.floor((POINTS.hour * POINTS.reserve) / POINTS.create);
const PER_DAY = Math.floor((POINTS.day * POINTS.reserve) / POINTS.create);
const PASSWORD = 'abcd-efgh-ijkl-mnop';

/** For each write, the most writes in any window of `span` that ends with it. */
function mostIn(times: number[], span: number): number {
  let most = 0;
  for (let i = 0, first = 0; i < times.length; i++) {
    while (times[first]! <= times[i]! - span) first++;
    most = Math.max(most, i - first + 1);
  }
  return most;
}

describe('the write budget over a backlog of queued alerts', () => {
  it(`posts ${ALERTS} alerts once each, spaced, never past the budget, and resumes as soon as the window allows`, async () => {
    let clock = Date.parse('2026-12-01T00:00:00Z');
    const now = () => new Date(clock);
    const sleep = async (ms: number) => void (clock += ms);
    const xrpc = await startXrpcServer(PASSWORD, { now: () => clock });
    const app = freshApp({ publishMode: 'auto', now });
    try {
      app.store.transaction(() => {
        for (let i = 0; i < ALERTS; i++) {
          app.store.insertAlert({ transitionId: null, reportedKey: `backlog-${i}`, tracker: 'caisi', party: 'amazon', status: 'signed', state: 'queued', text: `alert ${i}` });
        }
      }, { durable: true });
      const publisher = new BlueskyPublisher({ service: xrpc.url, identifier: 'alerts.test', password: PASSWORD }, app.store, { now, botLabel: false });
      const drain = () => drainOutbox(app.store, publisher, { limit: PER_PASS, spacingMs: SPACING_MS, now, sleep });
      const paused: AlertRow[] = [];
      const otherErrors: AlertRow[] = [];
      for (let pass = 0; pass < 20_000 && app.store.alerts('queued').length > 0; pass++) {
        // Every fifth pass a poll's drain starts while the timer's is running, as in the daemon.
        const runs = await Promise.all(pass % 5 === 0 ? [drain(), drain()] : [drain()]);
        for (const a of runs.flat()) if (a.lastError) (a.lastError.startsWith('rate budget nearly spent') ? paused : otherErrors).push(a);
        clock += PASS_EVERY_MS;
        // The daemon's timer is a new turn of the event loop. Without one, a long pause (passes
        // that post nothing and only await settled promises) starves the sockets' timers, and the
        // server closes an idle keep-alive connection just as the next post goes out on it.
        await new Promise((turn) => setImmediate(turn));
      }
      expect(otherErrors).toEqual([]);

      // Nothing lost, nothing posted twice, no write wasted on a key already written.
      const alerts = app.store.alerts();
      expect(alerts.filter((a) => a.state !== 'sent')).toEqual([]);
      expect(alerts.filter((a) => a.uri !== `at://did:plc:pactwatchbot/app.bsky.feed.post/${a.rkey}`)).toEqual([]);
      expect(xrpc.records.size).toBe(ALERTS);
      expect(xrpc.writes.length).toBe(ALERTS);
      expect([...xrpc.records.values()].map((r) => r.text).sort()).toEqual(alerts.map((a) => a.text).sort());
      // A pause for the budget is a wait, not a failed attempt: each alert took one attempt.
      expect(alerts.filter((a) => a.attempts !== 1)).toEqual([]);

      // Spacing holds between every two posts, within a pass and across passes.
      const times = xrpc.writes.map((w) => w.at);
      expect(times.slice(1).filter((t, i) => t - times[i]! < SPACING_MS)).toEqual([]);

      // The budget was reached, and never passed in any hour or day.
      expect(paused.length).toBeGreaterThan(0);
      expect(mostIn(times, HOUR)).toBe(Math.min(PER_HOUR, ALERTS));
      expect(mostIn(times, DAY)).toBeLessThanOrEqual(PER_DAY);
      if (ALERTS > PER_DAY) expect(mostIn(times, DAY)).toBe(PER_DAY);

      // After a pause, the next post goes at the first pass once the oldest posts leave the window.
      const late = times.flatMap((t, i) => {
        if (i === 0 || t - times[i - 1]! <= PASS_EVERY_MS + SPACING_MS) return [];
        const allowed = Math.max(i >= PER_HOUR ? times[i - PER_HOUR]! + HOUR : 0, i >= PER_DAY ? times[i - PER_DAY]! + DAY : 0);
        return t > allowed + PASS_EVERY_MS + SPACING_MS ? [{ post: i, lateBy: t - allowed }] : [];
      });
      expect(late).toEqual([]);
    } finally {
      app.close();
      await xrpc.close();
    }
  }, ALERTS > 5_000 ? 3_600_000 : 600_000);

  it('a paused alert waits exactly until the budget frees, not for a back-off', async () => {
    let clock = Date.parse('2026-12-01T00:00:00Z');
    const now = () => new Date(clock);
    const xrpc = await startXrpcServer(PASSWORD, { now: () => clock });
    const app = freshApp({ publishMode: 'auto', now });
    try {
      // 4,499 points spent 50 minutes ago: the next post fits when they leave the hour.
      app.store.budget.points.set([[clock - 50 * 60_000, 4_499]]);
      const id = app.store.transaction(() => app.store.insertAlert({ transitionId: null, reportedKey: 'paused', tracker: 'caisi', party: 'amazon', status: 'signed', state: 'queued', text: 'paused' }), { durable: true })!;
      const publisher = new BlueskyPublisher({ service: xrpc.url, identifier: 'alerts.test', password: PASSWORD }, app.store, { now, botLabel: false });
      const [paused] = await drainOutbox(app.store, publisher, { now });
      const free = new Date(clock + 10 * 60_000).toISOString();
      expect(paused).toMatchObject({ id, state: 'queued', attempts: 0, nextAttempt: free, lastError: `rate budget nearly spent; pausing until ${free}` });
      clock += 10 * 60_000 - 1;
      expect(await drainOutbox(app.store, publisher, { now })).toEqual([]);
      clock += 1;
      expect(await drainOutbox(app.store, publisher, { now })).toMatchObject([{ id, state: 'sent' }]);
      expect(xrpc.writes).toEqual([{ rkey: paused!.rkey, at: clock, written: true }]);
    } finally {
      app.close();
      await xrpc.close();
    }
  });
});
