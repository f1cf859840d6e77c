// The ledger's front: the transactions, and every query the app makes, handed to its table's module.
import type { Assertion } from '../model/assertion.js';
import type { AlertRow, AlertState } from '../model/alert.js';
import type { Citation, NewItem, SourceState, SourceStateRow, TransitionRow } from '../model/ledger.js';
import type { Claim, PartyState } from '../model/party.js';
import { Connection, SYNCHRONOUS_FULL } from './connection.js';
import type { Db } from './db.js';
import { Evidence } from './evidence.js';
import { Handles } from './handles.js';
import { Items } from './items.js';
import { Meta, type Setting, type StoredSession, type WriteBudget } from './meta.js';
import { Outbox, type NewAlert } from './outbox.js';
import { PartyStatuses, type SeedTracker } from './party-status.js';
import { SourceStates } from './source-state.js';
import { Transitions, type NewTransition } from './transitions.js';

/**
 * Every method is one statement or a few; callers group them into transactions (see
 * pipeline/process.ts), so an item, its assertions, the change they cause and the alert it queues commit
 * together.
 */
export class Store {
  /** One transaction wrapper for every call (nested calls become savepoints). */
  private readonly run: ReturnType<Db['transaction']>;
  /** One module per table: the methods below hand each call to its table's. */
  private readonly tables: { items: Items; evidence: Evidence; parties: PartyStatuses; transitions: Transitions; outbox: Outbox; sources: SourceStates };

  /** When the database was first opened (ISO time); undefined on an empty one. */
  readonly createdAt: Setting<string | undefined, string>;
  /** When the outbox last handed a post to a publisher (ms since the epoch); 0 when never. */
  readonly lastPost: Setting<number>;
  /** The publisher's Bluesky session. */
  readonly session: Setting<StoredSession | undefined>;
  /** The account (its DID) already declared a bot. */
  readonly botLabelled: Setting<string | undefined, string>;
  /** Bluesky's write points and logins spent, and the wait a 429 asked for. */
  readonly budget: WriteBudget;
  /** Bluesky handles resolved to DIDs, and when (sources/handles.ts decides when to ask again). */
  readonly handles: Handles;

