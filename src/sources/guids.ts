// Whether a feed's GUIDs identify its items, and the key that does when they do not.
//
// Some CMSs give every item one <guid> (the newsroom's URL). Trusted, it makes every new story a
// repeat of the first, and the unique (source, GUID) index drops it without a word. So a GUID is
// trusted only while it names one story. When a feed uses one GUID for two stories, its GUIDs are
// unreliable for good (FreshRSS keeps the same finding as a feed attribute, hasBadGuids), and
// its items are keyed by link and text instead; the finding is kept on the source's state.
// An article edited in place (same GUID, same link, new text) stays one item and is no sign of
// reuse: it is no new report (corroboration counts publishers, not versions of one page), and
// the unique canonical-URL index would refuse a second row for its link anyway.
import { createHash } from 'node:crypto';
import type { Item } from '../model/item.js';
import { textHash } from '../text/fingerprints.js';
import { canonicalUrl } from '../text/urls.js';

/** What the store keeps of an item that identity needs: its canonical link and its text hash. */
export interface Identity {
  canonicalUrl: string | null;
  textHash: Buffer;
}

function linkOf(item: Item): string | null {
  return canonicalUrl(item.url) ?? null;
}

function hashOf(item: Item): Buffer {
  return textHash(item.title, item.text);
}

/**
 * Whether a stored item and a new one with the same GUID are two stories. With a link on both
 * sides, they are when both the link and the text differ: the same link with new text is the
 * article edited in place, and the same text under a new link is the article moved (a feed
 * changing its URLs keeps its GUIDs for this). Without a link on either side, the text decides.
 * (The text is hashed only when the links do not settle it: most items of a poll are repeats.)
 */
export function differentStories(stored: Identity, item: Item): boolean {
  const link = linkOf(item);
  if (stored.canonicalUrl !== null && stored.canonicalUrl === link) return false;
  return !stored.textHash.equals(hashOf(item));
}

/** The key of an item whose feed's GUIDs are unreliable: its canonical link and its text. */
function linkAndTextKey(item: Item): string {
  const key = createHash('sha256').update(`${linkOf(item) ?? ''}\n`).update(hashOf(item)).digest('hex');
  return `link+text:${key.slice(0, 32)}`;
}

const where = (link: string | null) => link ?? 'an item without a link';

/**
 * Why one poll shows that the feed's GUIDs are unreliable, or undefined when it does not: two of
 * its entries share a GUID but not their link or text (in one document two entries are two
 * items, never an article and its edit), or an entry's GUID names a different story already
 * stored from this source.
 */
function reuseIn(items: Item[], stored: (guid: string) => Identity | undefined): string | undefined {
  const first = new Map<string, Item>();
  for (const item of items) {
    const other = first.get(item.id);
    if (other) {
      if (linkOf(other) !== linkOf(item) || !hashOf(other).equals(hashOf(item))) {
        return `one GUID ("${item.id}") on two entries of one poll (${where(linkOf(other))}; ${where(linkOf(item))})`;
      }
      continue;
    }
    first.set(item.id, item);
    const before = stored(item.id);
    if (before && differentStories(before, item)) return `one GUID ("${item.id}") on two stories (${where(before.canonicalUrl)}, stored; ${where(linkOf(item))}, new)`;
  }
  return undefined;
}

export interface Keyed {
  /** The items, keyed by link and text when the feed's GUIDs are unreliable. */
  items: Item[];
  /** Why the source's GUIDs are unreliable, or null while they are trusted: what its state keeps. */
  unreliableGuids: string | null;
  /** The finding, when this poll made it: what the poll reports. */
  found?: string | undefined;
}

/**
 * Keys one poll's items. `unreliableGuids` is the source's standing finding (null: none yet);
 * `stored` looks up the stored item of this source with a GUID.
 */
export function keyItems(items: Item[], unreliableGuids: string | null, stored: (guid: string) => Identity | undefined): Keyed {
  const found = unreliableGuids === null ? reuseIn(items, stored) : undefined;
  const finding = unreliableGuids ?? (found ? `GUIDs unreliable since ${items[0]!.fetchedAt.toISOString()}: ${found}; items keyed by link and text` : null);
  if (finding === null) return { items, unreliableGuids: null };
  return { items: items.map((i) => ({ ...i, id: linkAndTextKey(i) })), unreliableGuids: finding, found: found ? finding : undefined };
}
