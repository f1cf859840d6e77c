// The extractor: (item, compiled rules) → assertions, with a trace of why for `explain`.
// Pure: no I/O, no clock; the item's own date decides what is historical.
import type { Assertion, ExtractInput } from '../model/assertion.js';
import { type CompiledConfig, type CompiledLanguage, type CompiledParty, type CompiledTracker } from './compile.js';
import { findDates } from './dates.js';
import { normalizeText } from '../text/normalize.js';
import { unreadLanguages } from '../text/langs.js';
import { compileAbbreviations, joinAnswers, splitParagraphs, splitSentences } from './sentences.js';
import { checkItemSize, MAX_PER_SENTENCE, MAX_PIECE_CHARS, pieces } from './bound.js';
import { clauseStarts, longestFirst, overlaps } from './spans.js';
import { asideAt, findAsides } from './structure.js';
import { quotedFirstPerson, type QuoteState } from './quotes.js';
import { withoutScareQuotes } from './scare-quotes.js';
import { addressWords } from './address.js';
import { findAgreements, findAnaphora, findFirstPerson, findParties, isAllCaps, isLowerCase, speakerOf, type Previous } from './mentions.js';
import { itemAgreement, lastAgreement, mayName, onTopic } from './agreement.js';
import { applyOverrides, cueMatches, dropHeldBack, dropUnechoed, resolveCue, usableCues } from './cues.js';
import { findTriggers } from './modifiers.js';
import { echoFinding, isEchoList } from './echo.js';
import { comparedFindings } from './comparison.js';
import { isPriorState, stillStands, type PriorState } from './superseded.js';
import type { AgreementMention, Analysis, CaseMode, CueFinding, CueMatch, IgnoredMention, PartyMention, SentenceTrace, Span } from './trace.js';

export type { AgreementMention, Analysis, CaseMode, CueFinding, CueMatch, IgnoredMention, PartyMention, SentenceTrace, Span, TriggerMatch } from './trace.js';

export interface Extractor {
  compiled: CompiledConfig;
  abbreviations: Set<string>;
  /** Every party name, for finding them all in a short answer (see joinAnswers). */
  partyNames: RegExp;
}

export function createExtractor(compiled: CompiledConfig): Extractor {
  const any = compiled.anyPartyRe;
  return { compiled, abbreviations: compileAbbreviations(compiled.language.abbreviations), partyNames: new RegExp(any.source, `${any.flags}g`) };
}

/** The assertions one item makes, for every tracker. */
export function extract(ex: Extractor, input: ExtractInput): Assertion[] {
  return analyze(ex, input, false).assertions;
}

interface Sentence {
  /** What the rules read: the sentence without its scare quotes. */
  text: string;
  /** The sentence as written, for evidence. */
  written: string;
  isTitle: boolean;
}

