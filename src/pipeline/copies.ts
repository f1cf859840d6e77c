// Copy detection: whether an item's text copies an earlier one that another publisher stored
// with one of the same claims, so that corroboration counts the two once. Owns the cache of
// stored texts' shingles.
import type { Assertion } from '../model/assertion.js';
import type { Store } from '../store/store.js';
import { COPY_SIMILARITY, shingles, similarity } from '../text/fingerprints.js';

/** How many stored texts' shingles are kept. */
const CACHED_TEXTS = 2000;

export class CopyFinder {
  // A stored text's shingles are kept for the next comparison (bounded). Keyed by item id, and
  // checked against the text, since a rolled-back id can come back with another text.
  private readonly cache = new Map<number, { text: string; shingles: Set<string> }>();

  private shinglesOf(itemId: number, text: string): Set<string> {
    const hit = this.cache.get(itemId);
    if (hit && hit.text === text) return hit.shingles;
    if (this.cache.size >= CACHED_TEXTS) this.cache.delete(this.cache.keys().next().value!);
    const entry = { text, shingles: shingles(text) };
    this.cache.set(itemId, entry);
    return entry.shingles;
  }

  /**
   * The first earlier text, from another publisher and making one of the same claims within
   * `windowDays`, that this item copies: the id its copies are counted under.
   */
  copyOf(store: Store, claims: Assertion[], text: string, publisher: string, itemTime: Date, windowDays: number): number | undefined {
    const mine = shingles(text);
    for (const claim of claims) {
      for (const c of store.copyCandidates(claim, publisher, itemTime, windowDays)) {
        // Leaving the loop early closes the query.
        if (similarity(mine, this.shinglesOf(c.id, c.text)) >= COPY_SIMILARITY) return c.copyOf ?? c.id;
      }
    }
    return undefined;
  }
}
