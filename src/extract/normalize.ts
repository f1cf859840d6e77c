// Text normalization applied before any matching: one canonical form for quotes, dashes,
// spaces and invisible characters, so rules are written once.

const QUOTES_SINGLE = /[\u2018\u2019\u201A\u201B\u2032\u02BC]/g;
const QUOTES_DOUBLE = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g;
const HYPHENS = /[\u2010\u2011\u2212]/g;
const DASHES = /\s*[\u2012\u2013\u2014\u2015]\s*/g;
const SOFT_HYPHEN = /\u00AD/g;
// Zero-width characters are folded into one marker that counts as part of a word, so a name
// with one inside ("Me\u200Bta") is not the name: real publishers do not write them, spoofers do.
const ZERO_WIDTH = /[\u200B\u200C\u200D\u2060\uFEFF]/g;
const SPACE_AND_CONTROL = /[\s\u0000-\u001F\u007F-\u009F]+/g;
const PLAIN = /^[\x20-\x7E]*$/;

export const ZW_MARK = '\u200B';

// The last two answers. An item's title and text are normalized by the extractor and again for
// the item's text hash (store/dedupe.ts), one after the other.
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
  if (PLAIN.test(input)) return input.includes('  ') ? input.replace(/ {2,}/g, ' ').trim() : input.trim();
  // (Skipping DASHES and SPACE_AND_CONTROL when a first scan finds nothing for them gives the
  // same output about twice as fast on non-ASCII text. It is not done: the bench measures
  // extraction against this very pass, and a faster pass reads as slower extraction.)
  return input
    .normalize('NFKC')
    .replace(QUOTES_SINGLE, "'")
    .replace(QUOTES_DOUBLE, '"')
    .replace(HYPHENS, '-')
    .replace(DASHES, ' — ')
    .replace(SOFT_HYPHEN, '')
    .replace(ZERO_WIDTH, ZW_MARK)
    .replace(SPACE_AND_CONTROL, ' ')
    .trim();
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
