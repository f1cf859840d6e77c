// The sources table: what the store remembers of each source between polls.
import type { SourceState, SourceStateRow } from '../model/ledger.js';
import { StoreError } from '../errors.js';
import { isStoredTime } from '../text/stored-time.js';
import type { Connection } from './connection.js';

export class SourceStates {
  constructor(private readonly c: Connection) {}

  /** The part of every source's state that status shows, by id. */
  list(): SourceStateRow[] {
    const rows = this.c.sql('SELECT id, kind, url, last_success, last_error, next_poll, unreliable_guids, degraded FROM sources ORDER BY id').all() as {
      id: string;
      kind: string;
      url: string | null;
      last_success: string | null;
      last_error: string | null;
      next_poll: string | null;
      unreliable_guids: string | null;
      degraded: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      url: r.url,
      lastSuccess: r.last_success,
      lastError: r.last_error,
      nextPoll: r.next_poll,
      unreliableGuids: r.unreliable_guids,
      degraded: r.degraded,
    }));
  }

  get(id: string): SourceState | undefined {
    const r = this.c.sql('SELECT * FROM sources WHERE id = ?').get(id) as Record<string, unknown> | undefined;
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
      degraded: (r.degraded as string | null) ?? null,
    };
  }

  save(s: SourceState): void {
    // Times are compared as text (here, in status and by the poller): one that is not
    // toISOString's four-digit-year form must never land.
    for (const field of ['lastSuccess', 'lastErrorAt', 'nextPoll'] as const) {
      const value = s[field];
      if (value !== null && !isStoredTime(value)) throw new StoreError('PW_STORE_TIME', `source ${s.id}: ${field} is not a time: "${value}"`);
    }
    this.c
      .sql(
        `INSERT INTO sources (id, kind, url, etag, last_modified, cursor, last_success, last_error, last_error_at, failures, next_poll, gone, unreliable_guids, degraded)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, url = excluded.url, etag = excluded.etag,
           last_modified = excluded.last_modified, cursor = excluded.cursor, last_success = excluded.last_success,
           last_error = excluded.last_error, last_error_at = excluded.last_error_at, failures = excluded.failures,
           next_poll = excluded.next_poll, gone = excluded.gone, unreliable_guids = excluded.unreliable_guids,
           degraded = excluded.degraded`,
      )
      .run(s.id, s.kind, s.url, s.etag, s.lastModified, s.cursor, s.lastSuccess, s.lastError, s.lastErrorAt, s.failures, s.nextPoll, s.gone ? 1 : 0, s.unreliableGuids, s.degraded);
  }
}
