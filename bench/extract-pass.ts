// Extraction timed against the fixed reference pass (reference.ts) over the same items, in
// paired alternating rounds (paired-rounds.ts).
import type { Config } from '../src/config/types.js';
import { extract, type Extractor } from '../src/extract/extract.js';
import type { BenchItem } from './corpus.js';
import { pairedRounds } from './paired-rounds.js';
import { aliasRegExp, referencePass } from './reference.js';

export const ROUNDS = 9;

export async function benchExtract(items: BenchItem[], config: Config, ex: Extractor) {
  const aliases = aliasRegExp(config);
  const paired = await pairedRounds(
    ROUNDS,
    () => referencePass(items, aliases),
    () => items.reduce((n, it) => n + extract(ex, it).length, 0),
  );
  return {
    itemsPerSec: Math.round(items.length / paired.measuredSeconds),
    referenceItemsPerSec: Math.round(items.length / paired.referenceSeconds),
    ratioToReference: paired.ratio,
    assertions: paired.measuredCount,
    referenceMatches: paired.referenceCount,
  };
}
