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
  return raw.split(/\r?\n[ \t]*\r?\n/).flatMap((p) => (p.includes('\n') ? linesOfTheirOwn(p) : [p]));
}

function linesOfTheirOwn(paragraph: string): string[] {
  const out: string[] = [];
  for (const part of paragraph.split(LINE_OF_ITS_OWN)) {
    // A byline ("Google DeepMind · Policy") heads the text it signs: it stays with it.
    if (out.length > 0 && / · /.test(out.at(-1)!)) out[out.length - 1] += `\n${part}`;
    else out.push(part);
  }
  return out;
}

// A line that ends without a sentence's punctuation before one that starts a new one (a capital,
// a digit, a quote, a bullet or a table's bar) is a line of its own: a headline over its
// subtitle, a list item, a table row. A line broken mid-sentence goes on in lower case.
const LINE_OF_ITS_OWN = /(?<=[\p{L}\p{N}"')\]|%])[ \t]*\r?\n(?=[ \t]*[\p{Lu}\p{N}"'“‘•*|#-])/u;

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

// A speaker's label before an answer ("A:", "OFFICIAL:"), then a bare yes or no.
const SPEAKER = /^(?:[\p{Lu}][\p{Lu}\p{N} .'-]{0,30}|A|Answer):\s*/u;
// (Or a count before the list: "Which have signed? Five: OpenAI, …"; "not as of this writing".)
const YES_NO = /^(?:yes|yep|yeah|no|nope|not yet|not so far|not as of (?:this writing|now|today|press time)|so far|only|just|(?:one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})(?: of them)?)(?![\p{L}\p{N}])[.,!:;—-]*\s*/iu;
// What may stand between the names of a bare list: commas, semicolons, "and", "&", "@".
const LIST_GLUE = /^[\s,;&+/.!@—-]*(?:(?:and|or|plus|as well as)(?![\p{L}\p{N}])[\s,;&+/.!@—-]*)*$/iu;

/**
 * A question answered by a bare list ("Who has signed? OpenAI, Anthropic and xAI.") or by a bare
 * yes or no ("Has Meta signed the agreement? Not yet.") is one statement: the answer is joined
 * to its question, which then no longer reads as an open question. `names` finds party names
 * (a global regex); the answer must hold nothing else.
 */
export function joinAnswers(sentences: string[], names: RegExp): string[] {
  const out: string[] = [];
  for (const s of sentences) {
    const question = out.at(-1);
    if (question !== undefined && /\?["')\]]*$/.test(question) && isAnswer(s, names)) out[out.length - 1] = `${question} ${s}`;
    else out.push(s);
  }
  return out;
}

function isAnswer(sentence: string, names: RegExp): boolean {
  if (sentence.length > 300) return false;
  const body = sentence.replace(SPEAKER, '');
  const rest = body.replace(YES_NO, '');
  if (rest === '') return rest !== body;
  let named = false;
  const glue = rest.replace(names, () => {
    named = true;
    return ' ';
  });
  return named && LIST_GLUE.test(glue);
}
