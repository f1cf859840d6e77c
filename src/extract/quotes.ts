// Who "we" is inside a quotation: the party the quotation is attributed to ("Meta told Reuters,
// 'We hope to sign soon'"; "A Meta spokesperson said: 'we are working through the details'").
// The state runs across an item's sentences, since a quotation often spans several.
import { wordMatches } from './word-patterns.js';
import { wordsBetween } from './spans.js';

export interface QuoteState<P> {
  /** The party the latest attribution named. */
  speaker?: P | undefined;
  /** Whether a quotation is open at the start of the next sentence. */
  open: boolean;
}

export interface QuotedWord<P> {
  start: number;
  end: number;
  text: string;
  party: P;
}

/** Words that attribute speech, at most this many words after the party's name ("Meta spokesperson Ann Lee said")... */
const ATTRIBUTION_REACH = 4;
/** ... or after a name that introduces one of its people, with a title ("Anthropic co-founder and head of policy Jack Clark said"). */
const PEOPLE_REACH = 8;

/**
 * The first-person words inside quotation marks in `text`, each standing for the party the
 * quotation is attributed to (in this sentence or an earlier one). Updates `state`.
 */
export function quotedFirstPerson<P>(
  text: string,
  named: { end: number; party: P }[],
  people: { end: number; party: P }[],
  attributionRe: RegExp | undefined,
  firstPersonRe: RegExp | undefined,
  state: QuoteState<P>,
): QuotedWord<P>[] {
  if (attributionRe) {
    for (const m of wordMatches(attributionRe, text)) {
      const by = named.findLast((n) => n.end <= m.index);
      const person = people.findLast((n) => n.end <= m.index);
      if (by && wordsBetween(text, by.end, m.index) <= ATTRIBUTION_REACH) state.speaker = by.party;
      else if (person && (!by || person.end > by.end) && wordsBetween(text, person.end, m.index) <= PEOPLE_REACH) state.speaker = person.party;
    }
  }
  const out: QuotedWord<P>[] = [];
  const speaker = state.speaker;
  if (speaker !== undefined && firstPersonRe && (state.open || text.includes('"'))) {
    for (const m of wordMatches(firstPersonRe, text)) {
      if (insideQuote(text, m.index, state.open)) out.push({ start: m.index, end: m.index + m[0].length, text: m[0], party: speaker });
    }
  }
  if (countQuotes(text, text.length) % 2 === 1) state.open = !state.open;
  return out;
}

function insideQuote(text: string, pos: number, openAtStart: boolean): boolean {
  return (countQuotes(text, pos) % 2 === 1) !== openAtStart;
}

function countQuotes(text: string, to: number): number {
  let n = 0;
  for (let i = text.indexOf('"'); i >= 0 && i < to; i = text.indexOf('"', i + 1)) n++;
  return n;
}