/** Throws ItemTooLargeError for an item over the per-item bound (see bound.ts). */
export function analyze(ex: Extractor, input: ExtractInput, trace = true): Analysis {
  // Before any scan: the patterns are one language's words, and on a post in another they find
  // only accidents. (An item with no tags, as every feed and web item is, is read.)
  const skipped = unreadLanguages(ex.compiled.language.tags, input.langs);
  if (skipped) return { id: input.id, assertions: [], sentences: [], skipped };
  checkItemSize(input);
  const title = input.title ? normalizeText(input.title) : '';
  const paragraphs = input.text.includes('\n') ? splitParagraphs(input.text).map(normalizeText) : [normalizeText(input.text)];
  // Prefilters: most feed items name no party, and most that do never name the agreement.
  const none = { id: input.id, assertions: [], sentences: [] };
  const party = ex.compiled.anyPartyRe;
  // (An official source's "we" names its party without an alias.)
  if (!trace && !input.speaker && !party.test(title) && !paragraphs.some((p) => party.test(p))) return none;
  const whole = withoutScareQuotes(`${title} ${paragraphs.join(' ')}`);
  const address = normalizeText(addressWords(input.url));
  const around = address ? `${whole} ${address}` : whole;
  const about = input.about;
  // A tracker the item's source is about is read whatever the item's words.
  const isAbout = (ct: CompiledTracker) => about !== undefined && about.includes(ct.tracker.id);
  const trackers = trace ? ex.compiled.trackers : ex.compiled.trackers.filter((ct) => isAbout(ct) || mayName(ct.agreements[0]!, around) || onTopic(ct, around) !== undefined);
  if (trackers.length === 0) return none;

  const sentences: Sentence[] = [];
  // A run-on sentence is read in pieces, so that no scan's cost grows with the whole text.
  const add = (text: string, isTitle: boolean) => {
    for (const written of text.length <= MAX_PIECE_CHARS ? [text] : pieces(text)) sentences.push({ text: withoutScareQuotes(written), written, isTitle });
  };
  if (title) add(title, true);
  for (const p of paragraphs) {
    for (const s of joinAnswers(splitSentences(p, ex.abbreviations), ex.partyNames)) add(s, false);
  }
  // A body that repeats its headline adds nothing.
  if (sentences.length > 1 && sentences[1]!.written === title) sentences.splice(1, 1);

  const assertions: Assertion[] = [];
  const traces: SentenceTrace[] = [];
  for (const ct of trackers) {
    const seen = new Set<string>();
    const claim = (f: CueFinding, m: PartyMention, s: Sentence) => {
      const key = `${m.party.id}|${f.status}|${f.modality}|${f.historical}`;
      if (seen.has(key)) return;
      seen.add(key);
      assertions.push({
        tracker: ct.tracker.id,
        party: m.party.id,
        partyName: m.party.name,
        status: f.status,
        modality: f.modality,
        historical: f.historical,
        rule: f.cue.rule.id,
        evidence: evidence(s, f.cue),
      });
    };
    const priors: (PriorState & { sentence: Sentence })[] = [];
    // Agreement mentions, found only for the sentences that need them (memoized).
    const found: (AgreementMention[] | undefined)[] = [];
    const agreementsOf = (i: number) => (found[i] ??= findAgreements(ct, sentences[i]!.text));
    // An item that names no agreement at all may still be about this one: by its address, its words or its source.
    let topic: AgreementMention | null | undefined;
    const topicOf = (): AgreementMention | undefined => {
      if (topic === undefined) {
        topic = null;
        if (sentences.every((_, j) => agreementsOf(j).length === 0)) {
          topic = itemAgreement(ct, address, around, isAbout(ct)) ?? null;
        }
      }
      return topic ?? undefined;
    };
    const laterAgreement = (i: number) => {
      for (let j = i + 1; j < sentences.length; j++) if (agreementsOf(j).length > 0) return agreementsOf(j)[0];
      return topicOf();
    };
    // Context: the agreement named last before a sentence, else the first one named after it
    // (a post that ends in "#CAISI").
    let context: AgreementMention | undefined;
    let previous: Previous = { text: '', parties: [] };
    const quote: QuoteState<CompiledParty> = { open: false };
    let before: SentenceTrace | undefined;
    sentences.forEach((s, index) => {
      const ctx = () => context ?? laterAgreement(index);
      const speaker = speakerOf(ct, input.speaker);
      const st = analyzeSentence({ ct, lang: ex.compiled.language, published: input.published, trace, speaker, quote, previous, agreements: () => agreementsOf(index), context: ctx }, s, index);
      if (before && isEchoList(st)) {
        const echo = echoFinding(ct, ex.compiled.language, st, before, agreementsOf(index - 1), context);
        if (echo) st.findings.push(echo);
      }
      before = st;
      if (trace || st.findings.length > 0) traces.push(st);
      const own = agreementsOf(index);
      if (own.length > 0) context = lastAgreement(own);
      if (st.parties.length > 0) previous = { text: st.text, parties: st.parties };
      for (const f of st.findings) {
        if (f.dropped) continue;
        const prior = f.modality === 'asserted' && isPriorState(st.text, f);
        for (const m of f.parties) {
          if (f.overridden.some((o) => o.party === m.party.id)) continue;
          if (prior) priors.push({ finding: f, mention: m, sentence: s });
          else claim(f, m, s);
        }
      }
    });
    // A prior state waits for the whole item: a signing told after it ends it.
    if (priors.length > 0) {
      const signedBy = new Map(assertions.filter((a) => a.tracker === ct.tracker.id && a.status === 'signed' && a.modality === 'asserted').map((a) => [a.party, a.rule]));
      for (const p of priors) if (stillStands(p, signedBy)) claim(p.finding, p.mention, p.sentence);
    }
  }
  return { id: input.id, assertions, sentences: traces };
}

const MAX_EVIDENCE = 400;

function evidence(s: Sentence, cue: Span): string {
  // The words as written; a long sentence is cut around the cue, whose place is known in the text the rules read.
  if (s.written.length <= MAX_EVIDENCE) return s.written;
  const sentence = s.text;
  if (sentence.length <= MAX_EVIDENCE) return sentence;
  // Never cut between the two halves of a surrogate pair.
  const lowSurrogate = (i: number) => i > 0 && i < sentence.length && /[\uDC00-\uDFFF]/.test(sentence[i]!);
  let from = Math.max(0, cue.start - MAX_EVIDENCE / 2);
  if (lowSurrogate(from)) from++;
  let to = Math.min(sentence.length, from + MAX_EVIDENCE);
  if (lowSurrogate(to)) to--;
  return `${from > 0 ? '…' : ''}${sentence.slice(from, to).trim()}${to < sentence.length ? '…' : ''}`;
}

