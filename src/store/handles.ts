// The handles table: Bluesky handles resolved to DIDs, with the time each was resolved.
import type { Connection } from './connection.js';

/** A handle's DID as last resolved, and when (a stored time). */
export interface ResolvedHandle {
  did: string;
  resolvedAt: string;
}

export class Handles {
  constructor(private readonly c: Connection) {}

  get(handle: string): ResolvedHandle | undefined {
    const row = this.c.sql('SELECT did, resolved_at FROM handles WHERE handle = ?').get(handle) as { did: string; resolved_at: string } | undefined;
    return row ? { did: row.did, resolvedAt: row.resolved_at } : undefined;
  }

  save(handle: string, resolved: ResolvedHandle): void {
    this.c
      .sql('INSERT INTO handles (handle, did, resolved_at) VALUES (?, ?, ?) ON CONFLICT (handle) DO UPDATE SET did = excluded.did, resolved_at = excluded.resolved_at')
      .run(handle, resolved.did, resolved.resolvedAt);
  }

  forget(handle: string): void {
    this.c.sql('DELETE FROM handles WHERE handle = ?').run(handle);
  }
}
