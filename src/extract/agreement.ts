// Which agreement a cue is about: the nearest mention, agreements joined by "and", and the item's context when the text names none.
import { wordMatches } from './word-patterns.js';
import { type CompiledAgreement, type CompiledTracker } from './compile.js';
import { findBounded, testBounded } from './bound.js';
import { asideAt, CONTRASTED } from './structure.js';
import { findAgreements } from './mentions.js';
import { clauseOf } from './spans.js';
import type { AgreementMention, CueContext, CueFinding, CueMatch, CuePlace, Span } from './trace.js';

/** The agreement a cue is about, and why. */
export function cueAgreement(cc: CueContext, { clause, room }: CuePlace, cue: CueMatch): CueFinding['agreement'] {
  const { ct, st, starts } = cc;
  const text = st.text;
  const inClause = (sp: Span) => clauseOf(starts, sp.start) === clause;
  // Agreement: the nearest mention in the cue's own stretch of the clause (inside or outside an
  // aside), else in the clause, else in the sentence, else the item's context.
  const near = (list: AgreementMention[]) =>
    list.reduce<AgreementMention | undefined>((best, a) => {
      const d = a.end <= cue.start ? cue.start - a.end : a.start - cue.end;
      const bd = best ? (best.end <= cue.start ? cue.start - best.end : best.start - cue.end) : Infinity;
      return d < bd ? a : best;
    }, undefined);
  const clauseAgreements = st.agreements.filter(inClause);
  // This agreement set apart from the cue's object by "not" is the one the cue denies, whatever
  // else it names: "Meta has signed many agreements, but not CAISI's".
  const contrasted = clauseAgreements.find((a) => a.isThis && a.start >= cue.end && CONTRASTED.test(text.slice(cue.end, a.start)));
  if (contrasted) return { decision: 'this', reason: `"${contrasted.text}" names ${ct.tracker.name}, set apart from the cue's object by "not"`, contrasted: true };
  // A relative clause is about the noun it hangs on: "the EU's code of practice, which OpenAI signed, …".
  const head = room?.kind === 'relative' ? st.agreements.find((a) => a.end <= room.start && /^[\s,]*$/.test(text.slice(a.end, room.start))) : undefined;
  let nearest = head ?? near(clauseAgreements.filter((a) => asideAt(st.asides, a.start) === room)) ?? near(clauseAgreements) ?? near(st.agreements);
  // Two agreements joined by "and" are both what the cue is about ("tested by CAISI and the UK institute").
  const pair = nearest && !nearest.isThis ? coordinated(text, nearest, st.agreements) : undefined;
  if (pair) nearest = pair;
  // A description of this agreement that is not the cue's object ("tested … before launch",
  // "its pre-deployment access arrangement with") yields to another agreement named in the
  // clause when the clause does not name this one: "The UK institute said it had tested
  // Anthropic's model before launch" is the UK's testing; "signed the EU code, still hasn't
  // signed the US pre-release testing deal" keeps its object.
  // (Not when the two are one pair: "US and UK government agencies will evaluate".)
  if (!pair && nearest?.isThis && nearest.start < cue.end && !isName(nearest) && !clauseAgreements.some((a) => a.isThis && isName(a))) {
    nearest = near(clauseAgreements.filter((a) => !a.isThis)) ?? nearest;
  }
  // A description whose counterparty is another agreement's body is that one's: "holds a comparable
  // testing deal with Britain's AI Security Institute".
  if (nearest?.isThis && !isName(nearest)) {
    const after = nearest;
    nearest = st.agreements.find((a) => !a.isThis && a.start >= after.end && COUNTERPARTY.test(text.slice(after.end, a.start))) ?? nearest;
  }
  if (nearest) {
    return nearest.isThis
      ? { decision: 'this', reason: `"${nearest.text}" names ${ct.tracker.name}` }
      : { decision: 'other', reason: `"${nearest.text}" is ${nearest.agreement.name}, another agreement` };
  }
  // The cue's object introduces an agreement of its own ("Meta signed a partnership with
  // Anduril"): no earlier or later mention of this one is what it signed.
  const object = INDEFINITE_AGREEMENT.exec(text.slice(cue.end, cue.end + 80));
  if (object) return { decision: 'other', reason: `its object, "${object[0].trim()}", is an agreement of its own, not one named before` };
  if (st.contextAgreement) {
    const c = st.contextAgreement;
    return c.via === 'address'
      ? { decision: 'this', reason: `no agreement is named in the text, and the item's address names it ("${c.text}")` }
      : c.via === 'topic'
      ? { decision: 'this', reason: `no agreement is named, and the item speaks of its topic ("${c.text}")` }
      : c.via === 'source'
      ? { decision: 'this', reason: 'no agreement is named, and the item\'s source is about it' }
      : c.isThis
      ? { decision: 'this', reason: `an earlier sentence names it ("${c.text}")` }
      : { decision: 'other', reason: `an earlier sentence is about ${c.agreement.name} ("${c.text}")` };
  }
  return { decision: 'none', reason: 'neither this sentence nor an earlier one names an agreement' };
}

