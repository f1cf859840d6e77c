// A bare list that echoes the sentence before it takes that sentence's status: "Every major lab
// has given Washington a preview of its models before they ship. OpenAI, Anthropic and xAI." or
// "Meta is the only lab that has not agreed to the CAISI arrangement. OpenAI and xAI all have."
import { cueMatches } from './cues.js';
import { type CompiledLanguage, type CompiledTracker } from './compile.js';
import { findTriggers } from './modifiers.js';
import { longestFirst, wordsBetween } from './spans.js';
import type { AgreementMention, CueFinding, CueMatch, PartyMention, SentenceTrace } from './trace.js';

// What may stand around the names of an echoing list: list glue, and words that echo a verb.
const ECHO_GLUE = /^[\s,;&+/.!—:-]*(?:(?:and|or|plus|all|both|each|have|has|had|did|do|does|too|also|as well|are|is|were|among them|included|already|so far|now|since|neither|nor|either|not)(?![\p{L}\p{N}])[\s,;&+/.!—:-]*)*$/iu;
// A negative echo ("Neither is Nvidia", "Nor has Amazon") repeats a holdout as it is, and echoes nothing else.
const NEGATIVE_ECHO = /(?<![\p{L}\p{N}])(?:neither|nor|either|not)(?![\p{L}\p{N}])/iu;
// An auxiliary that answers a negated verb with its opposite: "Meta has not agreed. The rest all have."
const AFFIRMATIVE = /(?<![\p{L}\p{N}])(?:have|has|did|do|does|are|is|were)(?![\p{L}\p{N}])/iu;

/** Whether a sentence is nothing but a list of parties named outright, and words that echo a verb. */
export function isEchoList(st: SentenceTrace): boolean {
  if (st.parties.length === 0 || st.findings.length > 0 || st.parties.some((p) => p.refersTo !== undefined)) return false;
  let rest = '';
  let at = 0;
  for (const p of st.parties) {
    rest += `${st.text.slice(at, p.start)} `;
    at = p.end;
  }
  rest += st.text.slice(at);
  return ECHO_GLUE.test(rest);
}

/** The previous sentence's status, given to the echoing list, or nothing when it has none to give. */
export function echoFinding(
  ct: CompiledTracker,
  lang: CompiledLanguage,
  list: SentenceTrace,
  before: SentenceTrace | undefined,
  beforeAgreements: AgreementMention[],
  context: AgreementMention | undefined,
): CueFinding | undefined {
  if (!before || /\?["')\]]*$/.test(before.text) || lang.conditionalRe?.test(before.text)) return undefined;
  const cue = before.findings.length > 0 ? fromFinding(before, list) : fromScan(ct, lang, before, beforeAgreements, context);
  if (!cue) return undefined;
  const parties: PartyMention[] = list.parties;
  return {
    cue: { start: parties[0]!.start, end: parties.at(-1)!.end, text: list.text.slice(parties[0]!.start, parties.at(-1)!.end), rule: cue.rule },
    parties,
    partyReason: `the list echoes the sentence before ("${cue.text}")`,
    agreement: { decision: 'this', reason: 'the sentence before names it' },
    modifiers: [],
    status: cue.status,
    modality: 'asserted',
    historical: cue.historical,
    overridden: [],
  };
}

interface Echoed {
  rule: CueMatch['rule'];
  text: string;
  status: CueFinding['status'];
  historical: boolean;
}

function fromFinding(before: SentenceTrace, list: SentenceTrace): Echoed | undefined {
  const f = before.findings.filter((x) => !x.cue.rule.exclusive && (!x.dropped || x.parties.length === 0)).at(-1);
  if (!f || f.modality === 'hypothetical') return undefined;
  if (f.dropped && f.agreement.decision !== 'this' && before.agreements.every((a) => !a.isThis)) return undefined;
  if (NEGATIVE_ECHO.test(list.text)) {
    return f.status === 'holdout' && f.modality === 'asserted' ? { rule: f.cue.rule, text: f.cue.text, status: 'holdout', historical: f.historical } : undefined;
  }
  // A negated signing made a holdout; "… all have" answers it with the signing itself.
  const negated = f.status !== f.cue.rule.status || f.modality === 'negated';
  if (negated && !AFFIRMATIVE.test(list.text)) return f.modality === 'negated' ? undefined : { rule: f.cue.rule, text: f.cue.text, status: f.status, historical: f.historical };
  return { rule: f.cue.rule, text: f.cue.text, status: f.cue.rule.status, historical: f.historical };
}

/** A sentence that names no party was not read for cues: its last cue, if nothing hedges or negates it. */
function fromScan(ct: CompiledTracker, lang: CompiledLanguage, before: SentenceTrace, agreements: AgreementMention[], context: AgreementMention | undefined): Echoed | undefined {
  if (!agreements.some((a) => a.isThis) && !(agreements.length === 0 && context?.isThis)) return undefined;
  const found = longestFirst(cueMatches(ct, before.text));
  const cues = found.filter((c) => !c.rule.exclusive && !agreements.some((a) => a.start <= c.start && a.end >= c.end));
  const cue = cues.at(-1);
  if (!cue) return undefined;
  // (A trigger beyond its reach hedges nothing: "Nearly every lab has signed".)
  if (findTriggers(lang, before.text, cues).some((t) => t.start < cue.start && (t.verbPhrase || wordsBetween(before.text, t.end, cue.start) <= t.window))) return undefined;
  return { rule: cue.rule, text: cue.text, status: cue.rule.status, historical: false };
}
