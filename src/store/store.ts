// Queries over the ledger. Every method is one statement or a few; callers group them into
// transactions (see pipeline.ts), so an item, its assertions, the change they cause and the
// alert it queues commit together.
import type { Tracker } from '../config/load.js';
import type { Assertion, AssertedStatus, Modality } from '../model/assertion.js';
import type { SpeaksFor, Trust } from '../model/item.js';
import { FICTIONAL_NOTE, type AlertRow, type AlertState } from '../model/alert.js';
import type { Citation, NewItem, SourceState, SourceStateRow, TransitionKind, TransitionRow } from '../model/ledger.js';
import type { Claim, PartyState, PartyStatus, Reported } from '../model/party.js';
import type { Statement } from 'better-sqlite3';
import { TID } from '@atproto/common-web';
import type { Db } from './db.js';
import { StoreError } from '../errors.js';
import { isStoredTime, storedTime } from '../waits.js';

/** SQLite's `PRAGMA synchronous` level FULL (NORMAL is 1). */
const SYNCHRONOUS_FULL = 2;

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * `d.toISOString()`. Written out for four-digit years, because V8's own costs about 8,000
 * instructions (it formats with snprintf) against 3,000, and every item row needs one. Other
 * years, and invalid dates (which throw), go to toISOString.
 */
function iso(d: Date): string {
  const y = d.getUTCFullYear();
  if (!(y >= 1000 && y <= 9999)) return d.toISOString();
  return `${y}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${three(d.getUTCMilliseconds())}Z`;
}

export class Store {
  private readonly statements = new Map<string, Statement>();
  /** One transaction wrapper for every call (nested calls become savepoints). */
  private readonly run: ReturnType<Db['transaction']>;

  constructor(
    readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.run = db.transaction((fn: () => unknown) => fn());
  }

  /** The last fetch time formatted (see insertItem). */
  private lastFetched = { time: NaN, iso: '' };

  private fetchedIso(d: Date): string {
    if (d.getTime() !== this.lastFetched.time) this.lastFetched = { time: d.getTime(), iso: iso(d) };
    return this.lastFetched.iso;
  }

  /** Prepared once per SQL text: preparing costs more than running. */
  private sql(text: string): Statement {
    let s = this.statements.get(text);
    if (!s) this.statements.set(text, (s = this.db.prepare(text)));
    return s;
  }

  /**
   * Runs `fn` in one transaction. Inside a caller's transaction (a batch) it joins that one
   * rather than opening a savepoint: the batch commits or rolls back whole. A body that returns
   * a promise is refused (better-sqlite3 refuses it only when it opens the transaction): what
   * ran after its first await would run outside the transaction. Only transactionAsync awaits.
   *
   * `durable`: the commit is on disk before this returns (synchronous = FULL: the WAL is synced
   * at the commit; the database's NORMAL leaves that to the next checkpoint, so a power cut can
   * undo the last commits). For the commits that queue an alert and that record a post: undone,
   * an alert already posted would be queued again under a new record key and posted twice. A
   * joined call is as durable as the caller's transaction, which is why insertAlert checks.
   */
  transaction<T>(fn: () => T, options: { durable?: boolean } = {}): T {
    if (this.db.inTransaction) {
      const result = fn();
      if (typeof (result as { then?: unknown } | null)?.then === 'function') {
        throw new TypeError('a transaction body returned a promise: a transaction cannot stay open across an await');
      }
      return result;
    }
    const restore = options.durable ? this.syncFully() : undefined;
    try {
      return this.run.immediate(fn) as T;
    } finally {
      restore?.();
    }
  }

  /**
   * `transaction` for a body that awaits (replay waits on its reading thread inside one). Calls
   * to `transaction` from the body join it. Nothing else may use the connection until it ends.
   */
  async transactionAsync<T>(fn: () => Promise<T>, options: { durable?: boolean } = {}): Promise<T> {
    const restore = options.durable ? this.syncFully() : undefined;
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (e) {
      restore?.();
      throw e;
    }
    try {
      const result = await fn();
      this.db.exec('COMMIT');
      return result;
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw e;
    } finally {
      if (!this.db.inTransaction) restore?.();
    }
  }

