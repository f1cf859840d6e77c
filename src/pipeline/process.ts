// One item through the whole ledger: dedupe → extract → store → reduce → transition → outbox.
// One transaction per item: its assertions, the changes they cause and the alerts those queue
// commit together or not at all, durably (see Store.transaction).
import type { Config } from '../config/types.js';
import { ItemTooLargeError } from '../errors.js';
import { extract, type Extractor } from '../extract/extract.js';
import { textHash } from '../text/fingerprints.js';
import { publisherOf } from '../text/publisher.js';
import { canonicalUrl } from '../text/urls.js';
import type { Store } from '../store/store.js';
import { decide, MAX_SOCIAL_EVIDENCE } from '../status/reduce.js';
import type { Assertion } from '../model/assertion.js';
import type { PublishMode } from '../model/alert.js';
import type { Item } from '../model/item.js';
import type { TransitionRow } from '../model/ledger.js';
import type { Claim } from '../model/party.js';
import { queueAlert, reportedKey, strongest } from './alerts.js';
import type { CopyFinder } from './copies.js';

export interface Pipeline {
  config: Config;
  store: Store;
  extractor: Extractor;
  publishMode: PublishMode;
  /** Finds the earlier text an item copies (and keeps what it compared). */
  copies: CopyFinder;
  /** Called at each step of processing an item; the crash-safety test kills the process there. */
  probe?: ((step: string) => void) | undefined;
}

/** An item with its assertions already extracted, and its text hash (replay works them out in a worker thread). */
export interface Extracted {
  item: Item;
  assertions: Assertion[];
  textHash: Buffer;
}

/** The assertions `item` makes. Pure. */
export function extractItem(extractor: Extractor, item: Item): Assertion[] {
  const speaker = Array.isArray(item.speaksFor) && item.speaksFor.length === 1 && item.trust === 'official' ? item.speaksFor[0] : undefined;
  return extract(extractor, { id: item.id, text: item.text, title: item.title, published: item.publishedAt ?? item.fetchedAt, speaker, url: item.url, langs: item.langs, about: item.about });
}

export interface ItemResult {
  duplicate: boolean;
  assertions: number;
  transitions: TransitionRow[];
  alerts: number[];
  /** Why extraction refused a new item (over the per-item bound): stored as failed, with no assertions. */
  failed?: string | undefined;
}

export function processBatch(p: Pipeline, items: Item[], options: { silent?: boolean } = {}): ItemResult[] {
  return processNext(p, items.values(), items.length, options);
}

/**
 * The next `max` items of `items` (fewer at its end) in one transaction. Each item is read as
 * it is processed, so a batch's items need not wait in memory together. An item may come
 * with its assertions (replay extracts them in a worker thread).
 */
export function processNext(p: Pipeline, items: Iterator<Item | Extracted>, max: number, options: { silent?: boolean } = {}): ItemResult[] {
  return p.store.transaction(
    () => {
      const results: ItemResult[] = [];
      while (results.length < max) {
        const next = items.next();
        if (next.done) break;
        results.push(processItem(p, next.value, options));
      }
      return results;
    },
    { durable: true },
  );
}

/** Extracted, or why the item is refused: a bad item must not stop the poll it came in. */
function extracted(p: Pipeline, item: Item): Extracted & { failed?: string } {
  let assertions: Assertion[];
  try {
    assertions = extractItem(p.extractor, item);
  } catch (err) {
    if (!(err instanceof ItemTooLargeError)) throw err;
    return { item, assertions: [], textHash: textHash(item.title, item.text), failed: err.message };
  }
  // Hashed after extraction, which has just normalized the same text (normalizeText remembers it).
  return { item, assertions, textHash: textHash(item.title, item.text) };
}

/** The longest corroboration window of any tracker: how far back a copied text is looked for. */
function longestWindow(config: Config): number {
  return Math.max(...config.trackers.map((t) => t.policy.windowDays));
}

