// A cue's modifiers: the negation and hypothesis triggers near it, and the dates that make it historical.
import { wordMatches } from './word-patterns.js';
import { type CompiledLanguage } from './compile.js';
import { isHistorical, type DateMention } from './dates.js';
import { MAX_PER_SENTENCE } from './bound.js';
import { isAllCaps } from './mentions.js';
import { clauseOf, overlaps, wordsBetween } from './spans.js';
import { asideAt, GERUND } from './structure.js';
import type { CueContext, CueFinding, CueMatch, CuePlace, PartyMention, SentenceTrace, Span, TriggerMatch } from './trace.js';

// Where a modal's verb phrase ends: a comma, or a second verb phrase with a verb group of its
// own ("… and has not signed"); "should stop hiding and join" is still one modal's.
const NEXT_VERB_PHRASE = /[,;]|\s(?:and|but)\s+(?:\S+\s+)?(?:would|will|could|might|should|can|has|have|had|is|are|was|were|did|does|do)\b/iu;

const OUTSIDE_CONDITION = /;|,\s+(?:since|because|given that)\s/iu;

// A short aside between two commas right after a negation: "has not, so far, agreed", "has not, to date, signed".
const NEGATION_ASIDE = /^\s*,[^,;]{1,25},/u;

// A cue that is not a clause's verb but part of its subject, under a modal main verb: a gerund
// ("Meta signing the agreement would mark a shift") or a noun phrase ("a signed agreement from
// Meta would complete the set"). A finite verb before the modal would need a conjunction or a
// comma first ("Meta signed the deal, which would …").
const AUXILIARY_BEFORE = /\b(?:am|is|are|was|were|be|been|being|'s|'re|has|have|had|not|n't|keeps?|kept|began|begun|started|stopped|continues?|continued|of|about|by|for|from|in|on|after|before|without)\s+(?:\p{L}+ly\s+)?$/iu;
const DETERMINER_BEFORE = /(?:^|\s)(?:a|an|the|its|their|this|that|any)\s+(?:(?:\p{L}+(?:ed|ing|al|ive|ous|ful)|new|first|formal)\s+)?$/iu;
// A noun cue may also have a name or two before it in its noun phrase: "a CAISI agreement with Meta could come within weeks".
const NOUN_CUE = /^(?:agreements?|deals?|pacts?|arrangements?|partnerships?|MOUs?|memorand(?:um|a|ums)|signatures?|commitments?)\b/iu;
const DETERMINER_NOUN_BEFORE = /(?:^|\s)(?:a|an|the|its|their|this|that|any)\s+(?:[\p{L}\p{N}.'-]+\s+){0,2}$/iu;
// "Said the pact would give …" is reported speech: its "would" is a past "will".
const REPORTED_BEFORE = /\b(?:said|says|told|announced|added|noted|stated|wrote|reported|confirmed|explained|argued)\s+(?:that\s+)?\S+\s+(?:\S+\s+)?$/iu;
// (Lower case: "in May" is a month.)
const MODAL_VERB_AFTER =
  /^(?:(?!\s(?:that|which|who|whom|whose|where|when|if|because|as|while|and|but|or|so|since|after|before|until|unless|though|although|whether)\s)[^,;:—()"“”])*?\s(?:would|could|might|may)\s/u;

/** Whether the cue is part of its sentence's subject (a gerund or a noun phrase) under a modal verb. */
function subjectOfModal(text: string, cue: Span): boolean {
  const before = text.slice(0, cue.start);
  const nonFinite =
    DETERMINER_BEFORE.test(before) || (NOUN_CUE.test(cue.text) && DETERMINER_NOUN_BEFORE.test(before)) || (GERUND.test(cue.text) && !AUXILIARY_BEFORE.test(before));
  return nonFinite && !REPORTED_BEFORE.test(before) && MODAL_VERB_AFTER.test(text.slice(cue.end));
}

export function findTriggers(lang: CompiledLanguage, text: string, cues: CueMatch[]): TriggerMatch[] {
  const pseudo = lang.pseudoRe ? wordMatches(lang.pseudoRe, text).map((m) => ({ start: m.index, end: m.index + m[0].length })) : [];
  const out: TriggerMatch[] = [];
  for (const { key, start, end, text: t } of lang.triggers.matches(text).slice(0, 4 * MAX_PER_SENTENCE)) {
    const span = { start, end, text: t };
    // A trigger inside a cue is part of that cue ("has yet to sign", "not party to"); one that
    // runs past it still reaches the cues after it ("conspicuously absent from the list of signatories").
    if (cues.some((c) => c.start <= span.start && span.end <= c.end)) continue;
    // A capitalised "To" inside a mixed-case sentence is a Title Case headline's: "xAI To Let
    // Government Test Its Models" announces, as the corpus conventions read a "to sign" headline.
    if (t === 'To' && span.start > 0 && key.kind === 'hypothetical' && !isAllCaps(text)) continue;
    if (key.kind === 'negation' && pseudo.some((p) => overlaps(p as Span, span))) continue;
    out.push({ ...span, ...key });
  }
  return out;
}

/** Negation and hypothesis: the finding's modality, or a denied signing's holdout. */
export function applyModifiers(cc: CueContext, { clause, room }: CuePlace, finding: CueFinding, triggers: TriggerMatch[]): void {
  const { lang, st, cues, starts } = cc;
  const text = st.text;
  const cue = finding.cue;
  const inClause = (sp: Span) => clauseOf(starts, sp.start) === clause;
  // Modifiers, NegEx-style: a trigger within its window of the cue, in the same clause, no comma between.
  let negated = false;
  let hypothetical = false;
  for (const t of triggers) {
    if (!inClause(t)) continue;
    // A relative clause states a fact of its own: "whether xAI, which signed in May, will grant …".
    if (room?.kind === 'relative' && (t.start < room.start || t.end > room.end)) continue;
    // And an aside keeps its own triggers: "have signed parallel — but not identical — agreements".
    const own = asideAt(st.asides, t.start);
    if (own && own !== room) continue;
    if (headlineFuture(text, finding, t) || headlineSubjectTo(text, t)) continue;
    if (t.ownIntent && ownIntent(st, finding, t)) continue;
    // "Under the agreements, the labs would each provide …" states the terms: no hedge.
    if (t.verbPhrase && /^(?:would|will|'ll)$/iu.test(t.text) && lang.termsRe?.test(text)) continue;
    const [from, to] = t.side === 'before' ? [t.end, cue.start] : [cue.end, t.start];
    if (to < from) continue;
    // Negation stops at a comma ("Meta, which did not comment, signed"); a condition does not ("If, as expected, Meta signs").
    // Nor does a short aside set off by two commas right after the negation ("has not, so far, agreed").
    if (t.kind === 'negation' && text.slice(from, to).replace(NEGATION_ASIDE, ' ').includes(',')) continue;
    // A modal verb scopes over its own verb phrase, however long ("would make Meta the sixth lab
    // on board"), and no further than the next one ("would continue its red-teaming and would not sign").
    if (t.verbPhrase && NEXT_VERB_PHRASE.test(text.slice(from, to))) continue;
    if (wordsBetween(text, from, to) > t.window) continue;
    if (cues.some((c) => c !== cue && c.start >= from && c.end <= to && t.kind === 'negation')) continue;
    // "have not said whether they will sign": the negation is of the saying, not the signing.
    if (t.kind === 'negation' && triggers.some((h) => h.kind === 'hypothetical' && h.start >= from && h.end <= to)) continue;
    if (t.kind === 'negation') negated = true;
    else hypothetical = true;
    finding.modifiers.push(`${t.kind}: "${t.text}" ${t.side === 'before' ? 'before' : 'after'} the cue`);
  }
  if (finding.agreement.contrasted) {
    negated = true;
    finding.modifiers.push('negation: "not" sets the agreement apart from what the cue is about');
  }
  if (!hypothetical && subjectOfModal(text, cue)) {
    hypothetical = true;
    finding.modifiers.push('hypothetical: the cue is the subject of a modal verb ("… would")');
  }
  // A cue with room for words inside it may hold a hedge: "Meta's potential agreement with".
  const inside = lang.hedgeInsideRe ? wordMatches(lang.hedgeInsideRe, cue.text)[0] : undefined;
  if (inside) {
    hypothetical = true;
    finding.modifiers.push(`hypothetical: "${inside[0]}" inside the cue`);
  }
  // So may a denial: "made no commitment to", "has shared none of its models with". (Only in a
  // signing's cue: a holdout's cue holds its negation on purpose, "has not signed".)
  const denial = finding.status === 'signed' && lang.denialInsideRe ? wordMatches(lang.denialInsideRe, cue.text)[0] : undefined;
  if (denial) {
    negated = true;
    finding.modifiers.push(`negation: "${denial[0]}" inside the cue`);
  }
  // (A relative clause inside a condition states a fact of its own: "If Meta signs, Amazon, which has been negotiating, …".)
  // (A condition governs its own sentence: not a clause after a semicolon, nor a reason given
  // for it: "If Meta signs, the program will cover every lab, since OpenAI and xAI are in it".)
  if (lang.conditionalRe?.test(text) && room?.kind !== 'relative' && !OUTSIDE_CONDITION.test(text.slice(0, cue.start))) {
    hypothetical = true;
    finding.modifiers.push('hypothetical: the sentence is a condition ("if …, …")');
  } else if (lang.questions && /\?["')\]]*$/.test(text) && !lang.presupposingRe?.test(text)) {
    const lastBreak = Math.max(text.lastIndexOf(':'), text.lastIndexOf(';'), text.lastIndexOf(' — '));
    if (cue.start > lastBreak) {
      hypothetical = true;
      finding.modifiers.push('hypothetical: the clause is a question');
    }
  }
  if (negated) {
    if (finding.status === 'signed') {
      finding.status = 'holdout';
      finding.modifiers.push('a negated signing means the party has not signed: holdout');
    } else {
      finding.modality = 'negated';
    }
  }
  if (hypothetical) finding.modality = 'hypothetical';
}

/** Whether the finding is historical: a date in its clause long before the item's own. */
export function markHistorical(cc: CueContext, place: CuePlace, finding: CueFinding, dates: DateMention[]): void {
  const { lang, published } = cc;
  if (!published) return;
  const d = ownDates(cc, place, finding, dates).find((x) => isHistorical(x, published, lang.historicalDays));
  if (!d) return;
  finding.historical = true;
  finding.modifiers.push(`historical: "${d.text}" is more than ${lang.historicalDays} days before the item`);
}

/** A date of the finding's own that ends before the agreement began ("agreed … last year" of a pact signed this year), if any: the claim is about something else. */
export function datedBefore(cc: CueContext, place: CuePlace, finding: CueFinding, dates: DateMention[]): DateMention | undefined {
  const since = cc.ct.since;
  if (!since) return undefined;
  const { st, starts } = cc;
  const cue = finding.cue;
  // Surer than history needs: a date before the cue counts only if it opens the clause ("Last
  // year, …") or dates the place or time of a "where"/"when" clause the cue is in ("at last
  // year's summit, where the labs agreed"), not "a move that would have seemed odd two years ago".
  const dates_ = ownDates(cc, place, finding, dates).filter(
    (d) => d.start >= cue.end || wordsBetween(st.text, starts[place.clause]!, d.start) <= 3 || OPENS_SETTING.test(st.text.slice(d.end, cue.start)),
  );
  return dates_.find((d) => d.until.getTime() < since.getTime());
}

const OPENS_SETTING = /(?<![\p{L}\p{N}])(?:where|when)(?![\p{L}\p{N}])/iu;

// A date belongs to the cue before it in its clause ("signed in 2024"), else the one after it
// ("In 2024, OpenAI signed"); adjacent cues of one status share it.
function ownDates(cc: CueContext, { clause }: CuePlace, finding: CueFinding, dates: DateMention[]): DateMention[] {
  const { st, cues, starts } = cc;
  const cue = finding.cue;
  const inside = cues.filter((c) => clauseOf(starts, c.start) === clause);
  return dates.filter((d) => {
    if (clauseOf(starts, d.start) !== clause) return false;
    const owner = inside.filter((c) => c.end <= d.start).at(-1) ?? inside.find((c) => c.start >= d.end);
    if (!owner || owner.rule.status !== cue.rule.status) return false;
    // Another agreement's name between the cue and the date takes the date: "signing on with CAISI
    // continued the voluntary commitments Microsoft made in 2023".
    // (A date before the cue dates what follows: "last year's summit, where the labs agreed".)
    if (d.start >= cue.end && st.agreements.some((a) => !a.isThis && a.start >= cue.end && a.end <= d.start)) return false;
    // Another cue's date is shared only with no party between the two ("signed agreements with … in 2024").
    if (owner === cue) return true;
    const [from, to] = owner.start < cue.start ? [owner.end, cue.start] : [cue.end, owner.start];
    return !st.parties.some((p) => p.start >= from && p.end <= to);
  });
}

// What may stand between a party and its own words of intent: "Meta plans", "OpenAI said it
// will", "Google told Reuters on Monday that it is preparing".
const OWN_INTENT_GAP =
  /^(?:[\s,]|(?:has|have|had|is|are|was|were|now|also|still|reportedly|already|formally|officially|publicly|itself|said|says|told \S+|confirmed|confirms|announced|announces|stated|states|indicated|indicates|signal(?:l)?ed|signals|added|insists?|insisted|that|it|they|we|on \S+day|today|this week)(?![\p{L}\p{N}]))*$/iu;
// A party named as what someone else says or thinks: "analysts expect Meta will sign".
const REPORTED = /(?<![\p{L}\p{N}])(?:say|says|said|saying|think|thinks|thought|expect|expects|expected|predict|predicts|predicted|bet|bets|believe|believes|believed|reckon|reckons|guess|suggest|suggests|suggested|speculate|speculates|speculated|claim|claims|claimed|rumou?red|hope|hopes|hoped)(?: that)?[\s,"']*$/iu;

// (Looking back past a list the party ends: "execs from Microsoft and xAI".)
const PREPOSITION_BEFORE = /(?<![\p{L}\p{N}])(?:from|at|of|by|with|for|to|like|including|among)\s+(?:[\p{L}\p{N}.&'-]+(?:,|,? and|,? or| &)?\s+){0,6}$/iu;

/** Whether a party the finding names is the subject of its words of intent, in its own voice ("Meta plans to sign", "Meta said it plans to"). */
function ownIntent(st: SentenceTrace, finding: CueFinding, t: TriggerMatch): boolean {
  if (t.side !== 'before') return false;
  const text = st.text;
  const subject = (p: PartyMention, at: number) => p.end <= at && OWN_INTENT_GAP.test(text.slice(p.end, at));
  // Names after a preposition are not the subject: "execs from Microsoft and xAI will join".
  return finding.parties.some((p) => {
    if (!subject(p, t.start) || PREPOSITION_BEFORE.test(text.slice(0, p.start))) return false;
    const reported = REPORTED.exec(text.slice(0, p.start));
    // (The party may be the one saying it: "Meta said it plans to join".)
    return !reported || st.parties.some((q) => q.party.id === p.party.id && subject(q, reported.index));
  });
}

/**
 * A headline's future, the party list opening the sentence right before "to": "OpenAI, Anthropic
 * to share AI models with US government" announces what the parties will do (the corpus
 * conventions count it as their own announced intent), unlike "asked Meta to sign".
 */
function headlineFuture(text: string, finding: CueFinding, t: TriggerMatch): boolean {
  if (t.kind !== 'hypothetical' || t.text.toLowerCase() !== 'to' || finding.parties.length === 0) return false;
  const first = finding.parties.reduce((a, b) => (b.start < a.start ? b : a));
  const last = finding.parties.reduce((a, b) => (b.end > a.end ? b : a));
  return /^\s*$/.test(text.slice(last.end, t.start)) && /^(?:[^.!?:]{0,30}:\s*)?$/.test(text.slice(0, first.start));
}

// A headline opening on a short noun phrase and "to": "Feds to get early access to …", "Trump
// admin to review AI models from …" announce what will happen, as a party's own "to sign"
// headline does. Not when a word of the phrase is a verb or a hedge ("Meta urged to sign").
const HEADLINE_SUBJECT = /^(?:[\p{L}\p{N}'.&-]+ ){1,4}$/u;
const NOT_A_NOUN = /^(?:[\p{L}-]*(?:ed|ing)|is|are|was|were|be|been|has|have|had|says?|asks?|wants?|plans?|needs?|hopes?|aims?|seeks?|tries|likely|unlikely|set|poised|ready|due|going|about|able|unable|how|why|what|whether|if|not)$/iu;

function headlineSubjectTo(text: string, t: TriggerMatch): boolean {
  if (t.kind !== 'hypothetical' || t.text.toLowerCase() !== 'to' || /[.!?]["')\]]*$/.test(text)) return false;
  const before = text.slice(0, t.start);
  return HEADLINE_SUBJECT.test(before) && !before.trim().split(' ').some((w) => NOT_A_NOUN.test(w));
}
