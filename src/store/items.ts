// The items table: storing an item once (exact repeats refused), finding it again, copy candidates, pruning.
import type { NewItem } from '../model/ledger.js';
import type { Connection } from './connection.js';
import { iso } from './times.js';

export class Items {
  /** The last fetch time formatted (see insert). */
  private lastFetched = { time: NaN, iso: '' };

  constructor(private readonly c: Connection) {}

  private fetchedIso(d: Date): string {
    if (d.getTime() !== this.lastFetched.time) this.lastFetched = { time: d.getTime(), iso: iso(d) };
    return this.lastFetched.iso;
  }

  /**
   * Stores a new item, or returns undefined when it is an exact repeat of a stored one: the same
   * GUID from its source, the same canonical URL or the same text (the unique indexes decide).
   */
  insert(item: NewItem, assertionCount: number, copyOf: number | undefined): number | undefined {
    // Each time is formatted once: an item's time is usually its publication time, and the
    // items of one poll share their fetch time.
    const itemTime = iso(item.itemTime);
    const result = this.c
      .sql(
        `INSERT INTO items (source_id, guid, url, canonical_url, title, text, text_hash, author, publisher, trust,
           speaks_for, published_at, fetched_at, item_time, assertion_count, copy_of, via, encoding, fictional, failed, langs)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
        item.langs?.length ? JSON.stringify(item.langs) : null,
      );
    return result.changes ? Number(result.lastInsertRowid) : undefined;
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
    const rows = this.c
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

  /** Whether an item with this canonical URL is stored, from any source. */
  knowsUrl(canonicalUrl: string): boolean {
    return this.c.sql('SELECT 1 FROM items WHERE canonical_url = ?').get(canonicalUrl) !== undefined;
  }

  /** The canonical link and text hash of the item stored from this source under this GUID. */
  byGuid(sourceId: string, guid: string): { canonicalUrl: string | null; textHash: Buffer } | undefined {
    const row = this.c.sql('SELECT canonical_url, text_hash FROM items WHERE source_id = ? AND guid = ?').get(sourceId, guid) as
      | { canonical_url: string | null; text_hash: Buffer }
      | undefined;
    return row ? { canonicalUrl: row.canonical_url, textHash: row.text_hash } : undefined;
  }

  /**
   * The items stored under the post URI `guid` from any of `sourceIds` (the Bluesky sources: a
   * search, an author feed and the stream store one post under the same URI) that are not yet
   * known as deleted.
   */
  postsNotDeleted(sourceIds: string[], guid: string): { id: number; sourceId: string }[] {
    if (sourceIds.length === 0) return [];
    // One equality per source, so the (source_id, guid) index answers each.
    const rows = this.c
      .sql(`SELECT id, source_id FROM items WHERE source_id IN (${sourceIds.map(() => '?').join(',')}) AND guid = ? AND deleted_at IS NULL`)
      .all(...sourceIds, guid) as { id: number; source_id: string }[];
    return rows.map((r) => ({ id: r.id, sourceId: r.source_id }));
  }

  /** Records that the item's author deleted it, at `at` (when pactwatch learned it). */
  markDeleted(id: number, at: Date): void {
    this.c.sql('UPDATE items SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL').run(iso(at), id);
  }

  /** Drops the text of old items that claimed nothing; their hashes stay, so dedupe still knows them. */
  prune(olderThanDays: number): number {
    const cutoff = iso(new Date(this.c.now().getTime() - olderThanDays * 86_400_000));
    return this.c
      .sql(`UPDATE items SET title = NULL, text = NULL, pruned_at = ? WHERE assertion_count = 0 AND pruned_at IS NULL AND fetched_at < ?`)
      .run(iso(this.c.now()), cutoff).changes;
  }
}
