// Text normalization applied before any matching: one canonical form for quotes, dashes,
// spaces and invisible characters, so rules are written once.

export const ZW_MARK = '\u200B';

// Characters each rewritten to one form, in one pass: none of them is a dash, and the one space
// among them (U+FEFF) is left until the dashes are done, so the pass gives what the rewrites
// one after the other did.
const FORMS: [string, string][] = [
  ['\u2018\u2019\u201A\u201B\u2032\u02BC', "'"],
  ['\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB', '"'],
  ['\u2010\u2011\u2212', '-'],
  ['\u00AD', ''],
  // Zero-width characters are folded into one marker that counts as part of a word, so a name
  // with one inside ("Me\u200Bta") is not the name: real publishers do not write them, spoofers do.
  ['\u200B\u200C\u200D\u2060\uFEFF', ZW_MARK],
];
const FORM_OF = new Map(FORMS.flatMap(([chars, form]) => [...chars].map((c) => [c, form] as const)));
const CHARACTERS = new RegExp(`[${FORMS.map(([chars]) => chars).join('')}]`, 'g');
const DASH_CHARS = '\u2012\u2013\u2014\u2015';
const DASHES = new RegExp(`\\s*[${DASH_CHARS}]\\s*`, 'g');
const SPACE_AND_CONTROL = /[\s\u0000-\u001F\u007F-\u009F]+/g;
const PLAIN = /^[\x20-\x7E]*$/;
// What the rewrites would change, found by cheap scans first, so a text pays only for the
// rewrites it needs: DASHES tries every position (it may start with a space), SPACE_AND_CONTROL
// matches every single space (and leaves it as it is), and most texts hold none of the rest.
const REWRITTEN = new RegExp(`[${FORMS.map(([chars]) => chars).join('')}${DASH_CHARS}]`);
const DASH = new RegExp(`[${DASH_CHARS}]`);
const IRREGULAR_SPACE = /[^\S ]|[\u0000-\u001F\u007F-\u009F]| {2}/;

// The last two answers. An item's title and text are normalized by the extractor and again for
// the item's text hash (text/fingerprints.ts), one after the other.
const recent = [
  { input: '', output: '' },
  { input: '', output: '' },
];
let older = 0;

/** NFKC, straight quotes, one dash, single spaces, trimmed. Idempotent. */
export function normalizeText(input: string): string {
  if (input === recent[0]!.input) return recent[0]!.output;
  if (input === recent[1]!.input) return recent[1]!.output;
  const output = normalize(input);
  recent[older] = { input, output };
  older = 1 - older;
  return output;
}

function normalize(input: string): string {
  // Printable ASCII is already in normal form except for runs of spaces.
  if (PLAIN.test(input)) return oneByte(input.includes('  ') ? input.replace(/ {2,}/g, ' ').trim() : input.trim());
  let text = input.normalize('NFKC');
  if (REWRITTEN.test(text)) {
    // Dashes first: the spaces they take in include U+FEFF, which the character pass would
    // turn into the zero-width mark.
    if (DASH.test(text)) text = text.replace(DASHES, ' — ');
    text = text.replace(CHARACTERS, (c) => FORM_OF.get(c)!);
  }
  // Checked after the rewrites: dropping a soft hyphen can leave two spaces side by side.
  if (IRREGULAR_SPACE.test(text)) text = text.replace(SPACE_AND_CONTROL, ' ');
  text = text.trim();
  return BEYOND_LATIN1.test(text) ? text : oneByte(text);
}

const BEYOND_LATIN1 = /[^\x00-\xFF]/;

/**
 * The same text held one byte per character. V8 keeps a string two bytes wide once any part of
 * it was (a feed document with one curly quote anywhere, a rewrite of one), and compiles every
 * regular expression again for two-byte text: twice the regexp code, which runs out V8's regexp
 * code budget sooner and leaves later regexes unoptimized (docs/performance.md). Only for text
 * whose every character is below U+0100, where the round trip is exact.
 */
function oneByte(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}

// Letters from other scripts that look like Latin ones; used only to explain a spoof,
// never to match one.
const CONFUSABLES: Record<string, string> = {
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', а: 'a', е: 'e', о: 'o', р: 'p',
  с: 'c', у: 'y', х: 'x', і: 'i', І: 'I', ј: 'j', Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N',
  Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X', ο: 'o', α: 'a', ι: 'i', ν: 'v',
};
const CONFUSABLE_RE = new RegExp(`[${Object.keys(CONFUSABLES).join('')}\u200B]`, 'gu');

/** The Latin look-alike of a word, or undefined when it has no foreign or invisible letters. */
export function skeleton(word: string): string | undefined {
  if (!CONFUSABLE_RE.test(word)) return undefined;
  CONFUSABLE_RE.lastIndex = 0;
  return word.replace(CONFUSABLE_RE, (c) => CONFUSABLES[c] ?? '');
}
