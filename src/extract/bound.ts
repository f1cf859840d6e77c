// The bound on the work extraction does for one item, so that no text can stall the daemon.
//
// Config loading refuses patterns that backtrack exponentially, or polynomially beyond the
// square of the text (config/backtracking.ts); a pattern may still take time quadratic in the
// text it scans ("x+y" on "xxxx…"), and so may the extractor's own per-sentence steps. So an item brings at most MAX_ITEM_CHARS, and no
// scan reads more than a few thousand characters at once: a run-on "sentence" is read in
// pieces, and the prefilter tests a long text in overlapping windows. Work per item is then
// linear in its length. Real sentences are far shorter than a piece; real items, than the cap.
import { ItemTooLargeError } from '../errors.js';
import { oversize } from '../text/item-size.js';

/** The longest text one scan reads: a sentence is read in pieces of at most this (real ones are a few hundred). */
export const MAX_PIECE_CHARS = 1_000;

/**
 * Party mentions, cues and dates read per sentence. Real sentences have a handful; the cap keeps
 * a hostile text (thousands of "Meta signed" without a full stop) from costing quadratic time.
 */
export const MAX_PER_SENTENCE = 48;

/** Throws ItemTooLargeError for an item over the bound. */
export function checkItemSize(item: { text: string; title?: string | undefined }): void {
  const reason = oversize(item);
  if (reason) throw new ItemTooLargeError(reason);
}

/** `sentence` in pieces of at most MAX_PIECE_CHARS, cut at a space where there is one. */
export function pieces(sentence: string): string[] {
  if (sentence.length <= MAX_PIECE_CHARS) return [sentence];
  const out: string[] = [];
  let from = 0;
  while (sentence.length - from > MAX_PIECE_CHARS) {
    let cut = sentence.lastIndexOf(' ', from + MAX_PIECE_CHARS);
    if (cut <= from) {
      cut = from + MAX_PIECE_CHARS;
      // Never between the two halves of a surrogate pair.
      if (/[\uDC00-\uDFFF]/.test(sentence[cut]!)) cut--;
    }
    out.push(sentence.slice(from, cut).trim());
    from = cut;
  }
  out.push(sentence.slice(from).trim());
  return out.filter((p) => p !== '');
}

/**
 * Whether `re` (not global) matches `text`. A long text is tested in windows of twice a piece,
 * each overlapping the next by a piece, so any match no longer than a piece is found, and a
 * quadratic pattern costs a piece's square per window, not the text's square.
 */
export function testBounded(re: RegExp, text: string): boolean {
  if (text.length <= 2 * MAX_PIECE_CHARS) return re.test(text);
  for (let from = 0; from < text.length; from += MAX_PIECE_CHARS) {
    if (re.test(text.slice(from, from + 2 * MAX_PIECE_CHARS))) return true;
    if (from + 2 * MAX_PIECE_CHARS >= text.length) break;
  }
  return false;
}

/** The first thing `find` finds in `text`, searched in the same bounded windows as testBounded. */
export function findBounded(text: string, find: (piece: string) => string | undefined): string | undefined {
  if (text.length <= 2 * MAX_PIECE_CHARS) return find(text);
  for (let from = 0; from < text.length; from += MAX_PIECE_CHARS) {
    const m = find(text.slice(from, from + 2 * MAX_PIECE_CHARS));
    if (m !== undefined) return m;
    if (from + 2 * MAX_PIECE_CHARS >= text.length) break;
  }
  return undefined;
}
