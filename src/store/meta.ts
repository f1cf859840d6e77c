// The meta table: the publisher's session, budgets and pacing, and the database's creation, each behind a typed accessor.
import type { Connection } from './connection.js';

/**
 * The rows' keys. A database written by any earlier version holds these: renaming one would
 * forget what it holds (a login budget, a session) without a migration.
 */
const KEYS = {
  createdAt: 'created_at',
  lastPost: 'outbox_last_post',
  session: 'bluesky_session',
  botLabelled: 'bluesky_bot_label',
  points: 'bluesky_points',
  logins: 'bluesky_logins',
  rateLimitedUntil: 'bluesky_retry_after',
} as const;

/** One meta row, read as `R` and written from `W`. */
export interface Setting<R, W = R> {
  get(): R;
  set(value: W): void;
}

/** The Bluesky session the publisher resumes (AtpSessionData's shape), kept whole as the client gave it, tokens included. */
export interface StoredSession {
  did: string;
  handle: string;
  email?: string | undefined;
  accessJwt: string;
  refreshJwt: string;
  active: boolean;
}

/** What Bluesky lets the publisher spend, as spent so far. Times are ms since the epoch. */
export interface WriteBudget {
  /** Write points spent, as [time, points] pairs in the order spent. */
  points: Setting<[number, number][]>;
  /** Logins counted, in the order made. */
  logins: Setting<number[]>;
  /**
   * When the wait a 429 asked for ends: the text as stored, since an older version's or a
   * corrupt row may be no time at all, and the reader bounds it (waits.ts `waitingUntil`).
   */
  rateLimitedUntil: Setting<string | undefined, number>;
}

export class Meta {
  /** When the database was first opened (ISO time); undefined on an empty one. */
  readonly createdAt: Setting<string | undefined, string>;
  /** When the outbox last handed a post to a publisher, so spacing holds across drains; 0 when never. */
  readonly lastPost: Setting<number>;
  /** The publisher's Bluesky session; undefined when none is kept (set undefined to drop it). */
  readonly session: Setting<StoredSession | undefined>;
  /** The account (its DID) already declared a bot, so the profile is written once. */
  readonly botLabelled: Setting<string | undefined, string>;
  readonly budget: WriteBudget;

  constructor(private readonly c: Connection) {
    const text = (key: string): Setting<string | undefined, string> => this.setting(key, (t) => t, (v) => v);
    this.createdAt = text(KEYS.createdAt);
    this.botLabelled = text(KEYS.botLabelled);
    this.lastPost = this.setting(KEYS.lastPost, (t) => Number(t ?? 0), String);
    // An empty value is a session dropped (the client's persistSession says so).
    this.session = this.setting(KEYS.session, (t) => (t ? (JSON.parse(t) as StoredSession) : undefined), (s) => (s ? JSON.stringify(s) : ''));
    this.budget = {
      points: this.setting(KEYS.points, (t) => JSON.parse(t ?? '[]') as [number, number][], JSON.stringify),
      logins: this.setting(KEYS.logins, (t) => JSON.parse(t ?? '[]') as number[], JSON.stringify),
      rateLimitedUntil: this.setting(KEYS.rateLimitedUntil, (t) => t, String),
    };
  }

  private setting<R, W>(key: string, read: (text: string | undefined) => R, write: (value: W) => string): Setting<R, W> {
    return {
      get: () => read((this.c.sql('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value),
      set: (value) => void this.c.sql('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, write(value)),
    };
  }
}
