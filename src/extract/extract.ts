// The extractor: (item, compiled rules) → assertions, with a trace of why for `explain`.
// Pure: no I/O, no clock; the item's own date decides what is historical.
import type { Assertion, AssertedStatus, ExtractInput, Modality } from '../types.js';
import type { AgreementNames } from '../config/load.js';
import { aliasKey, type CompiledConfig, type CompiledLanguage, type CompiledParty, type CompiledRule, type CompiledTracker, type CompiledTrigger } from './compile.js';
import { findDates, isHistorical, type DateMention } from './dates.js';
import { normalizeText, skeleton } from './normalize.js';
import { compileAbbreviations, splitParagraphs, splitSentences } from './sentences.js';

export interface Span {
  start: number;
  end: number;
  text: string;
}

export interface PartyMention extends Span {
  party: CompiledParty;
}

export interface IgnoredMention extends Span {
  reason: string;
}

export interface AgreementMention extends Span {
  agreement: AgreementNames;
  isThis: boolean;
}

export interface CueMatch extends Span {
  rule: CompiledRule;
}

export interface TriggerMatch extends Span {
  kind: 'negation' | 'hypothetical';
  side: 'before' | 'after';
  window: number;
}

/** What became of one cue: the parties it named, its modifiers, and the assertions or why none. */
export interface CueFinding {
  cue: CueMatch;
  parties: PartyMention[];
  partyReason: string;
  agreement: { decision: 'this' | 'other' | 'none'; reason: string };
  modifiers: string[];
  status: AssertedStatus;
  modality: Modality;
  historical: boolean;
  dropped?: string | undefined;
  /** Mentions dropped from this finding by an overriding rule, with the reason. */
  overridden: { party: string; by: string }[];
}

export interface SentenceTrace {
  tracker: string;
  index: number;
  isTitle: boolean;
  text: string;
  allCaps: boolean;
  parties: PartyMention[];
  ignored: IgnoredMention[];
  agreements: AgreementMention[];
  contextAgreement?: AgreementMention | undefined;
  triggers: TriggerMatch[];
  dates: DateMention[];
  findings: CueFinding[];
}

export interface Analysis {
  id: string;
  assertions: Assertion[];
  sentences: SentenceTrace[];
}

export interface Extractor {
  compiled: CompiledConfig;
  abbreviations: Set<string>;
}

export function createExtractor(compiled: CompiledConfig): Extractor {
  return { compiled, abbreviations: compileAbbreviations(compiled.language.abbreviations) };
}

/** The assertions one item makes, for every tracker. */
export function extract(ex: Extractor, input: ExtractInput): Assertion[] {
  return analyze(ex, input, false).assertions;
}

interface Sentence {
  text: string;
  isTitle: boolean;
}

export function analyze(ex: Extractor, input: ExtractInput, trace = true): Analysis {
  const title = input.title ? normalizeText(input.title) : '';
  const paragraphs = splitParagraphs(input.text).map(normalizeText);
  const whole = title ? `${title} ${paragraphs.join(' ')}` : paragraphs.join(' ');
  // Prefilter: most feed items name no party at all; they cost one regex scan.
  if (!trace && !ex.compiled.anyPartyRe.test(whole)) return { id: input.id, assertions: [], sentences: [] };

  const sentences: Sentence[] = [];
  if (title) sentences.push({ text: title, isTitle: true });
  for (const p of paragraphs) {
    for (const s of splitSentences(p, ex.abbreviations)) sentences.push({ text: s, isTitle: false });
  }
  // A body that repeats its headline adds nothing.
  if (sentences.length > 1 && sentences[1]!.text === title) sentences.splice(1, 1);

  const assertions: Assertion[] = [];
  const traces: SentenceTrace[] = [];
  for (const ct of ex.compiled.trackers) {
    const seen = new Set<string>();
    let context: AgreementMention | undefined;
    sentences.forEach((s, index) => {
      const st = analyzeSentence(ct, ex.compiled.language, s, index, input.published, context, trace);
      if (trace || st.findings.length > 0) traces.push(st);
      if (st.agreements.length > 0) context = st.agreements[st.agreements.length - 1];
      for (const f of st.findings) {
        if (f.dropped) continue;
        for (const m of f.parties) {
          if (f.overridden.some((o) => o.party === m.party.id)) continue;
          const key = `${m.party.id}|${f.status}|${f.modality}|${f.historical}`;
          if (seen.has(key)) continue;
          seen.add(key);
          assertions.push({
            tracker: ct.tracker.id,
            party: m.party.id,
            partyName: m.party.name,
            status: f.status,
            modality: f.modality,
            historical: f.historical,
            rule: f.cue.rule.id,
            evidence: evidence(s.text, f.cue),
          });
        }
      }
    });
  }
  return { id: input.id, assertions, sentences: traces };
}

