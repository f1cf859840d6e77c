// Splits normalized text into sentences, minding abbreviations such as "U.S.", "A.I." and "Inc.".

// A sentence ends at a run of . ! or ? (or of emoji) before a space; casual posts start the
// next one in lower case. The run is matched whole and what follows is checked after, so a
// long run of "!!!" costs one pass, not one per character.
const END = /[.!?]+["')\]]*|\p{Extended_Pictographic}[\p{Extended_Pictographic}\uFE0F\u200B]*/gu;
const NEXT = /^ +["'(\[]?[\p{L}\p{N}@#]|^ *$/u;

export function compileAbbreviations(list: string[]): Set<string> {
  return new Set(list.map((a) => a.toLowerCase().replace(/\.$/, '')));
}

/** Paragraphs first (blank lines), then sentences inside each; input is raw, output normalized by `normalize`. */
export function splitParagraphs(raw: string): string[] {
  return raw.split(/\r?\n[ \t]*\r?\n/);
}

export function splitSentences(text: string, abbreviations: Set<string>): string[] {
  const out: string[] = [];
  let start = 0;
  END.lastIndex = 0;
  for (let m = END.exec(text); m !== null; m = END.exec(text)) {
    const end = m.index + m[0].length;
    if (!NEXT.test(text.slice(end, end + 8))) continue;
    // A single dot (closing brackets or quotes may follow) may belong to an abbreviation.
    if (/^\.(?![.!?])/.test(m[0]) && !isSentenceEnd(text, m.index, abbreviations)) continue;
    const s = text.slice(start, end).trim();
    if (s) out.push(s);
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

function isSentenceEnd(text: string, dot: number, abbreviations: Set<string>): boolean {
  // The word before the dot, with its inner dots ("U.S", "A.I", "Inc").
  let i = dot;
  while (i > 0 && /[\p{L}\p{N}.]/u.test(text[i - 1]!)) i--;
  const word = text.slice(i, dot).toLowerCase();
  if (word.length === 0) return true;
  if (abbreviations.has(word)) return false;
  // Initials: "J." in "J. Smith", and dotted acronyms like "U.S" not listed.
  if (/^\p{L}$/u.test(word)) return false;
  if (/^(\p{L}\.)+\p{L}$/u.test(word)) return false;
  return true;
}