// "a partnership with Anduril", "another deal with Oracle": an indefinite agreement with someone
// other than the government brings in a new agreement ("a similar agreement", "an agreement with
// the government" and "an agreement soon" point to the one the item is about).
const INDEFINITE_AGREEMENT =
  /^ (?:an?|another|one|new) (?!(?:similar|comparable|same|such)\b)(?:[\p{L}\p{N}$.,-]+ ){0,3}?(?:partnerships?|deals?|contracts?|agreements?|pacts?|leases?|memorand(?:um|a|ums)|MOUs?) (?:with|to) (?!(?:the )?(?:U\.S\.|US|American|federal|government|Commerce|CAISI|NIST|administration|White House|agency|institute|department|Washington|Trump|Biden)\b)/iu;

/**
 * What an item that names no agreement is about: the agreement its address names, else this one
 * by the words of its topic, else this one when the item's source is about it (`fromSource`).
 */
export function itemAgreement(ct: CompiledTracker, address: string, around: string, fromSource: boolean): AgreementMention | undefined {
  // The address first: if it names an agreement, that one decides, even against the source.
  const named = address ? findAgreements(ct, address)[0] : undefined;
  if (named) return named.isThis ? { ...named, start: 0, end: 0, via: 'address' } : undefined;
  const words = onTopic(ct, around);
  if (words) return { start: 0, end: 0, text: words, agreement: ct.agreements[0]!.names, isThis: true, via: 'topic' };
  if (fromSource) return { start: 0, end: 0, text: ct.tracker.name, agreement: ct.agreements[0]!.names, isThis: true, via: 'source' };
  return undefined;
}

/**
 * Whether the agreement's probe matches `text`. The probe matches where one of its patterns does,
 * so only the patterns whose words the text holds are tried, each on its own.
 */
export function mayName(agreement: CompiledAgreement, text: string): boolean {
  // The guard reads the whole text in one linear scan (literal words only); a pattern, in bounded windows.
  const candidates = agreement.guard?.candidates(text);
  if (!candidates) return testBounded(agreement.probe, text);
  for (const i of candidates) if (testBounded(agreement.each[i]!, text)) return true;
  return false;
}

/** The words of the tracker's topic found in `text`, or undefined unless every one of them is there. */
export function onTopic(ct: CompiledTracker, text: string): string | undefined {
  if (ct.topic.length === 0) return undefined;
  const words: string[] = [];
  for (const re of ct.topic) {
    const found = findBounded(text, (piece) => wordMatches(re, piece, 1)[0]?.[0]);
    if (found === undefined) return undefined;
    words.push(found);
  }
  return words.join(' … ');
}

/**
 * The agreement a sentence leaves as context for the ones after it: its last mention, unless that
 * only describes this one and the sentence names another's body without naming this one ("Korea AI
 * Safety Institute partners with UK on AI testing" is about Korea's testing).
 */
export function lastAgreement(mentions: AgreementMention[]): AgreementMention | undefined {
  const last = mentions.at(-1);
  if (!last?.isThis || isName(last) || mentions.some((a) => a.isThis && isName(a))) return last;
  return mentions.findLast((a) => !a.isThis) ?? last;
}

/** Whether a mention is one of the agreement's names rather than a description of it. */
function isName(a: AgreementMention): boolean {
  let names = NAMES.get(a.agreement);
  if (!names) NAMES.set(a.agreement, (names = new Set(a.agreement.aliases.map((al) => bare(al.text)))));
  return names.has(bare(a.text));
}

// An agreement's names, found once: dots aside, "US AI Safety Institute" is the name "U.S. AI Safety Institute".
const NAMES = new WeakMap<object, Set<string>>();
const bare = (s: string) => s.toLowerCase().replace(/\./g, '');

/** This agreement's mention joined to `other` by a list connector, if any. */
function coordinated(text: string, other: AgreementMention, mentions: AgreementMention[]): AgreementMention | undefined {
  return mentions.find((m) => {
    if (!m.isThis) return false;
    const between = m.end <= other.start ? text.slice(m.end, other.start) : text.slice(other.end, m.start);
    return COORDINATION.test(between);
  });
}

// (Or its agent: "pre-release testing by the EU AI Office" is the EU's.)
const COUNTERPARTY = /^\s+(?:with|by|between \S+ and)\s+(?:the\s+)?$/iu;

// Two names side by side are one noun phrase ("UK AI Security Institute testing agreement"), not two agreements: a connector is needed.
// (A closing bracket and a short appositive may come first: "the U.S. institute (its acronym), an arm of NIST, and the UK one".)
const COORDINATION = /^\s*\)?(?:,[^,;()]{1,40})?\s*(?:,\s*(?:and\s+)?|(?:and|&|as well as|plus)\s+)(?:the\s+|its\s+)?$/iu;