  /** Sets synchronous = FULL (SQLite allows it only between transactions); the returned function puts back the level before. */
  private syncFully(): () => void {
    const before = this.db.pragma('synchronous', { simple: true }) as number;
    if (before >= SYNCHRONOUS_FULL) return () => {};
    this.db.pragma(`synchronous = ${SYNCHRONOUS_FULL}`);
    return () => void this.db.pragma(`synchronous = ${before}`);
  }

  /** Throws when the database does not answer (the daemon's health check). */
  ping(): void {
    this.db.prepare('SELECT 1').get();
  }

  /** A consistent copy of the database at `target`, while others read and write it. */
  backup(target: string): Promise<unknown> {
    return this.db.backup(target);
  }

  getMeta(key: string): string | undefined {
    const row = this.sql('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.sql('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /**
   * Gives every party of every tracker a row: its initial status from config (with a silent
   * 'seed' transition), or unknown. Parties added to config later get their row on the next
   * start. `useInitial: false` starts every party at unknown (the demo replays history).
   */
  seed(trackers: Tracker[], useInitial = true): number {
    let seeded = 0;
    const has = this.sql('SELECT 1 FROM party_status WHERE tracker = ? AND party = ?');
    const insert = this.sql('INSERT INTO party_status (tracker, party, status, since) VALUES (?, ?, ?, ?)');
    for (const t of trackers) {
      for (const p of t.parties) {
        if (has.get(t.id, p.id)) continue;
        const initial = useInitial ? p.initial : undefined;
        const since = initial ? new Date(initial.since.length === 7 ? `${initial.since}-01` : initial.since) : null;
        insert.run(t.id, p.id, initial?.status ?? 'unknown', since ? iso(since) : null);
        if (initial && initial.status !== 'unknown') {
          this.insertTransition({
            tracker: t.id,
            party: p.id,
            from: 'unknown',
            to: initial.status,
            at: since!,
            kind: 'seed',
            reason: 'initial status from config',
            note: initial.note ?? null,
            evidenceUrl: initial.evidence,
            actor: null,
          });
        }
        seeded++;
      }
    }
    return seeded;
  }

  /**
   * Items near `itemTime` from other publishers that made the same claim (party and status):
   * the candidates a new item may be a copy of, oldest first. Read as the caller goes, so one
   * that stops at the first copy reads no further rows. (An assertion's item_time is its
   * item's, so the index gives the order.) Consume it with for-of, which closes the query on
   * leaving the loop: an open query keeps the connection from writing.
   */
  *copyCandidates(
    claim: { tracker: string; party: string; status: string },
    publisher: string,
    itemTime: Date,
    windowDays: number,
  ): Generator<{ id: number; text: string; copyOf: number | null }> {
    const from = iso(new Date(itemTime.getTime() - windowDays * 86_400_000));
    const to = iso(new Date(itemTime.getTime() + windowDays * 86_400_000));
    const rows = this
      .sql(
        `SELECT i.id, i.text, i.copy_of FROM assertions a JOIN items i ON i.id = a.item_id
         WHERE a.tracker = ? AND a.party = ? AND a.status = ? AND a.item_time BETWEEN ? AND ?
           AND i.text IS NOT NULL AND i.publisher <> ?
         ORDER BY a.item_time, a.item_id`,
      )
      .iterate(claim.tracker, claim.party, claim.status, from, to, publisher) as IterableIterator<{ id: number; text: string; copy_of: number | null }>;
    // An item with two assertions of the claim comes twice; a set is cheaper than DISTINCT's temporary b-tree.
    const seen = new Set<number>();
    for (const r of rows) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      yield { id: r.id, text: r.text, copyOf: r.copy_of };
    }
  }

  /**
   * Stores a new item, or returns undefined when it is an exact repeat of a stored one: the same
   * GUID from its source, the same canonical URL or the same text (the unique indexes decide).
   */
  insertItem(item: NewItem, assertionCount: number, copyOf: number | undefined): number | undefined {
    // Each time is formatted once: an item's time is usually its publication time, and the
    // items of one poll share their fetch time.
    const itemTime = iso(item.itemTime);
    const result = this
      .sql(
        `INSERT INTO items (source_id, guid, url, canonical_url, title, text, text_hash, author, publisher, trust,
           speaks_for, published_at, fetched_at, item_time, assertion_count, copy_of, via, encoding, fictional, failed)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      )
      .run(
        item.sourceId,
        item.guid ?? null,
        item.url ?? null,
        item.canonicalUrl ?? null,
        item.failed === undefined ? (item.title ?? null) : null,
        item.failed === undefined ? item.text : null,
        item.textHash,
        item.author ?? null,
        item.publisher,
        item.trust,
        item.speaksFor === null ? null : JSON.stringify(item.speaksFor),
        item.publishedAt ? (item.publishedAt.getTime() === item.itemTime.getTime() ? itemTime : iso(item.publishedAt)) : null,
        this.fetchedIso(item.fetchedAt),
        itemTime,
        assertionCount,
        copyOf ?? null,
        item.via ?? null,
        item.encoding ?? null,
        item.fictional ? 1 : 0,
        item.failed ?? null,
      );
    return result.changes ? Number(result.lastInsertRowid) : undefined;
  }

  insertAssertion(itemId: number, a: Assertion, itemTime: Date): number {
    const result = this
      .sql(
        `INSERT INTO assertions (item_id, tracker, party, status, modality, historical, rule, evidence, item_time)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(itemId, a.tracker, a.party, a.status, a.modality, a.historical ? 1 : 0, a.rule, a.evidence, iso(itemTime));
    return Number(result.lastInsertRowid);
  }

  partyState(tracker: string, party: string): PartyState {
    const row = this.sql('SELECT * FROM party_status WHERE tracker = ? AND party = ?').get(tracker, party) as
      | { status: PartyStatus; since: string | null; reported_status: PartyStatus | null; reported_since: string | null; reported_evidence: string | null }
      | undefined;
    if (!row) return { status: 'unknown', since: null, reported: null };
    const reported: Reported | null =
      row.reported_status && row.reported_since
        ? { status: row.reported_status, since: new Date(row.reported_since), evidence: JSON.parse(row.reported_evidence ?? '[]') as number[] }
        : null;
    return { status: row.status, since: row.since ? new Date(row.since) : null, reported };
  }

  writeState(tracker: string, party: string, state: PartyState): void {
    this
      .sql(
        `INSERT INTO party_status (tracker, party, status, since, reported_status, reported_since, reported_evidence)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (tracker, party) DO UPDATE SET status = excluded.status, since = excluded.since,
           reported_status = excluded.reported_status, reported_since = excluded.reported_since,
           reported_evidence = excluded.reported_evidence`,
      )
      .run(
        tracker,
        party,
        state.status,
        state.since ? iso(state.since) : null,
        state.reported?.status ?? null,
        state.reported ? iso(state.reported.since) : null,
        state.reported ? JSON.stringify(state.reported.evidence) : null,
      );
  }

  /** The party's asserted claims of `status` within `windowDays` of `around`, as the reducer sees them. */
  claimsNear(tracker: string, party: string, status: string, around: Date, windowDays: number): Claim[] {
    const span = windowDays * 86_400_000;
    const rows = this
      .sql(
        `SELECT a.id, a.item_id, a.status, a.modality, a.historical, a.item_time, i.trust, i.publisher, i.speaks_for, i.copy_of
         FROM assertions a JOIN items i ON i.id = a.item_id
         WHERE a.tracker = ? AND a.party = ? AND a.status = ? AND a.modality = 'asserted' AND a.item_time BETWEEN ? AND ?`,
      )
      .all(tracker, party, status, iso(new Date(around.getTime() - span)), iso(new Date(around.getTime() + span))) as {
      id: number;
      item_id: number;
      status: AssertedStatus;
      modality: Modality;
      historical: number;
      item_time: string;
      trust: Trust;
      publisher: string;
      speaks_for: string | null;
      copy_of: number | null;
    }[];
    return rows.map((r) => ({
      assertionId: r.id,
      itemId: r.item_id,
      copyGroup: r.copy_of ?? r.item_id,
      status: r.status,
      modality: r.modality,
      historical: r.historical === 1,
      trust: r.trust,
      publisher: r.publisher,
      speaksFor: r.speaks_for ? (JSON.parse(r.speaks_for) as SpeaksFor) : null,
      itemTime: new Date(r.item_time),
    }));
  }

  insertTransition(t: {
    tracker: string;
    party: string;
    from: PartyStatus;
    to: PartyStatus;
    at: Date;
    kind: TransitionKind;
    reason: string;
    actor: string | null;
    note: string | null;
    evidenceUrl: string | null;
    assertionIds?: number[];
  }): number {
    const result = this
      .sql(
        `INSERT INTO transitions (tracker, party, from_status, to_status, at, recorded_at, kind, reason, actor, note, evidence_url)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(t.tracker, t.party, t.from, t.to, iso(t.at), iso(this.now()), t.kind, t.reason, t.actor, t.note, t.evidenceUrl);
    const id = Number(result.lastInsertRowid);
    const link = this.sql('INSERT OR IGNORE INTO transition_assertions (transition_id, assertion_id) VALUES (?, ?)');
    for (const a of t.assertionIds ?? []) link.run(id, a);
    return id;
  }

  /**
   * Queues an alert with its record key (a TID), chosen now, in the same transaction as its
   * change: every later attempt to post it uses this key, so the PDS can hold it only once. A
   * fictional alert is recorded as dry-run, whatever `state` says, with FICTIONAL_NOTE.
   */
  insertAlert(a: { transitionId: number | null; reportedKey: string | null; tracker: string; party: string; status: string; state: AlertState; text: string; fictional?: boolean }): number | undefined {
    // A mistake in the code, caught where it would do harm: see `transaction`'s `durable`.
    if ((this.db.pragma('synchronous', { simple: true }) as number) < SYNCHRONOUS_FULL) {
      throw new Error(`alert about ${a.tracker}/${a.party} queued in a transaction that is not durable: open it with { durable: true }`);
    }
    const now = iso(this.now());
    const result = this
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

  alert(id: number): AlertRow | undefined {
    const row = this.sql('SELECT * FROM alerts WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return row ? toAlert(row) : undefined;
  }

  /** Alerts in `state` (every alert without one), oldest first, at most `limit` of them. */
  alerts(state?: AlertState, limit = Infinity): AlertRow[] {
    const max = Number.isFinite(limit) ? limit : -1; // SQLite reads LIMIT -1 as none
    const rows = (
      state ? this.sql('SELECT * FROM alerts WHERE state = ? ORDER BY id LIMIT ?').all(state, max) : this.sql('SELECT * FROM alerts ORDER BY id LIMIT ?').all(max)
    ) as Record<string, unknown>[];
    return rows.map(toAlert);
  }

  /** The last alert about this party that was posted, for threading. */
  previousSent(alert: { id: number; tracker: string; party: string }): AlertRow | undefined {
    const row = this.sql(
      `SELECT * FROM alerts WHERE tracker = ? AND party = ? AND state = 'sent' AND uri IS NOT NULL AND id < ? ORDER BY id DESC LIMIT 1`,
    ).get(alert.tracker, alert.party, alert.id) as Record<string, unknown> | undefined;
    return row ? toAlert(row) : undefined;
  }

  /** A failed attempt that may be retried: the alert stays queued, with the reason, and waits `waitMs` (the outbox decides how long). */
  noteAttempt(id: number, error: string, waitMs: number): void {
    const attempts = ((this.sql('SELECT attempts FROM alerts WHERE id = ?').get(id) as { attempts: number } | undefined)?.attempts ?? 0) + 1;
    const now = this.now();
    this.sql('UPDATE alerts SET attempts = ?, last_error = ?, updated_at = ?, next_attempt = ? WHERE id = ?').run(
      attempts,
      error,
      iso(now),
      storedTime(now.getTime() + Math.max(0, waitMs), `alert ${id}: nextAttempt`),
      id,
    );
  }

  /**
   * A queued alert that must wait until a known time (a rate budget, a Retry-After, the login
   * cap): not a failed attempt, so it neither counts one nor backs off further.
   */
  deferAlert(id: number, reason: string, until: Date): void {
    this.sql('UPDATE alerts SET last_error = ?, updated_at = ?, next_attempt = ? WHERE id = ?').run(reason, iso(this.now()), storedTime(until, `alert ${id}: nextAttempt`), id);
  }

  /** A fictional alert never becomes queued, held or sent: it is left as it is. */
  setAlertState(id: number, state: AlertState, extra: { uri?: string; error?: string } = {}): void {
    this
      .sql(
        `UPDATE alerts SET state = ?, uri = COALESCE(?, uri), last_error = ?, updated_at = ?, attempts = attempts + (? IN ('sent', 'failed', 'dry-run'))
         WHERE id = ? AND (fictional = 0 OR ? NOT IN ('queued', 'held', 'sent'))`,
      )
      .run(state, extra.uri ?? null, extra.error ?? null, iso(this.now()), state, id, state);
  }

  transitions(options: { since?: number; tracker?: string } = {}): TransitionRow[] {
    const rows = this
      .sql(
        `SELECT * FROM transitions WHERE id > ? AND (? IS NULL OR tracker = ?) ORDER BY at, id`,
      )
      .all(options.since ?? 0, options.tracker ?? null, options.tracker ?? null) as Record<string, unknown>[];
    return rows.map(toTransition);
  }

  lastTransitionId(): number {
    return (this.sql('SELECT COALESCE(MAX(id), 0) AS id FROM transitions').get() as { id: number }).id;
  }

  lastAlertId(): number {
    return (this.sql('SELECT COALESCE(MAX(id), 0) AS id FROM alerts').get() as { id: number }).id;
  }

  /** Assertions behind a transition, with their items, for evidence lists and alert text. */
  transitionEvidence(transitionId: number): Citation[] {
    return this.citations(
      `SELECT a.id, a.item_id, i.copy_of, a.status, a.evidence, a.item_time, i.url, i.publisher, i.trust, i.published_at, i.fictional FROM transition_assertions ta
       JOIN assertions a ON a.id = ta.assertion_id JOIN items i ON i.id = a.item_id
       WHERE ta.transition_id = ? ORDER BY a.item_time, a.id`,
      transitionId,
    );
  }

  /** Asserted claims of `status` about a party, newest first: what supports its status. */
  supportingEvidence(tracker: string, party: string, status: string, limit = 10): Citation[] {
    return this.citations(
      `SELECT a.id, a.item_id, i.copy_of, a.status, a.evidence, a.item_time, i.url, i.publisher, i.trust, i.published_at, i.fictional FROM assertions a
       JOIN items i ON i.id = a.item_id
       WHERE a.tracker = ? AND a.party = ? AND a.status = ? AND a.modality = 'asserted'
       ORDER BY a.item_time DESC, a.id DESC LIMIT ?`,
      tracker,
      party,
      status,
      limit,
    );
  }

  evidenceByIds(ids: number[]): Citation[] {
    if (ids.length === 0) return [];
    return this.citations(
      `SELECT a.id, a.item_id, i.copy_of, a.status, a.evidence, a.item_time, i.url, i.publisher, i.trust, i.published_at, i.fictional FROM assertions a
       JOIN items i ON i.id = a.item_id WHERE a.id IN (${ids.map(() => '?').join(',')}) ORDER BY a.item_time DESC, a.id DESC`,
      ...ids,
    );
  }

  private citations(sql: string, ...params: unknown[]): Citation[] {
    const rows = this.sql(sql).all(...params) as {
      id: number;
      item_id: number;
      copy_of: number | null;
      status: string;
      evidence: string;
      item_time: string;
      url: string | null;
      publisher: string;
      trust: Trust;
      published_at: string | null;
      fictional: number;
    }[];
    return rows.map((r) => ({
      assertionId: r.id,
      copyGroup: r.copy_of ?? r.item_id,
      url: r.url,
      publisher: r.publisher,
      quote: r.evidence,
      published: r.published_at ?? r.item_time,
      status: r.status,
      trust: r.trust,
      fictional: r.fictional === 1,
    }));
  }

  partyStatuses(tracker: string): { party: string; state: PartyState }[] {
    const rows = this.sql('SELECT party FROM party_status WHERE tracker = ?').all(tracker) as { party: string }[];
    return rows.map((r) => ({ party: r.party, state: this.partyState(tracker, r.party) }));
  }

  sourceStates(): SourceStateRow[] {
    const rows = this.sql('SELECT id, kind, url, last_success, last_error, next_poll, unreliable_guids FROM sources ORDER BY id').all() as {
      id: string;
      kind: string;
      url: string | null;
      last_success: string | null;
      last_error: string | null;
      next_poll: string | null;
      unreliable_guids: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      url: r.url,
      lastSuccess: r.last_success,
      lastError: r.last_error,
      nextPoll: r.next_poll,
      unreliableGuids: r.unreliable_guids,
    }));
  }

  /** Whether an item with this canonical URL is stored, from any source. */
  knowsUrl(canonicalUrl: string): boolean {
    return this.sql('SELECT 1 FROM items WHERE canonical_url = ?').get(canonicalUrl) !== undefined;
  }

  /** The canonical link and text hash of the item stored from this source under this GUID. */
  itemByGuid(sourceId: string, guid: string): { canonicalUrl: string | null; textHash: Buffer } | undefined {
    const row = this.sql('SELECT canonical_url, text_hash FROM items WHERE source_id = ? AND guid = ?').get(sourceId, guid) as
      | { canonical_url: string | null; text_hash: Buffer }
      | undefined;
    return row ? { canonicalUrl: row.canonical_url, textHash: row.text_hash } : undefined;
  }

  sourceState(id: string): SourceState | undefined {
    const r = this.sql('SELECT * FROM sources WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    if (!r) return undefined;
    return {
      id: r.id as string,
      kind: r.kind as string,
      url: (r.url as string | null) ?? null,
      etag: (r.etag as string | null) ?? null,
      lastModified: (r.last_modified as string | null) ?? null,
      cursor: (r.cursor as string | null) ?? null,
      lastSuccess: (r.last_success as string | null) ?? null,
      lastError: (r.last_error as string | null) ?? null,
      lastErrorAt: (r.last_error_at as string | null) ?? null,
      failures: r.failures as number,
      nextPoll: (r.next_poll as string | null) ?? null,
      gone: r.gone === 1,
      unreliableGuids: (r.unreliable_guids as string | null) ?? null,
    };
  }

  saveSourceState(s: SourceState): void {
    // Times are compared as text (here, in status and by the poller): one that is not
    // toISOString's four-digit-year form must never land.
    for (const field of ['lastSuccess', 'lastErrorAt', 'nextPoll'] as const) {
      const value = s[field];
      if (value !== null && !isStoredTime(value)) throw new StoreError('PW_STORE_TIME', `source ${s.id}: ${field} is not a time: "${value}"`);
    }
    this.sql(
      `INSERT INTO sources (id, kind, url, etag, last_modified, cursor, last_success, last_error, last_error_at, failures, next_poll, gone, unreliable_guids)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, url = excluded.url, etag = excluded.etag,
         last_modified = excluded.last_modified, cursor = excluded.cursor, last_success = excluded.last_success,
         last_error = excluded.last_error, last_error_at = excluded.last_error_at, failures = excluded.failures,
         next_poll = excluded.next_poll, gone = excluded.gone, unreliable_guids = excluded.unreliable_guids`,
    ).run(s.id, s.kind, s.url, s.etag, s.lastModified, s.cursor, s.lastSuccess, s.lastError, s.lastErrorAt, s.failures, s.nextPoll, s.gone ? 1 : 0, s.unreliableGuids);
  }

  /** Drops the text of old items that claimed nothing; their hashes stay, so dedupe still knows them. */
  prune(olderThanDays: number): number {
    const cutoff = iso(new Date(this.now().getTime() - olderThanDays * 86_400_000));
    return this
      .sql(`UPDATE items SET title = NULL, text = NULL, pruned_at = ? WHERE assertion_count = 0 AND pruned_at IS NULL AND fetched_at < ?`)
      .run(iso(this.now()), cutoff).changes;
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

function toTransition(r: Record<string, unknown>): TransitionRow {
  return {
    id: r.id as number,
    tracker: r.tracker as string,
    party: r.party as string,
    from: r.from_status as PartyStatus,
    to: r.to_status as PartyStatus,
    at: r.at as string,
    recordedAt: r.recorded_at as string,
    kind: r.kind as TransitionKind,
    reason: r.reason as string,
    actor: (r.actor as string | null) ?? null,
    note: (r.note as string | null) ?? null,
    evidenceUrl: (r.evidence_url as string | null) ?? null,
  };
}