/** What a sentence is read with: the tracker and language, the item around it, and what the sentences before it left. */
interface SentenceContext {
  ct: CompiledTracker;
  lang: CompiledLanguage;
  published: Date | undefined;
  trace: boolean;
  /** The party an official source speaks for ("we"). */
  speaker: CompiledParty | undefined;
  /** Whether a quotation runs on from the sentence before, and whose it is. */
  quote: QuoteState<CompiledParty>;
  /** The parties the sentence before named, for "it" and "the company". */
  previous: Previous;
  /** The agreements this sentence names (found once, when first asked). */
  agreements: () => AgreementMention[];
  /** The item's agreement when the sentence names none. */
  context: () => AgreementMention | undefined;
}

function analyzeSentence(sc: SentenceContext, s: Sentence, index: number): SentenceTrace {
  const { ct, lang, published, trace, speaker, quote, previous } = sc;
  const text = s.text;
  const caseMode: CaseMode = isAllCaps(text) ? 'upper' : isLowerCase(text) ? 'lower' : 'mixed';
  const ignored: IgnoredMention[] = [];
  const people: PartyMention[] = [];
  const named = findParties(ct, lang, text, caseMode, trace, ignored, people);
  const quoted = quotedFirstPerson(text, named, people, lang.attributionRe, lang.firstPersonRe, quote).map((w) => ({
    ...w,
    refersTo: `${w.party.name}, to whom the quotation is attributed`,
  }));
  const anaphora = [...findAnaphora(lang, text, named, previous, people), ...findFirstPerson(lang, text, speaker), ...quoted].slice(0, MAX_PER_SENTENCE);
  const parties = anaphora.length ? [...named, ...anaphora].sort((a, b) => a.start - b.start) : named;
  // A sentence that names no party needs no cue scan.
  const candidates =
    parties.length === 0
      ? []
      : cueMatches(ct, text);
  const st: SentenceTrace = {
    tracker: ct.tracker.id,
    index,
    isTitle: s.isTitle,
    text,
    caseMode,
    parties,
    ignored,
    agreements: [],
    triggers: [],
    dates: [],
    asides: [],
    clauses: [],
    findings: [],
  };
  if (parties.length === 0 || candidates.length === 0) {
    if (trace) st.agreements = sc.agreements();
    return st;
  }
  st.agreements = sc.agreements();
  st.contextAgreement = st.agreements.length === 0 ? sc.context() : undefined;

  const usable = usableCues(text, candidates, parties, st.agreements);
  const cues = longestFirst(usable).slice(0, MAX_PER_SENTENCE);
  if (cues.length === 0) return st;

  // Modifiers and dates are found once, and only if some cue gets as far as needing them.
  let scanned = false;
  const modifiers = () => {
    if (!scanned) {
      scanned = true;
      st.triggers = findTriggers(lang, text, cues);
      st.dates = published ? findDates(text, published).slice(0, MAX_PER_SENTENCE) : [];
    }
    return st;
  };
  st.asides = findAsides(text, parties, lang.listGapRe);
  // A boundary inside an aside ("— a smaller builder than Google, though hardly a minor one —") does not cut the clause around it.
  // Nor does a semicolon between two names of one list ("Signed so far: OpenAI; Anthropic; xAI").
  const starts = clauseStarts(lang, text).filter((at) => at === 0 || (!asideAt(st.asides, at) && !insideList(lang, text, parties, at)));
  if (trace) st.clauses = starts.map((from, i) => text.slice(from, starts[i + 1] ?? text.length).trim());

  // Exclusive cues ("except Meta") take their parties first; no other cue may claim them.
  const claimed = new Set<PartyMention>();
  const ordered = [...cues.filter((c) => c.rule.exclusive), ...cues.filter((c) => !c.rule.exclusive)];
  const resolve = (cue: CueMatch) => {
    const found = resolveCue({ ct, lang, st, cues, starts, published, claimed, modifiers }, cue);
    for (const f of found) {
      if (cue.rule.exclusive && !f.dropped) for (const m of f.parties) claimed.add(m);
      st.findings.push(f);
    }
    return found;
  };
  for (const cue of ordered) {
    // The longest cue is one reading of its words; where it finds no party where its rule looks,
    // the shorter cues inside it are read instead ("OpenAI, Anthropic expand federal AI testing
    // pact to cover agents": not the agreement extended to names after it, the subjects' own act).
    if (resolve(cue).every((f) => f.parties.length > 0)) continue;
    const inside = usable.filter((c) => c !== cue && overlaps(c, cue) && !cues.some((k) => k !== cue && overlaps(k, c)));
    for (const c of longestFirst(inside)) resolve(c);
  }
  st.findings.sort((a, b) => a.cue.start - b.cue.start);
  dropUnechoed(st.findings, starts);
  dropHeldBack(st.findings, text);
  applyOverrides(st.findings, text);
  st.findings.push(...comparedFindings(st));
  return st;
}

function insideList(lang: CompiledLanguage, text: string, parties: PartyMention[], at: number): boolean {
  const i = parties.findIndex((p) => p.start > at);
  return i > 0 && parties[i - 1]!.end <= at && lang.listGapRe.test(text.slice(parties[i - 1]!.end, parties[i]!.start));
}
