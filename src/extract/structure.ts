// The part of a sentence's structure the cue rules read: asides. An aside is a stretch that
// interrupts its clause — a parenthesis, a pair of dashes, a relative clause or an appositive
// between commas — so that "Google, Microsoft and xAI, three companies widely regarded as
// leaders, have agreed" puts the parties next to their verb, and "Meta, which competes with
// OpenAI, has not signed" keeps OpenAI out of Meta's clause.
export type AsideKind = 'parenthesis' | 'dashes' | 'relative' | 'appositive' | 'comparison' | 'adverbial';

export interface Aside {
  start: number;
  end: number;
  text: string;
  kind: AsideKind;
}

/** A cue that opens on a gerund ("signing the agreement"), whose subject the clause around it decides. */
export const GERUND = /^\p{L}+ing\b/iu;

/** The end of a stretch that sets what follows against what came before by "not": "…, not Meta's", "… but not with the CAISI". */
export const CONTRASTED = /(?:,|\s(?:but|and))\s+not\s+(?:(?:the|with|to|for|in|under|into)\s+){0,2}$/iu;

const PARENTHESIS = /\([^()]{1,300}\)/g;
// Normalized text writes a dash as " — "; a spaced hyphen is a dash too ("companies - Google, Microsoft - have").
const DASHES = / [—–-] ([^—–;]{1,300}?) [—–-] /g;
// A relative clause or an appositive noun phrase, closed by the next comma. The opening word
// decides: a relative pronoun, or a word that starts a noun phrase rather than a list item.
const BETWEEN_COMMAS =
  /, ((?:which|who|whose|whom|where|(?:all|both|each|most|some|none|several) of (?:which|whom|them))\b|(?:a|an|the|one|two|three|four|five|six|seven|eight|nine|ten|its|their|both|now|once|long|widely|formerly|previously|based|headquartered|founded|designated|led|backed|owned|known|best known|home|like|unlike)\b|(?:first |already |previously |recently |originally )?\p{L}+ed by\b)[^,;:()—]{1,200},/giu;

/**
 * The asides of a sentence, outermost first, none overlapping. `names` are the parties' mentions:
 * a comma right after a name belongs to a list ("a process that OpenAI, Anthropic and xAI have
 * signed"), so no appositive closes there.
 */
