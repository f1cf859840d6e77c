// Literal guards: one cheap scan for the words patterns cannot match without (literals.ts), so
// that a text holding none of a pattern's words is never given to the pattern's own costly scan.
import { requiredWords } from './literals.js';
import { shortest, trieSource, wordRegExp } from './word-patterns.js';

/**
 * A regex that finds, case-insensitively, a word that every match of any of `patterns` holds:
 * a text it does not match, none of them matches. Undefined when a pattern gives no such word.
 * (Unicode case folding, as the patterns use, so no letter that folds to a word's is missed.)
 */
export function literalGuard(patterns: string[]): RegExp | undefined {
  const lists = patterns.map(requiredWords);
  if (lists.length === 0 || lists.some((l) => !l)) return undefined;
  return wordScan(lists as string[][]);
}

/** One case-insensitive scan for any of the words in `lists`. */
function wordScan(lists: string[][]): RegExp {
  return new RegExp(trieSource(shortest(lists.flat())), 'iu');
}

/**
 * A test that says no only for texts none of `patterns` matches: one scan for the words of the
 * patterns that have some, and the few that have none (a short name such as "EU") tried as they
 * are. Undefined when most patterns have no word to look for.
 */
export function anyPatternGuard(patterns: string[]): ((text: string) => boolean) | undefined {
  const lists = patterns.map(requiredWords);
  const bare = patterns.filter((_, i) => !lists[i]);
  if (bare.length * 4 > patterns.length) return undefined;
  const scan = wordScan(lists.filter((l): l is string[] => l !== null));
  const rest = bare.length > 0 ? wordRegExp(bare, 'iu') : undefined;
  return (text) => scan.test(text) || (rest?.test(text) ?? false);
}

/**
 * Which of `patterns` a text may match, found by one scan for their words: a superset of those
 * that match it. Undefined when a pattern gives no word to look for.
 */
export class PatternGuard {
  private readonly scan: RegExp;
  /** Each scanned word, lower-case → the patterns whose words it stands for. */
  private readonly patternsOf: Map<string, number[]>;

  private constructor(lists: string[][]) {
    const kept = shortest(lists.flat());
    // A word stands for a pattern's word it is in: where the pattern's word is, it is too.
    this.patternsOf = new Map(kept.map((k) => [k, lists.flatMap((l, i) => (l.some((w) => w.includes(k)) ? [i] : []))]));
    this.scan = new RegExp(trieSource(kept), 'giu');
  }

  static of(patterns: string[]): PatternGuard | undefined {
    const lists = patterns.map(requiredWords);
    if (lists.length === 0 || lists.some((l) => !l)) return undefined;
    return new PatternGuard(lists as string[][]);
  }

  /** The indexes of the patterns whose words `text` holds; undefined for "any of them". */
  candidates(text: string): Set<number> | undefined {
    const found = new Set<number>();
    const scan = this.scan;
    scan.lastIndex = 0;
    for (let m = scan.exec(text); m !== null; m = scan.exec(text)) {
      // No scanned word holds another, so one scan from each place finds every word there is.
      // (Case folding brings two letters outside ASCII to a word's: the long s and the Kelvin sign.)
      const patterns = this.patternsOf.get(m[0].toLowerCase().replace(/\u017F/g, 's'));
      if (!patterns) return undefined;
      for (const i of patterns) found.add(i);
      scan.lastIndex = m.index + 1;
    }
    return found;
  }
}
