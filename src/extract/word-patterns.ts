// Whole-word regular expressions: matching at word starts only, several keyed pattern lists in
// one scan (MultiPattern), and the aliases as one trie-shaped regex (the prefilter).

// Whole words: a match may not start or end between two word characters (letters, digits or
// the zero-width mark). Punctuation patterns such as ";" need no space around them. The end is
// checked inside the regex; the start by `wordMatches`, because a lookaround before the first
// literal stops V8 from scanning quickly for it.
const NOT_MID_WORD = String.raw`(?!(?<=[\p{L}\p{N}\u200B])[\p{L}\p{N}\u200B])`;
const WORD_CHAR = /[\p{L}\p{N}\u200B]/u;

function startsMidWord(text: string, i: number): boolean {
  if (i === 0) return false;
  const before = text.charCodeAt(i - 1);
  const at = text.charCodeAt(i);
  // ASCII fast path; anything else asks the Unicode classes.
  const word = (c: number, s: string) =>
    c < 128 ? (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) : WORD_CHAR.test(s);
  return word(before, text[i - 1]!) && word(at, text[i]!);
}

/**
 * The whole-word matches of a regex made by `wordRegExp` (global flag), in order, at most
 * `limit` of them. A candidate that starts inside a word is skipped and the scan resumes one
 * character later, which is what a leading lookbehind would have done.
 */
export function wordMatches(re: RegExp, text: string, limit = Infinity): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null && out.length < limit; m = re.exec(text)) {
    if (startsMidWord(text, m.index)) {
      re.lastIndex = m.index + 1;
      continue;
    }
    out.push(m);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface KeyedMatch<K> {
  key: K;
  start: number;
  end: number;
  text: string;
}

/**
 * Several keyed pattern lists matched in one scan: a combined regex finds where any of them
 * starts, and which list matched there first (an empty group after each list marks it); the
 * later lists' anchored (sticky) regexes say whether they match there too, and how far. Costs one
 * pass over the text instead of one per list.
 * (The lists before the one that matched do not match there: the combined regex tried them
 * first. So the first list needs no sticky regex of its own, and it is the largest, this
 * agreement's names: fewer regexes compiled, docs/performance.md.)
 */
export class MultiPattern<K> {
  /** The lists scanned (those with patterns), in order. */
  readonly entries: { key: K; patterns: string[] }[];
  private readonly scan: RegExp;
  /** The empty group's name after each list's patterns. */
  private readonly marks: string[];
  /** Compiled when first needed: most lists are never tried after an earlier one matched. */
  private readonly sticky: (RegExp | undefined)[];

  /**
   * `mayMatch`, when given, says no only for texts none of the patterns can match (guards.ts): such
   * a text is not scanned at all.
   */
  constructor(
    entries: { key: K; patterns: string[] }[],
    private readonly mayMatch?: (text: string) => boolean,
  ) {
    const used = (this.entries = entries.filter((e) => e.patterns.length > 0));
    this.marks = used.map((_, i) => `k${i}`);
    this.scan = wordRegExp(used.length ? used.map((e, i) => `(?:${e.patterns.join('|')})(?<${this.marks[i]}>)`) : ['(?!)']);
    this.sticky = used.map(() => undefined);
  }

  /** Every (key, match) whose match starts at a word start, in order of position. */
  matches(text: string): KeyedMatch<K>[] {
    const out: KeyedMatch<K>[] = [];
    if (this.mayMatch && !this.mayMatch(text)) return out;
    const scan = this.scan;
    scan.lastIndex = 0;
    for (let m = scan.exec(text); m !== null; m = scan.exec(text)) {
      const at = m.index;
      scan.lastIndex = at + 1;
      if (startsMidWord(text, at)) continue;
      const groups = m.groups!;
      const first = this.marks.findIndex((k) => groups[k] !== undefined);
      const used = this.entries;
      out.push({ key: used[first]!.key, start: at, end: at + m[0].length, text: m[0] });
      for (let i = first + 1; i < used.length; i++) {
        const re = (this.sticky[i] ??= wordRegExp(used[i]!.patterns, 'yiu'));
        re.lastIndex = at;
        const hit = re.exec(text);
        if (hit) out.push({ key: used[i]!.key, start: at, end: at + hit[0].length, text: hit[0] });
      }
    }
    return out;
  }
}

export function wordRegExp(patterns: string[], flags = 'giu'): RegExp {
  return new RegExp(`(?:${patterns.join('|')})${NOT_MID_WORD}`, flags);
}

/**
 * One regex that tries the aliases as a trie (shared prefixes once), case-insensitive and
 * without Unicode mode: faster than a flat alternation, and it runs on every feed item
 * (docs/performance.md).
 * A dot in an alias is optional ("X.AI" matches "XAI").
 */
export function trieRegExp(words: string[]): RegExp {
  const source = trieSource(words, true);
  // Unicode case folding only when an alias needs it: the plain mode is faster.
  const ascii = words.every((w) => /^[\x00-\x7F]*$/.test(w));
  return new RegExp(source || '(?!)', ascii ? 'i' : 'iu');
}

/**
 * A test of whether a text holds any of `words` anywhere, case-insensitively, a dot in a word
 * optional: it says yes wherever trieRegExp(words) matches (and a little more: inside words, a
 * dot anywhere left out). One lower-casing of the text, then one native substring search for
 * each word that holds no other, which stays fast where the daemon compiles its regular
 * expressions plainly (src/node-flags.ts) and a trie's regex does not. (Words outside ASCII
 * fold differently with a regex's flag than with lower-casing: they keep the trie's regex.)
 */
export function anyWordIn(words: string[]): (text: string) => boolean {
  if (!words.every((w) => /^[\x00-\x7F]*$/.test(w))) {
    const re = trieRegExp(words);
    return (text) => re.test(text);
  }
  const fold = (s: string) => s.toLowerCase().replaceAll('.', '');
  const kept = shortest(words.map(fold));
  if (kept.includes('')) return () => true;
  return (text) => {
    const t = fold(text);
    return kept.some((w) => t.includes(w));
  };
}

/** The words to look for: those that hold no other (a word that holds another is found through it). */
export function shortest(words: string[]): string[] {
  const kept: string[] = [];
  for (const w of [...new Set(words)].sort((a, b) => a.length - b.length)) if (!kept.some((k) => w.includes(k))) kept.push(w);
  return kept;
}

/** Words as one regex source shaped as a trie: a letter is tried once for all the words that share it. `dotOptional`: a dot may be left out. */
export function trieSource(words: string[], dotOptional = false): string {
  interface Node {
    end?: boolean;
    next: Map<string, Node>;
  }
  const root: Node = { next: new Map() };
  for (const w of words) {
    let n = root;
    // As written: lower-casing here would break letters such as "İ" that the flag folds itself.
    for (const ch of w) {
      let child = n.next.get(ch);
      if (!child) n.next.set(ch, (child = { next: new Map() }));
      n = child;
    }
    n.end = true;
  }
  const build = (n: Node): string => {
    const alts = [...n.next].map(([ch, child]) => (dotOptional && ch === '.' ? '\\.?' : escapeRegExp(ch)) + build(child));
    if (alts.length === 0) return '';
    const body = alts.length === 1 ? alts[0]! : `(?:${alts.join('|')})`;
    return n.end ? `(?:${body})?` : body;
  };
  return build(root);
}
