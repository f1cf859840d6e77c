// The party_status table: each party's confirmed status and the claim reported about it, seeded from config.
import type { PartyState, PartyStatus, Reported } from '../model/party.js';
import type { Connection } from './connection.js';
import { iso } from './times.js';
import type { Transitions } from './transitions.js';

/** What seeding reads of a tracker: its parties and their initial statuses from config. */
export interface SeedTracker {
  id: string;
  parties: { id: string; initial?: { status: PartyStatus; since: string; evidence: string; note?: string | undefined } | undefined }[];
}

export class PartyStatuses {
  constructor(
    private readonly c: Connection,
    /** Where seeding records the initial statuses. */
    private readonly transitions: Transitions,
  ) {}

  /**
   * Gives every party of every tracker a row: its initial status from config (with a silent
   * 'seed' transition), or unknown. Parties added to config later get their row on the next
   * start. `useInitial: false` starts every party at unknown (the demo replays history).
   */
  seed(trackers: SeedTracker[], useInitial: boolean): number {
    let seeded = 0;
    const has = this.c.sql('SELECT 1 FROM party_status WHERE tracker = ? AND party = ?');
    const insert = this.c.sql('INSERT INTO party_status (tracker, party, status, since) VALUES (?, ?, ?, ?)');
    for (const t of trackers) {
      for (const p of t.parties) {
        if (has.get(t.id, p.id)) continue;
        const initial = useInitial ? p.initial : undefined;
        const since = initial ? new Date(initial.since.length === 7 ? `${initial.since}-01` : initial.since) : null;
        insert.run(t.id, p.id, initial?.status ?? 'unknown', since ? iso(since) : null);
        if (initial && initial.status !== 'unknown') {
          this.transitions.insert({
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

  get(tracker: string, party: string): PartyState {
    const row = this.c.sql('SELECT * FROM party_status WHERE tracker = ? AND party = ?').get(tracker, party) as
      | { status: PartyStatus; since: string | null; reported_status: PartyStatus | null; reported_since: string | null; reported_evidence: string | null }
      | undefined;
    if (!row) return { status: 'unknown', since: null, reported: null };
    const reported: Reported | null =
      row.reported_status && row.reported_since
        ? { status: row.reported_status, since: new Date(row.reported_since), evidence: JSON.parse(row.reported_evidence ?? '[]') as number[] }
        : null;
    return { status: row.status, since: row.since ? new Date(row.since) : null, reported };
  }

  write(tracker: string, party: string, state: PartyState): void {
    this.c
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

  /** Every party of a tracker with its state. */
  ofTracker(tracker: string): { party: string; state: PartyState }[] {
    const rows = this.c.sql('SELECT party FROM party_status WHERE tracker = ?').all(tracker) as { party: string }[];
    return rows.map((r) => ({ party: r.party, state: this.get(tracker, r.party) }));
  }
}
