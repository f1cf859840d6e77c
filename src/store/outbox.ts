// The alerts table: the outbox. Queuing an alert with its record key, its attempts and states.
import { TID } from '@atproto/common-web';
import { FICTIONAL_NOTE, type AlertRow, type AlertState } from '../model/alert.js';
import { storedTime } from '../text/stored-time.js';
import { SYNCHRONOUS_FULL, type Connection } from './connection.js';
import { iso } from './times.js';

/** An alert to queue: about a transition, or a reported claim (by its key). */
export interface NewAlert {
  transitionId: number | null;
  reportedKey: string | null;
  tracker: string;
  party: string;
  status: string;
  state: AlertState;
  text: string;
  fictional?: boolean;
}

export class Outbox {
  constructor(private readonly c: Connection) {}

  /**
   * Queues an alert with its record key (a TID), chosen now, in the same transaction as its
   * change: every later attempt to post it uses this key, so the PDS can hold it only once. A
   * fictional alert is recorded as dry-run, whatever `state` says, with FICTIONAL_NOTE.
   */
  insert(a: NewAlert): number | undefined {
    // A mistake in the code, caught where it would do harm: see Store.transaction's `durable`.
    if ((this.c.db.pragma('synchronous', { simple: true }) as number) < SYNCHRONOUS_FULL) {
      throw new Error(`alert about ${a.tracker}/${a.party} queued in a transaction that is not durable: open it with { durable: true }`);
    }
    const now = iso(this.c.now());
    const result = this.c
      .sql(
        `INSERT OR IGNORE INTO alerts (transition_id, reported_key, tracker, party, status, state, text, rkey, created_at, updated_at, fictional, last_error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        a.transitionId,
        a.reportedKey,
        a.tracker,
        a.party,
        a.status,
        a.fictional ? 'dry-run' : a.state,
        a.text,
        TID.nextStr(),
        now,
        now,
        a.fictional ? 1 : 0,
        a.fictional ? FICTIONAL_NOTE : null,
      );
    return result.changes ? Number(result.lastInsertRowid) : undefined;
  }

  get(id: number): AlertRow | undefined {
    const row = this.c.sql('SELECT * FROM alerts WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return row ? toAlert(row) : undefined;
  }

  /** Alerts in `state` (every alert without one), oldest first, at most `limit` of them. */
  list(state?: AlertState, limit = Infinity): AlertRow[] {
    const max = Number.isFinite(limit) ? limit : -1; // SQLite reads LIMIT -1 as none
    const rows = (
      state
        ? this.c.sql('SELECT * FROM alerts WHERE state = ? ORDER BY id LIMIT ?').all(state, max)
        : this.c.sql('SELECT * FROM alerts ORDER BY id LIMIT ?').all(max)
    ) as Record<string, unknown>[];
    return rows.map(toAlert);
  }

  /** The alert queued for a reported claim, by its key (pipeline/alerts.ts reportedKey). */
  byReportedKey(key: string): AlertRow | undefined {
    const row = this.c.sql('SELECT * FROM alerts WHERE reported_key = ?').get(key) as Record<string, unknown> | undefined;
    return row ? toAlert(row) : undefined;
  }

  /** The last alert about this party that was posted, for threading. */
  previousSent(alert: { id: number; tracker: string; party: string }): AlertRow | undefined {
    const row = this.c
      .sql(`SELECT * FROM alerts WHERE tracker = ? AND party = ? AND state = 'sent' AND uri IS NOT NULL AND id < ? ORDER BY id DESC LIMIT 1`)
      .get(alert.tracker, alert.party, alert.id) as Record<string, unknown> | undefined;
    return row ? toAlert(row) : undefined;
  }

  /** A failed attempt that may be retried: the alert stays queued, with the reason, and waits `waitMs` (the outbox decides how long). */
  noteAttempt(id: number, error: string, waitMs: number): void {
    const attempts = ((this.c.sql('SELECT attempts FROM alerts WHERE id = ?').get(id) as { attempts: number } | undefined)?.attempts ?? 0) + 1;
    const now = this.c.now();
    this.c
      .sql('UPDATE alerts SET attempts = ?, last_error = ?, updated_at = ?, next_attempt = ? WHERE id = ?')
      .run(attempts, error, iso(now), storedTime(now.getTime() + Math.max(0, waitMs), `alert ${id}: nextAttempt`), id);
  }

  /**
   * A queued alert that must wait until a known time (a rate budget, a Retry-After, the login
   * cap): not a failed attempt, so it neither counts one nor backs off further.
   */
  defer(id: number, reason: string, until: Date): void {
    this.c
      .sql('UPDATE alerts SET last_error = ?, updated_at = ?, next_attempt = ? WHERE id = ?')
      .run(reason, iso(this.c.now()), storedTime(until, `alert ${id}: nextAttempt`), id);
  }

  /** A fictional alert never becomes queued, held or sent: it is left as it is. */
  setState(id: number, state: AlertState, extra: { uri?: string; error?: string } = {}): void {
    this.c
      .sql(
        `UPDATE alerts SET state = ?, uri = COALESCE(?, uri), last_error = ?, updated_at = ?, attempts = attempts + (? IN ('sent', 'failed', 'dry-run'))
         WHERE id = ? AND (fictional = 0 OR ? NOT IN ('queued', 'held', 'sent'))`,
      )
      .run(state, extra.uri ?? null, extra.error ?? null, iso(this.c.now()), state, id, state);
  }

  lastId(): number {
    return (this.c.sql('SELECT COALESCE(MAX(id), 0) AS id FROM alerts').get() as { id: number }).id;
  }
}

function toAlert(r: Record<string, unknown>): AlertRow {
  return {
    id: r.id as number,
    transitionId: (r.transition_id as number | null) ?? null,
    tracker: r.tracker as string,
    party: r.party as string,
    status: r.status as string,
    state: r.state as AlertState,
    text: r.text as string,
    rkey: (r.rkey as string | null) ?? null,
    uri: (r.uri as string | null) ?? null,
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
    attempts: r.attempts as number,
    lastError: (r.last_error as string | null) ?? null,
    nextAttempt: (r.next_attempt as string | null) ?? null,
    fictional: r.fictional === 1,
  };
}
