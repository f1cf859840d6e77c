// A tracker's word classes: a list of words named once ("testing": testing, vetting, screening …)
// and written `{testing}` in any of its patterns, so that a word added to the class reaches every
// rule that means "a testing noun", not only the one where a story used it first.

/** What a pattern writes for a class: a name in braces (a quantifier's braces hold digits). */
const REFERENCE = /\{([a-z][a-z0-9-]*)\}/g;

export type WordClasses = ReadonlyMap<string, string>;

/** Each class as the alternation its patterns get. */
export function compileWordClasses(words: Record<string, string[]>): WordClasses {
  return new Map(Object.entries(words).map(([name, list]) => [name, `(?:${list.join('|')})`]));
}

/** `pattern` with each class it names written out; the names it uses that no class defines are in `unknown`. */
export function expandWords(pattern: string, classes: WordClasses, used?: Set<string>): { pattern: string; unknown: string[] } {
  const unknown: string[] = [];
  const expanded = pattern.replace(REFERENCE, (whole, name: string) => {
    const alternation = classes.get(name);
    if (alternation === undefined) {
      unknown.push(name);
      return whole;
    }
    used?.add(name);
    return alternation;
  });
  return { pattern: expanded, unknown };
}
