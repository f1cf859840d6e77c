// Parties that share a clause's status with no verb of their own: those compared with its
// subject, its companions, and a second subject whose verb is left out ("Microsoft followed in
// May and xAI in June"). Compared parties take the clause's status, or the contrary of it, and
// nothing else. "Unlike OpenAI and Anthropic, Meta has not agreed" says that they have; "Like OpenAI
// before it, Google will give CAISI access" and "…, along with rival OpenAI." say the same of
// OpenAI as of the clause's subject, negation included ("has not signed, along with Nvidia" is
// two holdouts). Only these readings are taken: "Unlike Meta, OpenAI signed quickly" may
// contrast the speed, not the signing, so a signing says nothing of the parties it is contrasted
// with.
import type { CueFinding, PartyMention, SentenceTrace } from './trace.js';

const CONTRARY = /^\W*(?:unlike|in contrast to|contrary to)\s/iu;
const ALIKE = /^\W*(?:like|as with|just as with)\s/iu;
// A companion named after the clause, with its role in front if any: ", along with rival OpenAI".
const COMPANION = /,\s+(?:along with|together with|as did|as has|as have|as had|just like|like)\s+(?:(?:its|their)\s+)?(?:(?:rival|competitor|peer|fellow)s?\s+)?$/iu;
// What may follow the companion's list: the sentence's or clause's end, or a date.
const CLAUSE_END = /^\s*(?:(?:in|on|last|this|earlier|back in)\s+[\p{L}\p{N} ]{1,20}?)?\s*(?:[.;!?]|$)/u;

/** What the sentence's comparisons, companions and subjects without a verb say of their parties. */
export function comparedFindings(st: SentenceTrace): CueFinding[] {
  const found: CueFinding[] = [];
  const opening = openingComparison(st);
  if (opening) found.push(opening);
  const trailing = companions(st);
  if (trailing) found.push(trailing);
  found.push(...gapped(st));
  return found;
}

// A second subject whose verb is left out, each with its date: "Microsoft followed in May and
// xAI in June." The cue's own date comes first, then "and", the name, and a date of its own.
const DATE = String.raw`(?:in|on|last|this|earlier|later|back in)\s+[\p{L}\p{N}]+(?:\s+\p{N}+)?`;
const GAP_BEFORE = new RegExp(String.raw`^\s+${DATE},?\s+(?:and|,)\s+$`, 'u');
const GAP_AFTER = new RegExp(String.raw`^\s+${DATE}\s*(?:[.;!?,]|$)`, 'u');

/** Subjects of a clause whose verb is left out, after a cue's finding and its date. */
function gapped(st: SentenceTrace): CueFinding[] {
  const out: CueFinding[] = [];
  for (const f of st.findings) {
    if (f.dropped || f.modality !== 'asserted' || f.agreement.decision !== 'this' || f.parties.length === 0 || f.parties.at(-1)!.end > f.cue.start) continue;
    const next = st.parties.find((m) => m.start >= f.cue.end);
    if (!next || !GAP_BEFORE.test(st.text.slice(f.cue.end, next.start)) || !GAP_AFTER.test(st.text.slice(next.end))) continue;
    const named = unclaimed(st, [next]);
    if (named.length > 0) out.push(shared(f, named, f.status, 'the subject of a clause whose verb is left out, which says of it what'));
  }
  return out;
}

/** The finding of an opening comparison ("Unlike A and B, Meta has not …"), if it makes one. */
function openingComparison(st: SentenceTrace): CueFinding | undefined {
  const aside = st.asides.find((a) => a.kind === 'comparison');
  if (!aside) return undefined;
  const contrary = CONTRARY.test(aside.text);
  if (!contrary && !ALIKE.test(aside.text)) return undefined;
  const compared = unclaimed(st, st.parties.filter((m) => m.start >= aside.start && m.end <= aside.end));
  const main = mainFinding(st, (f) => f.cue.start >= aside.end);
  if (compared.length === 0 || !main) return undefined;
  const status = contrary ? (main.status === 'holdout' ? 'signed' : undefined) : main.status === 'signed' || main.status === 'holdout' ? main.status : undefined;
  if (!status) return undefined;
  return shared(main, compared, status, `named in the comparison "${aside.text}", which says of them ${contrary ? 'the contrary of' : 'what'}`);
}

/** The finding of companions named last (", along with rival OpenAI."), if any. */
function companions(st: SentenceTrace): CueFinding | undefined {
  const first = st.parties.findIndex((m) => COMPANION.test(st.text.slice(Math.max(0, m.start - 60), m.start)));
  if (first < 0) return undefined;
  // The companions run to the end of the clause: a list, nothing but a date after it.
  let last = first;
  while (last + 1 < st.parties.length && /^\s*(?:,\s*(?:and\s+)?|and\s+|&\s*)$/u.test(st.text.slice(st.parties[last]!.end, st.parties[last + 1]!.start))) last++;
  if (!CLAUSE_END.test(st.text.slice(st.parties[last]!.end))) return undefined;
  const named = unclaimed(st, st.parties.slice(first, last + 1));
  if (named.length === 0) return undefined;
  const main = mainFinding(st, (f) => f.cue.end <= named[0]!.start);
  if (!main) return undefined;
  return shared(main, named, main.status, 'named as a companion after the clause, which says of them what');
}

/** Mentions no finding of the sentence has taken. */
function unclaimed(st: SentenceTrace, mentions: PartyMention[]): PartyMention[] {
  return st.findings.some((f) => f.parties.some((m) => mentions.includes(m))) ? [] : mentions;
}

/** The first finding that asserts something of a party about this agreement, where `where` says. */
function mainFinding(st: SentenceTrace, where: (f: CueFinding) => boolean): CueFinding | undefined {
  return st.findings.find((f) => !f.dropped && f.modality === 'asserted' && f.agreement.decision === 'this' && f.parties.length > 0 && where(f));
}

function shared(main: CueFinding, parties: PartyMention[], status: CueFinding['status'], why: string): CueFinding {
  const subject = main.parties.map((m) => m.party.name).join(', ');
  return { ...main, parties, status, modifiers: [], partyReason: `${why} the main clause says of ${subject}`, overridden: [] };
}
