// The transitions table: each change of a party's confirmed status, with the assertions behind it.
import type { TransitionKind, TransitionRow } from '../model/ledger.js';
import type { PartyStatus } from '../model/party.js';
import type { Connection } from './connection.js';
import { iso } from './times.js';

/** A transition to record; `assertionIds` are the assertions that justify it. */
export interface NewTransition {
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
}

export class Transitions {
  constructor(private readonly c: Connection) {}

  insert(t: NewTransition): number {
    const result = this.c
      .sql(
        `INSERT INTO transitions (tracker, party, from_status, to_status, at, recorded_at, kind, reason, actor, note, evidence_url)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(t.tracker, t.party, t.from, t.to, iso(t.at), iso(this.c.now()), t.kind, t.reason, t.actor, t.note, t.evidenceUrl);
    const id = Number(result.lastInsertRowid);
    const link = this.c.sql('INSERT OR IGNORE INTO transition_assertions (transition_id, assertion_id) VALUES (?, ?)');
    for (const a of t.assertionIds ?? []) link.run(id, a);
    return id;
  }

  /** Transitions after id `since`, of one tracker or all, in the order they happened. */
  list(options: { since?: number; tracker?: string } = {}): TransitionRow[] {
    const rows = this.c
      .sql(`SELECT * FROM transitions WHERE id > ? AND (? IS NULL OR tracker = ?) ORDER BY at, id`)
      .all(options.since ?? 0, options.tracker ?? null, options.tracker ?? null) as Record<string, unknown>[];
    return rows.map(toTransition);
  }

  lastId(): number {
    return (this.c.sql('SELECT COALESCE(MAX(id), 0) AS id FROM transitions').get() as { id: number }).id;
  }
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
