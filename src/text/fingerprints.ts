// What makes two texts the same: the hash of an exact repeat, and the shingles that show a near
// copy (a syndicated wire story, a lightly edited rewrite).
import { hash } from 'node:crypto';
import { normalizeText } from './normalize.js';

/** The normalized headline and text, lower-cased. */
function textKey(title: string | undefined, text: string): string {
  // The normalized parts, joined by a space, are the normalized whole, and the extractor has
  // just normalized the parts (normalizeText remembers them). The one exception is a zero-width
  // no-break space, which the dash rule reads as a space but which is kept otherwise.
  if (title?.includes('\uFEFF') || text.includes('\uFEFF')) return normalizeText(`${title ?? ''} ${text}`).toLowerCase();
  const head = normalizeText(title ?? '');
  const body = normalizeText(text);
  return (head && body ? `${head} ${body}` : head || body).toLowerCase();
}

/** Same normalized headline and text: an exact repeat. 128 bits, stored as a BLOB. */
export function textHash(title: string | undefined, text: string): Buffer {
  // One-shot hashing: no Hash object per item.
  return hash('sha256', textKey(title, text), 'buffer').subarray(0, 16);
}

/** Word 3-shingles of a normalized text: what copy detection compares. */
export function shingles(text: string): Set<string> {
  const words = normalizeText(text).toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length < 3) return new Set([words.join(' ')]);
  const out = new Set<string>();
  for (let i = 0; i + 2 < words.length; i++) out.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  return out;
}

/** Jaccard similarity of two shingle sets. */
export function similarity(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const s of a) if (b.has(s)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/**
 * Two bodies this similar are copies of one text (a syndicated wire story, a lightly edited
 * rewrite); independent reports of one story share far fewer three-word runs.
 */
export const COPY_SIMILARITY = 0.5;