  constructor(
    readonly db: Db,
    now: () => Date = () => new Date(),
  ) {
    this.run = db.transaction((fn: () => unknown) => fn());
    const c = new Connection(db, now);
    const transitions = new Transitions(c);
    this.tables = {
      items: new Items(c),
      evidence: new Evidence(c),
      parties: new PartyStatuses(c, transitions),
      transitions,
      outbox: new Outbox(c),
      sources: new SourceStates(c),
    };
    this.handles = new Handles(c);
    const meta = new Meta(c);
    this.createdAt = meta.createdAt;
    this.lastPost = meta.lastPost;
    this.session = meta.session;
    this.botLabelled = meta.botLabelled;
    this.budget = meta.budget;
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

  /**
   * Changes whenever anything is written to the database, by this connection (total_changes) or
   * by another one, such as `status set` beside the daemon (data_version): what cached pages
   * are kept against.
   */
  changeMark(): string {
    const version = this.db.pragma('data_version', { simple: true }) as number;
    const changes = (this.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    return `${version}.${changes}`;
  }

  /** A consistent copy of the database at `target`, while others read and write it. */
  backup(target: string): Promise<unknown> {
    return this.db.backup(target);
  }

  // Items (items.ts).

  /** Stores a new item; undefined when it is an exact repeat of a stored one. */
  insertItem(item: NewItem, assertionCount: number, copyOf: number | undefined): number | undefined {
    return this.tables.items.insert(item, assertionCount, copyOf);
  }

  /** Items near `itemTime` from other publishers that made the same claim; consume with for-of. */
  copyCandidates(claim: { tracker: string; party: string; status: string }, publisher: string, itemTime: Date, windowDays: number): Generator<{ id: number; text: string; copyOf: number | null }> {
    return this.tables.items.copyCandidates(claim, publisher, itemTime, windowDays);
  }

  knowsUrl(canonicalUrl: string): boolean {
    return this.tables.items.knowsUrl(canonicalUrl);
  }

  itemByGuid(sourceId: string, guid: string): { canonicalUrl: string | null; textHash: Buffer } | undefined {
    return this.tables.items.byGuid(sourceId, guid);
  }

  /** The items stored under a post's URI by any of `sourceIds`, not yet known as deleted. */
  postsNotDeleted(sourceIds: string[], uri: string): { id: number; sourceId: string }[] {
    return this.tables.items.postsNotDeleted(sourceIds, uri);
  }

  markItemDeleted(id: number, at: Date): void {
    this.tables.items.markDeleted(id, at);
  }

  prune(olderThanDays: number): number {
    return this.tables.items.prune(olderThanDays);
  }

  // Assertions, and the evidence they make (evidence.ts).

  insertAssertion(itemId: number, a: Assertion, itemTime: Date): number {
    return this.tables.evidence.insert(itemId, a, itemTime);
  }

  claimsNear(tracker: string, party: string, status: string, around: Date, windowDays: number, options?: { socialLimit?: number; notBefore?: Date | null }): Claim[] {
    return this.tables.evidence.claimsNear(tracker, party, status, around, windowDays, options);
  }

  transitionEvidence(transitionId: number): Citation[] {
    return this.tables.evidence.ofTransition(transitionId);
  }

  supportingEvidence(tracker: string, party: string, status: string, limit = 10): Citation[] {
    return this.tables.evidence.supporting(tracker, party, status, limit);
  }

  itemAssertions(itemId: number): { id: number; tracker: string; party: string }[] {
    return this.tables.evidence.ofItem(itemId);
  }

  evidenceByIds(ids: number[]): Citation[] {
    return this.tables.evidence.byIds(ids);
  }

  // Party status (party-status.ts).

  /** Gives every configured party a row: its initial status (unless `useInitial` is false), or unknown. */
  seed(trackers: SeedTracker[], useInitial = true): number {
    return this.tables.parties.seed(trackers, useInitial);
  }

  partyState(tracker: string, party: string): PartyState {
    return this.tables.parties.get(tracker, party);
  }

  writeState(tracker: string, party: string, state: PartyState): void {
    this.tables.parties.write(tracker, party, state);
  }

  partyStatuses(tracker: string): { party: string; state: PartyState }[] {
    return this.tables.parties.ofTracker(tracker);
  }

  // Transitions (transitions.ts).

  insertTransition(t: NewTransition): number {
    return this.tables.transitions.insert(t);
  }

  transitions(options: { since?: number; tracker?: string } = {}): TransitionRow[] {
    return this.tables.transitions.list(options);
  }

  lastTransitionId(): number {
    return this.tables.transitions.lastId();
  }

  // The outbox (outbox.ts).

  /** Queues an alert with its record key; only in a durable transaction. */
  insertAlert(a: NewAlert): number | undefined {
    return this.tables.outbox.insert(a);
  }

  alert(id: number): AlertRow | undefined {
    return this.tables.outbox.get(id);
  }

  alerts(state?: AlertState, limit = Infinity): AlertRow[] {
    return this.tables.outbox.list(state, limit);
  }

  reportedAlert(key: string): AlertRow | undefined {
    return this.tables.outbox.byReportedKey(key);
  }

  previousSent(alert: { id: number; tracker: string; party: string }): AlertRow | undefined {
    return this.tables.outbox.previousSent(alert);
  }

  noteAttempt(id: number, error: string, waitMs: number): void {
    this.tables.outbox.noteAttempt(id, error, waitMs);
  }

  deferAlert(id: number, reason: string, until: Date): void {
    this.tables.outbox.defer(id, reason, until);
  }

  setAlertState(id: number, state: AlertState, extra: { uri?: string; error?: string } = {}): void {
    this.tables.outbox.setState(id, state, extra);
  }

  lastAlertId(): number {
    return this.tables.outbox.lastId();
  }

  // Sources' state (source-state.ts).

  sourceStates(): SourceStateRow[] {
    return this.tables.sources.list();
  }

  sourceState(id: string): SourceState | undefined {
    return this.tables.sources.get(id);
  }

  saveSourceState(s: SourceState): void {
    this.tables.sources.save(s);
  }
}