export function processItem(p: Pipeline, work: Item | Extracted, options: { silent?: boolean } = {}): ItemResult {
  const { item, assertions, textHash: hash, failed } = 'item' in work ? { ...work, failed: undefined } : extracted(p, work);
  const canonical = canonicalUrl(item.url);
  const itemTime = item.publishedAt ?? item.fetchedAt;
  const publisher = publisherOf(item.publisher);
  const none: ItemResult = { duplicate: true, assertions: 0, transitions: [], alerts: [] };

  const probe = p.probe ?? (() => {});
  probe('extracted');
  const result = p.store.transaction(() => {
    const { store } = p;
    const copyOf = assertions.length ? p.copies.copyOf(store, assertions, item.text, publisher, itemTime, longestWindow(p.config)) : undefined;
    const itemId = store.insertItem(
      {
        sourceId: item.sourceId,
        guid: item.id,
        url: item.url,
        canonicalUrl: canonical,
        via: item.via,
        title: item.title,
        text: item.text,
        textHash: hash,
        author: item.author,
        publisher,
        trust: item.trust,
        speaksFor: item.speaksFor,
        publishedAt: item.publishedAt,
        fetchedAt: item.fetchedAt,
        itemTime,
        encoding: item.encoding,
        fictional: item.fictional,
        failed,
        langs: item.langs,
      },
      assertions.length,
      copyOf,
    );
    if (itemId === undefined) return none;
    probe('item stored');
    const result: ItemResult = { duplicate: false, assertions: assertions.length, transitions: [], alerts: [] };
    if (failed !== undefined) result.failed = failed;
    for (const a of assertions) {
      const assertionId = store.insertAssertion(itemId, a, itemTime);
      probe('assertion stored');
      const tracker = p.config.trackers.find((t) => t.id === a.tracker)!;
      const claim: Claim = {
        assertionId,
        itemId,
        copyGroup: copyOf ?? itemId,
        status: a.status,
        modality: a.modality,
        historical: a.historical,
        trust: item.trust,
        publisher,
        speaksFor: item.speaksFor,
        itemTime,
      };
      const state = store.partyState(a.tracker, a.party);
      // (One more social claim than the reducer keeps: the list may hold this one.)
      const others = () =>
        store.claimsNear(a.tracker, a.party, a.status, itemTime, tracker.policy.windowDays, { socialLimit: MAX_SOCIAL_EVIDENCE + 1, notBefore: state.since }).filter((e) => e.assertionId !== assertionId);
      const outcome = decide(state, claim, others, a.party, tracker.policy);
      if (outcome.kind === 'confirmed') {
        const { change } = outcome;
        const support = store.evidenceByIds(change.evidence);
        const transitionId = store.insertTransition({
          tracker: a.tracker,
          party: a.party,
          from: change.from,
          to: change.to,
          at: change.at,
          kind: change.historical ? 'history' : 'news',
          reason: change.reason,
          actor: null,
          note: null,
          evidenceUrl: strongest(support)?.url ?? null,
          assertionIds: change.evidence,
        });
        store.writeState(a.tracker, a.party, { status: change.to, since: change.at, reported: null });
        probe('transition stored');
        result.transitions.push(store.transitions({ since: transitionId - 1 }).find((t) => t.id === transitionId)!);
        if (!change.historical && !options.silent) {
          const id = queueAlert(p, tracker, { transitionId, reportedKey: null, party: a.party, from: change.from, to: change.to, kind: 'confirmed', support, fictional: item.fictional });
          if (id !== undefined) result.alerts.push(id);
          probe('alert queued');
        }
      } else if (outcome.kind === 'reported') {
        store.writeState(a.tracker, a.party, { ...state, reported: outcome.reported });
        if (outcome.isNew && tracker.policy.postReported && !options.silent && !a.historical) {
          const support = store.evidenceByIds(outcome.reported.evidence);
          const key = reportedKey(a.tracker, a.party, outcome.reported);
          const id = queueAlert(p, tracker, { transitionId: null, reportedKey: key, party: a.party, from: state.status, to: outcome.reported.status, kind: 'reported', support, fictional: item.fictional });
          if (id !== undefined) result.alerts.push(id);
        }
      }
    }
    return result;
  }, { durable: true });
  probe('committed');
  return result;
}

