// The bench's yardstick: a fixed pass that is no product code (NFKC and one test of every alias
// in one precompiled regex), so that extraction's ratio to it holds on any machine and the
// product's own normalize is free to be as fast as it can.
import type { Config } from '../src/config/types.js';
import type { BenchItem } from './corpus.js';

// Word characters as the extractor reads them: letters, digits and its zero-width mark.
const WORD = String.raw`[\p{L}\p{N}\u200B]`;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Every party alias and every agreement alias (this agreement's and the others') of every
 * tracker, as one case-insensitive alternation matched as whole words.
 */
export function aliasRegExp(config: Config): RegExp {
  const aliases = config.trackers.flatMap((t) => [
    ...t.parties.flatMap((p) => p.aliases),
    ...[t.agreement, ...t.others].flatMap((a) => a.aliases),
  ]);
  // Longest first, so a long alias is not cut short by a prefix of it.
  const texts = [...new Set(aliases.map((a) => a.text))].sort((a, b) => b.length - a.length);
  return new RegExp(`(?<!${WORD})(?:${texts.map(escape).join('|') || '(?!)'})(?!${WORD})`, 'iu');
}

/** The pass to time: per item, NFKC of its title and text and one test of `aliases`. Returns the items that matched. */
export function referencePass(items: BenchItem[], aliases: RegExp): number {
  let matched = 0;
  for (const it of items) if (aliases.test(`${it.title} ${it.text}`.normalize('NFKC'))) matched++;
  return matched;
}