export function findAsides(text: string, names: { start: number; end: number }[], listGap: RegExp): Aside[] {
  const found: Aside[] = [];
  // Brackets or dashes around a list of names are the names of the noun before them ("the three
  // companies — Google, Microsoft and xAI — signed"), not an aside.
  // ("— so far OpenAI, Anthropic and xAI —", "(namely OpenAI and xAI)": a word that introduces the list may come first.)
  const naming = (from: number) => names.some((n) => n.start === from || (n.start > from && n.start - from <= 24 && LIST_OPENER.test(text.slice(from, n.start))));
  for (const m of text.matchAll(PARENTHESIS)) {
    if (!naming(m.index + 1)) found.push({ start: m.index, end: m.index + m[0].length, text: m[0], kind: 'parenthesis' });
  }
  for (const m of text.matchAll(DASHES)) {
    if (!naming(m.index + 3)) found.push({ start: m.index + 1, end: m.index + m[0].length - 1, text: m[0].trim(), kind: 'dashes' });
  }
  for (const m of text.matchAll(BETWEEN_COMMAS)) {
    // A comma after an opening word ("Second, the agency announced …") ends no noun phrase.
    if (OPENING_WORD.test(text.slice(0, m.index))) continue;
    // (A comparison ends on its name and is an aside all the same: "Amazon, like Microsoft, will …",
    // "Meta, unlike OpenAI and Anthropic, has not signed".)
    const comparison = /^(?:un)?like$/iu.test(m[1]!);
    if (names.some((n) => n.end === m.index + m[0].length - 1) && !comparison) {
      // A relative clause that opens on a list runs past it: "the EU's code, which OpenAI,
      // Anthropic and Google all signed in 2025, …".
      const end = /^(?:which|whom)$/iu.test(m[1]!) ? pastList(text, m.index + m[0].length - 1, names, listGap) : undefined;
      if (end !== undefined) found.push({ start: m.index, end, text: text.slice(m.index, end), kind: 'relative' });
      continue;
    }
    // A participle with its agent ("the deals, first signed by OpenAI, give …") is a reduced relative clause.
    const relative = /^(?:which|who|whose|whom|where|\p{L}+ of (?:which|whom|them))$|\sby$|^\p{L}+ed by$/iu.test(m[1]!);
    // The closing comma stays with the clause; the aside is ", … " up to it. A relative clause
    // with a list in it runs on to the comma before the main clause's verb ("Meta, which signed
    // the 2023 commitments, the Seoul pledge and, last month, a chip deal with Google, is …").
    const end = relative ? relativeEnd(text, m.index + m[0].length - 1) : m.index + m[0].length - 1;
    found.push({ start: m.index, end, text: text.slice(m.index, end), kind: relative ? 'relative' : comparison ? 'comparison' : 'appositive' });
  }
  // A phrase of time, cause or source between a subject and its verb: "Meta, after months of
  // talks, signed". Only where a verb follows it, so a comma that ends a clause opens none. (Not
  // "with": "OpenAI, with Anthropic, signed" joins a party to the subject.) A cue inside one takes
  // its parties from inside only.
  for (const m of text.matchAll(ADVERBIAL)) {
    const end = m.index + m[0].length - 1;
    if (!OPENING_WORD.test(text.slice(0, m.index)) && MAIN_VERB.test(text.slice(end + 1, end + 40).replace(ADVERB, ''))) {
      found.push({ start: m.index, end, text: text.slice(m.index, end), kind: 'adverbial' });
    }
  }
  // A comparison that opens the sentence is no part of its subject: in "Unlike OpenAI, Anthropic
  // and xAI, Meta has not agreed" the list's last comma closes the comparison, and what the main
  // clause says is said of Meta alone.
  const compared = FRONTED_COMPARISON.exec(text);
  if (compared) {
    const comma = compared.index + compared[0].length - 1;
    const end = names.some((n) => n.end === comma) ? closedListEnd(text, comma, names, listGap) : comma;
    if (end !== undefined) found.push({ start: 0, end, text: text.slice(0, end), kind: 'comparison' });
  }
  // A relative clause that ends the sentence has no closing comma: "… join OpenAI and xAI, which have signed."
  const last = FINAL_RELATIVE.exec(text);
  if (last) found.push({ start: last.index, end: text.length, text: text.slice(last.index), kind: 'relative' });
  // Nor does a noun phrase after a dash that ends it, as headlines write: "Meta Defies the White
  // House — the Lone Holdout in a Unifying Industry" (an appositive of the sentence's subject).
  const tail = FINAL_DASH.exec(text);
  if (tail) found.push({ start: tail.index + 1, end: text.length, text: text.slice(tail.index + 1), kind: 'appositive' });
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Aside[] = [];
  for (const a of found) if (!kept.some((k) => a.start < k.end && k.start < a.end)) kept.push(a);
  return kept;
}

const ADVERBIAL =
  /, (?:after|before|despite|following|amid|amidst|under|in|on|at|for|over|during|since|until|through|throughout|according to|as of|as part of|per|this|last|earlier|later|late|early)\b[^,;:()—]{1,120},/giu;
const ADVERB = /^ \p{L}+ly(?= )/u;

const FRONTED_COMPARISON = /^\W*(?:unlike|like|as with|just as with|in contrast to|contrary to|compared (?:to|with)|apart from|aside from|other than|besides)\s[^,;:()—]{1,120}?,/iu;

const FINAL_DASH = / [—–-] (?=(?:the|a|an|now|still)\s)[^—–;:()]{1,120}$/iu;

const FINAL_RELATIVE = /, (?:which|who|whom|(?:all|both|each|most|some|none|several) of (?:which|whom|them))\b[^,;:()—]{1,200}$/iu;

// (A preposition too: "the first agreements — with OpenAI and Anthropic — were signed" is "the agreements with them".)
const LIST_OPENER = /^(?:so far|namely|including|such as|like|e\.g\.,?|i\.e\.,?|notably|specifically|among them|chiefly|mainly|mostly|with|between|involving)\s+$/iu;

// A sentence adverb or ordinal that opens a sentence: no appositive hangs on it.
const OPENING_WORD =
  /^\W*(?:first|second|third|fourth|finally|still|meanwhile|however|separately|notably|instead|now|today|yesterday|also|moreover|additionally|further|furthermore|similarly|likewise|indeed|importantly|crucially|ultimately|overall|so|thus|yet|then|later|earlier|previously|currently|already|nonetheless|nevertheless|specifically|technically|officially|reportedly|\p{L}+ly)$/iu;