const MAX_EVIDENCE = 400;

function evidence(sentence: string, cue: Span): string {
  if (sentence.length <= MAX_EVIDENCE) return sentence;
  const from = Math.max(0, cue.start - MAX_EVIDENCE / 2);
  const to = Math.min(sentence.length, from + MAX_EVIDENCE);
  return `${from > 0 ? '…' : ''}${sentence.slice(from, to).trim()}${to < sentence.length ? '…' : ''}`;
}

function allMatches(re: RegExp, text: string): RegExpExecArray[] {
  re.lastIndex = 0;
  return [...text.matchAll(re)] as RegExpExecArray[];
}

function isAllCaps(text: string): boolean {
  let letters = 0;
  let upper = 0;
  for (const ch of text) {
    if (/\p{L}/u.test(ch)) {
      letters++;
      if (ch !== ch.toLowerCase()) upper++;
    }
  }
  return letters >= 8 && upper / letters >= 0.8;
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

function wordsBetween(text: string, from: number, to: number): number {
  if (to <= from) return 0;
  const gap = text.slice(from, to).match(/[\p{L}\p{N}][\p{L}\p{N}'.-]*/gu);
  return gap ? gap.length : 0;
}

/** Keeps the longest of overlapping spans (then the earliest). */
function longestFirst<T extends Span>(spans: T[]): T[] {
  const sorted = [...spans].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: T[] = [];
  for (const s of sorted) if (!kept.some((k) => overlaps(k, s))) kept.push(s);
  return kept.sort((a, b) => a.start - b.start);
}

function findParties(ct: CompiledTracker, text: string, allCaps: boolean, trace: boolean, ignored: IgnoredMention[]): PartyMention[] {
  const out: PartyMention[] = [];
  for (const m of allMatches(ct.partyRe, text)) {
    const span = { start: m.index, end: m.index + m[0].length, text: m[0] };
    const entries = ct.aliasIndex.get(aliasKey(m[0])) ?? [];
    const entry = entries.find(
      (e) => !e.alias.caseSensitive || m[0] === e.alias.text || (allCaps && m[0] === e.alias.text.toUpperCase()),
    );
    if (!entry) {
      if (trace) ignored.push({ ...span, reason: `case differs from the case-sensitive alias "${entries[0]?.alias.text}"` });
      continue;
    }
    const ex = entry.party.excludeRe;
    if (ex) {
      const hit = allMatches(ex, text).find((x) => x.index <= span.start && x.index + x[0].length >= span.end);
      if (hit) {
        if (trace) ignored.push({ ...span, reason: `inside "${hit[0]}", an excluded use (not ${entry.party.name})` });
        continue;
      }
    }
    out.push({ ...span, party: entry.party });
  }
  if (trace) {
    // Explain look-alikes: words that would be an alias if their foreign or invisible letters were Latin.
    for (const w of text.matchAll(/[\p{L}\p{N}\u200B][\p{L}\p{N}\u200B.'-]*/gu)) {
      const latin = skeleton(w[0]);
      if (latin === undefined) continue;
      const probe = allMatches(ct.partyRe, latin)[0];
      if (probe) {
        const party = ct.aliasIndex.get(aliasKey(probe[0]))?.[0]?.party;
        ignored.push({
          start: w.index,
          end: w.index + w[0].length,
          text: w[0],
          reason: `looks like "${probe[0]}" but is spelled with letters from another script or an invisible character: not ${party?.name ?? probe[0]}`,
        });
      }
    }
  }
  return out;
}

function findAgreements(ct: CompiledTracker, text: string): AgreementMention[] {
  const found: AgreementMention[] = [];
  for (const a of ct.agreements) {
    for (const m of allMatches(a.re, text)) {
      found.push({ start: m.index, end: m.index + m[0].length, text: m[0], agreement: a.names, isThis: a.isThis });
    }
  }
  return longestFirst(found);
}

function findTriggers(lang: CompiledLanguage, text: string, cues: CueMatch[]): TriggerMatch[] {
  const pseudo = lang.pseudoRe ? allMatches(lang.pseudoRe, text).map((m) => ({ start: m.index, end: m.index + m[0].length })) : [];
  const out: TriggerMatch[] = [];
  const scan = (kind: TriggerMatch['kind'], side: TriggerMatch['side'], list: CompiledTrigger[]) => {
    for (const t of list) {
      for (const m of allMatches(t.re, text)) {
        const span = { start: m.index, end: m.index + m[0].length, text: m[0] };
        // A trigger inside a cue is part of that cue ("has yet to sign", "not party to").
        if (cues.some((c) => overlaps(c, span))) continue;
        if (kind === 'negation' && pseudo.some((p) => overlaps(p as Span, span))) continue;
        out.push({ ...span, kind, side, window: t.window });
      }
    }
  };
  scan('negation', 'before', lang.negation.before);
  scan('negation', 'after', lang.negation.after);
  scan('hypothetical', 'before', lang.hypothetical.before);
  scan('hypothetical', 'after', lang.hypothetical.after);
  return out;
}

function clauseStarts(lang: CompiledLanguage, text: string): number[] {
  return [0, ...allMatches(lang.clauseRe, text).map((m) => m.index)];
}

function clauseOf(starts: number[], pos: number): number {
  let i = 0;
  while (i + 1 < starts.length && starts[i + 1]! <= pos) i++;
  return i;
}

// Words that may stand between a clause boundary and its verb when the subject is carried
// over from the clause before ("Meta signed the EU code but has not signed CAISI's").
const CARRY_OVER = /^(?:[\s,;]|but|and|yet|while|though|although|it|has|have|had|is|was|did|does|do|not|n't|still|also|then|later|now|so far|never|already|formally|officially|quietly|reportedly|eventually)*$/iu;

function analyzeSentence(
  ct: CompiledTracker,
  lang: CompiledLanguage,
  s: Sentence,
  index: number,
  published: Date | undefined,
  context: AgreementMention | undefined,
  trace: boolean,
): SentenceTrace {
  const text = s.text;
  const allCaps = isAllCaps(text);
  const ignored: IgnoredMention[] = [];
  const parties = findParties(ct, text, allCaps, trace, ignored);
  const st: SentenceTrace = {
    tracker: ct.tracker.id,
    index,
    isTitle: s.isTitle,
    text,
    allCaps,
    parties,
    ignored,
    agreements: [],
    triggers: [],
    dates: [],
    findings: [],
  };
  st.agreements = findAgreements(ct, text);
  if (parties.length === 0) return st;
  st.contextAgreement = st.agreements.length === 0 ? context : undefined;

  const cues = longestFirst(
    ct.rules.flatMap((rule) => allMatches(rule.re, text).map((m) => ({ start: m.index, end: m.index + m[0].length, text: m[0], rule }))),
  ).filter((c) => !parties.some((p) => overlaps(p, c)) && !st.agreements.some((a) => a.start <= c.start && a.end >= c.end));
  if (cues.length === 0) return st;

  st.triggers = findTriggers(lang, text, cues);
  st.dates = published ? findDates(text, published) : [];
  const starts = clauseStarts(lang, text);

  // Exclusive cues ("except Meta") take their parties first; no other cue may claim them.
  const claimed = new Set<PartyMention>();
  const ordered = [...cues.filter((c) => c.rule.exclusive), ...cues.filter((c) => !c.rule.exclusive)];
  for (const cue of ordered) {
    const f = resolveCue(ct, lang, st, cue, cues, starts, published, claimed);
    if (cue.rule.exclusive && !f.dropped) for (const m of f.parties) claimed.add(m);
    st.findings.push(f);
  }
  st.findings.sort((a, b) => a.cue.start - b.cue.start);
  applyOverrides(st.findings, text);
  return st;
}

function partyGroup(
  lang: CompiledLanguage,
  text: string,
  mentions: PartyMention[],
  from: number,
  step: 1 | -1,
): PartyMention[] {
  const group: PartyMention[] = [];
  for (let i = from; i >= 0 && i < mentions.length; i += step) {
    const m = mentions[i]!;
    if (group.length > 0) {
      const prev = group[group.length - 1]!;
      const gap = step === 1 ? text.slice(prev.end, m.start) : text.slice(m.end, prev.start);
      if (!lang.listGapRe.test(gap)) break;
    }
    group.push(m);
  }
  return group;
}

function resolveCue(
  ct: CompiledTracker,
  lang: CompiledLanguage,
  st: SentenceTrace,
  cue: CueMatch,
  cues: CueMatch[],
  starts: number[],
  published: Date | undefined,
  claimed: Set<PartyMention>,
): CueFinding {
  const text = st.text;
  const clause = clauseOf(starts, cue.start);
  const inClause = (sp: Span) => clauseOf(starts, sp.start) === clause;
  const finding: CueFinding = {
    cue,
    parties: [],
    partyReason: '',
    agreement: { decision: 'none', reason: '' },
    modifiers: [],
    status: cue.rule.status,
    modality: 'asserted',
    historical: false,
    overridden: [],
  };

  // Parties: the list nearest the cue, on the side the rule names.
  const mentions = st.parties.filter((m) => inClause(m) && !claimed.has(m));
  const before = () => {
    const i = mentions.findLastIndex((m) => m.end <= cue.start);
    if (i < 0 || wordsBetween(text, mentions[i]!.end, cue.start) > lang.maxPartyGap) return [];
    return partyGroup(lang, text, mentions, i, -1).reverse();
  };
  const after = () => {
    const i = mentions.findIndex((m) => m.start >= cue.end);
    if (i < 0 || wordsBetween(text, cue.end, mentions[i]!.start) > lang.maxPartyGap) return [];
    return partyGroup(lang, text, mentions, i, 1);
  };
  const side = cue.rule.party;
  let group = side === 'after' ? after() : before();
  finding.partyReason = group.length ? `${side === 'after' ? 'after' : 'before'} the cue` : '';
  if (group.length === 0 && side === 'either') {
    group = after();
    if (group.length) finding.partyReason = 'after the cue (none before it)';
  }
  if (group.length === 0 && side !== 'after' && clause > 0) {
    // Carry the subject over from the previous clause when this one has none of its own.
    const lead = text.slice(starts[clause]!, cue.start);
    if (CARRY_OVER.test(lead)) {
      const prev = st.parties.filter((m) => clauseOf(starts, m.start) === clause - 1 && !claimed.has(m));
      if (prev.length > 0) {
        group = partyGroup(lang, text, prev, 0, 1);
        finding.partyReason = 'the subject of the previous clause';
      }
    }
  }
  finding.parties = group;
  if (group.length === 0) {
    finding.dropped = 'no party stands where the rule looks for one';
    return finding;
  }

  // Agreement: the nearest mention in the clause, else in the sentence, else the item's context.
  const near = (list: AgreementMention[]) =>
    list.reduce<AgreementMention | undefined>((best, a) => {
      const d = a.end <= cue.start ? cue.start - a.end : a.start - cue.end;
      const bd = best ? (best.end <= cue.start ? cue.start - best.end : best.start - cue.end) : Infinity;
      return d < bd ? a : best;
    }, undefined);
  const nearest = near(st.agreements.filter(inClause)) ?? near(st.agreements);
  if (nearest) {
    finding.agreement = nearest.isThis
      ? { decision: 'this', reason: `"${nearest.text}" names ${ct.tracker.name}` }
      : { decision: 'other', reason: `"${nearest.text}" is ${nearest.agreement.name}, another agreement` };
  } else if (st.contextAgreement) {
    const c = st.contextAgreement;
    finding.agreement = c.isThis
      ? { decision: 'this', reason: `an earlier sentence names it ("${c.text}")` }
      : { decision: 'other', reason: `an earlier sentence is about ${c.agreement.name} ("${c.text}")` };
  } else {
    finding.agreement = { decision: 'none', reason: 'neither this sentence nor an earlier one names an agreement' };
  }
  if (finding.agreement.decision !== 'this') {
    finding.dropped = finding.agreement.decision === 'other' ? 'about another agreement' : 'no agreement named';
    return finding;
  }

  // Modifiers, NegEx-style: a trigger within its window of the cue, in the same clause, no comma between.
  let negated = false;
  let hypothetical = false;
  for (const t of st.triggers) {
    if (!inClause(t)) continue;
    const [from, to] = t.side === 'before' ? [t.end, cue.start] : [cue.end, t.start];
    if (to < from) continue;
    if (text.slice(from, to).includes(',')) continue;
    if (wordsBetween(text, from, to) > t.window) continue;
    if (cues.some((c) => c !== cue && c.start >= from && c.end <= to && t.kind === 'negation')) continue;
    if (t.kind === 'negation') negated = true;
    else hypothetical = true;
    finding.modifiers.push(`${t.kind}: "${t.text}" ${t.side === 'before' ? 'before' : 'after'} the cue`);
  }
  if (lang.hypothetical.questions && /\?["')\]]*$/.test(text)) {
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

  // Historical: the nearest date in the clause with no other cue between it and this one.
  if (published) {
    const dated = st.dates
      .filter((d) => inClause(d))
      .filter((d) => {
        const [from, to] = d.end <= cue.start ? [d.end, cue.start] : [cue.end, d.start];
        return !cues.some((c) => c !== cue && c.rule.status !== cue.rule.status && c.start >= from && c.end <= to);
      })
      .sort((a, b) => Math.abs(a.start - cue.start) - Math.abs(b.start - cue.start))[0];
    if (dated && isHistorical(dated, published, lang.historicalDays)) {
      finding.historical = true;
      finding.modifiers.push(`historical: "${dated.text}" is more than ${lang.historicalDays} days before the item`);
    }
  }
  return finding;
}

/** A rule that overrides another wins when both claim one mention of a party from nearby cues. */
function applyOverrides(findings: CueFinding[], text: string): void {
  for (const a of findings) {
    if (a.dropped) continue;
    for (const b of findings) {
      if (a === b || b.dropped || !a.cue.rule.overrides.includes(b.status)) continue;
      const [x, y] = a.cue.start < b.cue.start ? [a.cue, b.cue] : [b.cue, a.cue];
      if (wordsBetween(text, x.end, y.start) > 3) continue;
      for (const m of b.parties) {
        if (a.parties.includes(m) && !b.overridden.some((o) => o.party === m.party.id)) {
          b.overridden.push({ party: m.party.id, by: a.cue.rule.id });
        }
      }
    }
  }
}
