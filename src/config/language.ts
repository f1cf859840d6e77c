// The checks on language.yaml beyond its schema: every cue and list entry is a sound pattern,
// checked as the extractor uses it (searched for, or tried only at one place).
import type { LanguageFile } from './language-schema.js';
import type { PatternCheck } from './patterns.js';

export function checkLanguage(lang: LanguageFile, checkPattern: PatternCheck): void {
  const lists: [string, string[]][] = [
    ['clauseBoundaries', lang.clauseBoundaries],
    ['listConnectors', lang.listConnectors],
    ['pseudoNegation', lang.pseudoNegation],
    ['corporateSuffixes', lang.corporateSuffixes],
    ['notPartyAfter', lang.notPartyAfter],
    ['notPartyBefore', lang.notPartyBefore],
    ['firstPerson', lang.firstPerson],
    ['attribution', lang.attribution],
    ['hypothetical.conditionalOpeners', lang.hypothetical.conditionalOpeners],
    ['hypothetical.presupposingQuestions', lang.hypothetical.presupposingQuestions],
    ['hypothetical.insideCues', lang.hypothetical.insideCues],
    ['negation.insideCues', lang.negation.insideCues],
    ['hypothetical.termsOpeners', lang.hypothetical.termsOpeners],
  ];
  // Connectors and suffixes are tried only where a gap between two parties starts (^…$), and
  // notPartyAfter and notPartyBefore only right next to a party; the rest are searched for.
  const anchored = new Set(['listConnectors', 'corporateSuffixes', 'notPartyAfter', 'notPartyBefore']);
  for (const [key, list] of lists) list.forEach((x, j) => checkPattern(x, [key, j], anchored.has(key) ? 'anchored' : 'search'));
  for (const key of ['negation', 'hypothetical'] as const) {
    for (const side of ['before', 'after'] as const) {
      lang[key][side].forEach((t, j) => {
        const cue = typeof t === 'string' ? t : t.cue;
        checkPattern(cue, typeof t === 'string' ? [key, side, j] : [key, side, j, 'cue']);
      });
    }
  }
}