// What opens a main clause's predicate after a relative clause's closing comma.
const MAIN_VERB = /^ (?:is|are|was|were|has|have|had|will|would|can|could|may|might|must|should|did|does|do|remains?|remained|said|says|told|became|becomes|now|also|still|announced|signed|joined|agreed|declined|refused|urged|faces?|sits?|stands?|stays?)\b/iu;
const MAX_RUN_ON = 4;
const CLAUSE_WORD = /(?<![\p{L}\p{N}])(?:which|who|whom|whose|that|is|are|was|were|has|have|had|will|would|said|says)(?![\p{L}\p{N}])/iu;

/** Where a relative clause whose first comma is at `comma` ends: at the comma before the main verb. */
function relativeEnd(text: string, comma: number): number {
  let end = comma;
  for (let i = 0; i < MAX_RUN_ON && !MAIN_VERB.test(text.slice(end + 1, end + 40)); i++) {
    const next = text.slice(end + 1).search(/[,;:()]/u);
    if (next < 0 || text[end + 1 + next] !== ',') return comma;
    // Only list items carry it on: a stretch with a verb or a new relative clause is a clause of its own.
    if (CLAUSE_WORD.test(text.slice(end + 1, end + 1 + next))) return comma;
    end = end + 1 + next;
  }
  return MAIN_VERB.test(text.slice(end + 1, end + 40)) ? end : comma;
}

/** The comma that closes a clause whose list of names (joined as `listGap`, the language's list connectors, says) starts before `comma`, if one does. */
function pastList(text: string, comma: number, names: { start: number; end: number }[], listGap: RegExp): number | undefined {
  let i = names.findIndex((n) => n.end === comma);
  while (i + 1 < names.length && listGap.test(text.slice(names[i]!.end, names[i + 1]!.start))) i++;
  const after = names[i]!.end;
  const next = text.slice(after, after + 120).search(/[,;:()—]/u);
  return next >= 0 && text[after + next] === ',' ? after + next : undefined;
}

/**
 * The comma after a list that starts at the name ending at `comma`: the list closes on its item
 * joined by "and" or "or", so the name after that comma is the main clause's ("Unlike OpenAI,
 * Anthropic and xAI, Meta …").
 */
function closedListEnd(text: string, comma: number, names: { start: number; end: number }[], listGap: RegExp): number | undefined {
  let i = names.findIndex((n) => n.end === comma);
  // (A name with no comma after it is the main clause's: "Unlike OpenAI, Meta has not".)
  let closed = comma;
  while (i + 1 < names.length) {
    const gap = text.slice(names[i]!.end, names[i + 1]!.start);
    if (!listGap.test(gap)) break;
    i++;
    if (text[names[i]!.end] === ',') closed = names[i]!.end;
    if (/\b(?:and|or)\s+$/iu.test(gap)) return text[names[i]!.end] === ',' ? names[i]!.end : undefined;
  }
  return closed;
}

/** The aside that holds position `pos`, if any. */
export function asideAt(asides: Aside[], pos: number): Aside | undefined {
  return asides.find((a) => a.start <= pos && pos < a.end);
}

/** The text between `from` and `to` with the stretches given (asides, in order) left out. */
export function textOutsideAsides(text: string, asides: readonly { start: number; end: number }[], from: number, to: number): string {
  let out = '';
  let at = from;
  for (const a of asides) {
    if (a.end <= at || a.start >= to) continue;
    out += `${text.slice(at, Math.max(at, a.start))} `;
    at = Math.max(at, a.end);
  }
  return at < to ? out + text.slice(at, to) : out;
}

/** Words between `from` and `to`, not counting those inside the stretches given (asides, in order). */
export function wordsOutsideAsides(text: string, asides: readonly { start: number; end: number }[], from: number, to: number): number {
  let words = 0;
  let at = from;
  for (const a of asides) {
    if (a.end <= at || a.start >= to) continue;
    words += countWords(text.slice(at, Math.max(at, a.start)));
    at = Math.max(at, a.end);
  }
  if (at < to) words += countWords(text.slice(at, to));
  return words;
}

// The verb group's own small words stand between a subject and its verb without putting
// distance between them: "Meta … is the only developer that has not yet completed" is as near
// as "Meta … is the only developer that completed".
const VERB_GROUP = new Set(
  'is are was were be been being has have had do does did will would can could may might shall should must not never yet already also still now all each both just so far then since ever currently previously recently reportedly quietly formally officially finally'.split(' '),
);

function countWords(s: string): number {
  let n = 0;
  for (const m of s.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'.-]*/gu)) if (!VERB_GROUP.has(m[0].toLowerCase())) n++;
  return n;
}
