// The assertions table: each claim an item makes, read back as the reducer's claims or as citations.
import type { Assertion, AssertedStatus, Modality } from '../model/assertion.js';
import type { SpeaksFor, Trust } from '../model/item.js';
import type { Citation } from '../model/ledger.js';
import type { Claim } from '../model/party.js';
import type { Connection } from './connection.js';
import { iso } from './times.js';

/** An assertion with the item it came from, as citations select it. */
const CITED = `SELECT a.id, a.item_id, i.copy_of, a.status, a.evidence, a.item_time, i.url, i.publisher, i.trust, i.speaks_for, i.published_at, i.fictional, i.deleted_at`;

interface ClaimRow {
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
}

export class Evidence {
  constructor(private readonly c: Connection) {}

  insert(itemId: number, a: Assertion, itemTime: Date): number {
    const result = this.c
      .sql(
        `INSERT INTO assertions (item_id, tracker, party, status, modality, historical, rule, evidence, item_time)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(itemId, a.tracker, a.party, a.status, a.modality, a.historical ? 1 : 0, a.rule, a.evidence, iso(itemTime));
    return Number(result.lastInsertRowid);
  }

  /**
   * The party's asserted claims of `status` within `windowDays` of `around` (and not before
   * `notBefore`), as the reducer sees them: every one from the press and official sources, and
   * of social posts only the first `socialLimit` (they never count towards a change, and a rumour
   * repeated thousands of times must not make each new post read all the others). A post its
   * author deleted is not among them: what it claimed must not come back in the next claim's
   * corroboration (pipeline/withdraw.ts).
   */
  claimsNear(tracker: string, party: string, status: string, around: Date, windowDays: number, { socialLimit = -1, notBefore = null }: { socialLimit?: number; notBefore?: Date | null } = {}): Claim[] {
    const span = windowDays * 86_400_000;
    const from = iso(new Date(Math.max(around.getTime() - span, notBefore?.getTime() ?? -Infinity)));
    const args = [tracker, party, status, from, iso(new Date(around.getTime() + span))];
    const select = `SELECT a.id, a.item_id, a.status, a.modality, a.historical, a.item_time, i.trust, i.publisher, i.speaks_for, i.copy_of
         FROM assertions a JOIN items i ON i.id = a.item_id
         WHERE a.tracker = ? AND a.party = ? AND a.status = ? AND a.modality = 'asserted' AND a.item_time BETWEEN ? AND ?
           AND i.deleted_at IS NULL`;
    const rows = [
      ...(this.c.sql(`${select} AND i.trust <> 'social'`).all(...args) as ClaimRow[]),
      // (A negative limit is none in SQLite.)
      ...(this.c.sql(`${select} AND i.trust = 'social' ORDER BY a.item_time, a.id LIMIT ?`).all(...args, socialLimit) as ClaimRow[]),
    ];
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

  /** Assertions behind a transition, with their items, for evidence lists and alert text. */
  ofTransition(transitionId: number): Citation[] {
    return this.citations(
      `${CITED} FROM transition_assertions ta
       JOIN assertions a ON a.id = ta.assertion_id JOIN items i ON i.id = a.item_id
       WHERE ta.transition_id = ? ORDER BY a.item_time, a.id`,
      transitionId,
    );
  }

  /** Asserted claims of `status` about a party, newest first: what supports its status. */
  supporting(tracker: string, party: string, status: string, limit = 10): Citation[] {
    return this.citations(
      `${CITED} FROM assertions a
       JOIN items i ON i.id = a.item_id
       WHERE a.tracker = ? AND a.party = ? AND a.status = ? AND a.modality = 'asserted'
       ORDER BY a.item_time DESC, a.id DESC LIMIT ?`,
      tracker,
      party,
      status,
      limit,
    );
  }

  /** The assertions an item made: which parties' claims it may be evidence of. */
  ofItem(itemId: number): { id: number; tracker: string; party: string }[] {
    return this.c.sql('SELECT id, tracker, party FROM assertions WHERE item_id = ? ORDER BY id').all(itemId) as { id: number; tracker: string; party: string }[];
  }

  byIds(ids: number[]): Citation[] {
    if (ids.length === 0) return [];
    return this.citations(
      `${CITED} FROM assertions a
       JOIN items i ON i.id = a.item_id WHERE a.id IN (${ids.map(() => '?').join(',')}) ORDER BY a.item_time DESC, a.id DESC`,
      ...ids,
    );
  }

  private citations(sql: string, ...params: unknown[]): Citation[] {
    const rows = this.c.sql(sql).all(...params) as {
      id: number;
      item_id: number;
      copy_of: number | null;
      status: string;
      evidence: string;
      item_time: string;
      url: string | null;
      publisher: string;
      trust: Trust;
      speaks_for: string | null;
      published_at: string | null;
      fictional: number;
      deleted_at: string | null;
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
      speaksFor: r.speaks_for ? (JSON.parse(r.speaks_for) as SpeaksFor) : null,
      fictional: r.fictional === 1,
      deletedAt: r.deleted_at,
    }));
  }
}
