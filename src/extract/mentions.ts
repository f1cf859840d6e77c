// Finding parties and agreements in a sentence: names in the sentence's case, "we", "the company" and lists of names.
import { wordMatches } from './word-patterns.js';
import { aliasKey, type CompiledLanguage, type CompiledParty, type CompiledTracker } from './compile.js';
import { skeleton } from '../text/normalize.js';
import { MAX_PER_SENTENCE } from './bound.js';
import type { AgreementMention, CaseMode, IgnoredMention, PartyMention, Span } from './trace.js';

/** The last sentence that named a party: what "the company" or "both labs" can stand for. */
export interface Previous {
  text: string;
  parties: PartyMention[];
}

/** Casual posts write names in lower case: no word in the sentence is capitalised ("meta still hasn't signed"). */
export function isLowerCase(text: string): boolean {
  return !/(?<![\p{L}\p{N}'])\p{Lu}\p{Ll}/u.test(text) && /\p{Ll}{3}/u.test(text);
}

export function isAllCaps(text: string): boolean {
  let letters = 0;
  let upper = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      letters++;
      upper++;
    } else if (c >= 97 && c <= 122) {
      letters++;
      if (letters - upper > text.length / 5) return false; // already too many lower-case letters
    } else if (c > 127 && /\p{L}/u.test(text[i]!)) {
      letters++;
      if (/\p{Lu}/u.test(text[i]!)) upper++;
    }
  }
  return letters >= 8 && upper / letters >= 0.8;
}

const OFFICERS = /^[ -](?:executives?|founders?|co-?founders?)$/iu;

export function findParties(
  ct: CompiledTracker,
  lang: CompiledLanguage,
  text: string,
  caseMode: CaseMode,
  trace: boolean,
  ignored: IgnoredMention[],
  people?: PartyMention[],
): PartyMention[] {
  const out: PartyMention[] = [];
  const excluded = new Map<string, RegExpExecArray[]>();
  for (const m of wordMatches(ct.partyRe, text).slice(0, MAX_PER_SENTENCE)) {
    const span = { start: m.index, end: m.index + m[0].length, text: m[0] };
    const entries = ct.aliasIndex.get(aliasKey(m[0])) ?? [];
    const entry = entries.find(
      (e) =>
        !e.alias.caseSensitive ||
        m[0] === e.alias.text ||
        (caseMode === 'upper' && m[0] === e.alias.text.toUpperCase()) ||
        (caseMode === 'lower' && m[0] === e.alias.text.toLowerCase()),
    );
    if (!entry) {
      if (trace) ignored.push({ ...span, reason: `case differs from the case-sensitive alias "${entries[0]?.alias.text}"` });
      continue;
    }
    const ex = entry.party.excludeRe;
    if (ex) {
      // Each party's excluded uses are found once per sentence, not once per mention.
      let spans = excluded.get(entry.party.id);
      if (!spans) excluded.set(entry.party.id, (spans = wordMatches(ex, text)));
      const hit = spans.find((x) => x.index <= span.start && x.index + x[0].length >= span.end);
      if (hit) {
        if (trace) ignored.push({ ...span, reason: `inside "${hit[0]}", an excluded use (not ${entry.party.name})` });
        continue;
      }
    }
    // In a post written all in lower case, "the meta" or "a meta" is the word, not the company.
    if (caseMode === 'lower' && entry.alias.caseSensitive && m[0] !== entry.alias.text && /(?:^|\s)(?:the|a|an|this|new|whole)\s$/i.test(text.slice(Math.max(0, span.start - 7), span.start))) {
      if (trace) ignored.push({ ...span, reason: `lower case after an article: the word "${m[0]}", not ${entry.party.name}` });
      continue;
    }
    const around = lang.notPartyAfterRe?.exec(text.slice(span.end, span.end + 40));
    const after = around ?? lang.notPartyBeforeRe?.exec(text.slice(Math.max(0, span.start - 40), span.start));
    if (after) {
      // The lab's officers still speak for it when quoted ("Anthropic co-founder Jack Clark said:
      // 'our …'"); its engineers, investors or former people do not.
      if (around && OFFICERS.test(around[0]) && !/(?:former|ex-?)\s*$/iu.test(text.slice(Math.max(0, span.start - 8), span.start))) people?.push({ ...span, party: entry.party });
      if (trace) ignored.push({ ...span, reason: `next to "${after[0].trim()}": about people or things around ${entry.party.name}, not the party` });
      continue;
    }
    // "Alphabet's Google DeepMind": the owner's name and the party's are one mention.
    const last = out.at(-1);
    if (last && last.party === entry.party && /^'s $/.test(text.slice(last.end, span.start))) {
      // (One span from the owner's name on, so that a list reads across it: "xAI and Alphabet's Google".)
      out[out.length - 1] = { start: last.start, end: span.end, text: text.slice(last.start, span.end), party: entry.party };
      continue;
    }
    out.push({ ...span, party: entry.party });
  }
  if (trace) {
    // Explain look-alikes: words that would be an alias if their foreign or invisible letters were Latin.
    for (const w of text.matchAll(/[\p{L}\p{N}\u200B][\p{L}\p{N}\u200B.'-]*/gu)) {
      const latin = skeleton(w[0]);
      if (latin === undefined) continue;
      const probe = wordMatches(ct.partyRe, latin)[0];
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

export function partyGroup(
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
      // The parties one plural word stands for ("both labs") share its span.
      if (m.start === prev.start) {
        group.push(m);
        continue;
      }
      const [left, right] = step === 1 ? [prev, m] : [m, prev];
      const gap = text.slice(left.end, right.start);
      if (!lang.listGapRe.test(gap) && !possessedGap(lang, left, gap)) break;
    }
    group.push(m);
  }
  return group;
}

/**
 * A name whose mention ends on a thing it owns ("Google's Gemini") leaves that thing's other
 * words to the gap; the language's list connectors read the possessive from its "'s" ("Google's
 * Gemini chatbot, Microsoft's Copilot and …").
 */
function possessedGap(lang: CompiledLanguage, left: Span, gap: string): boolean {
  const owned = /['’]s\s.*$/u.exec(left.text);
  return owned !== null && lang.listGapRe.test(`'s${owned[0].slice(2)}${gap}`);
}

export function speakerOf(ct: CompiledTracker, id: string | undefined): CompiledParty | undefined {
  return id === undefined ? undefined : ct.parties.find((p) => p.id === id);
}

/** "We" in the voice of an official source is the party it speaks for. */
export function findFirstPerson(lang: CompiledLanguage, text: string, speaker: CompiledParty | undefined): PartyMention[] {
  if (!speaker || !lang.firstPersonRe) return [];
  return wordMatches(lang.firstPersonRe, text).map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    text: m[0],
    party: speaker,
    refersTo: `${speaker.name}, whom the source speaks for`,
  }));
}

/** "The company", "it", "both labs" at the start of a sentence or clause, for the parties named last. */
export function findAnaphora(lang: CompiledLanguage, text: string, named: PartyMention[], previous: Previous, people: PartyMention[] = []): PartyMention[] {
  if (!lang.anaphorRe || (previous.parties.length === 0 && named.length === 0 && people.length === 0)) return [];
  const out: PartyMention[] = [];
  for (const m of wordMatches(lang.anaphorRe, text)) {
    const span = { start: m.index, end: m.index + m[0].length, text: m[0] };
    // As after a name: "its rivals", "their investors" are others (a possessive's only: "it backed" is a verb).
    if (/^(?:its|their)$/iu.test(m[0]) && lang.notPartyAfterRe?.test(text.slice(span.end, span.end + 40))) continue;
    const plural = lang.pluralAnaphora.has(m[0].toLowerCase());
    // The nearest name earlier in this sentence is what the word stands for ("xAI's ties are
    // complicated, but it remains a signatory"; "Microsoft joins; Meta says it is reviewing");
    // otherwise the first party named in the sentence before.
    const before = named.filter((n) => n.start < span.start);
    const source = before.length ? before : previous.parties;
    if (source.length === 0) continue;
    const referents = before.length
      ? plural
        ? partyGroup(lang, text, before, before.length - 1, -1).reverse()
        : [before.at(-1)!]
      : plural
        ? partyGroup(lang, previous.text, source, 0, 1)
        : [source[0]!];
    const ids = new Set<string>();
    for (const r of referents) {
      if (ids.has(r.party.id)) continue;
      ids.add(r.party.id);
      out.push({ ...span, party: r.party, refersTo: r.refersTo ?? r.text });
    }
  }
  // Mid-sentence, "the company" stands for the one party the sentence has named before it
  // ("pressing Meta …, marking the company as the last holdout"), or, with none, the one party
  // the sentence before named ("Meta stands alone. Officials are pressing the company to join
  // OpenAI …"); with two, it is unclear. A lab's officer named before it counts as the lab's
  // name: "Anthropic co-founder Jack Clark said the company's collaboration …".
  if (lang.descriptionRe) {
    for (const m of wordMatches(lang.descriptionRe, text)) {
      if (out.some((o) => o.start === m.index)) continue;
      const own = named.filter((n) => n.end <= m.index);
      const before = own.length ? own : people.filter((n) => n.end <= m.index);
      const source = before.length ? before : previous.parties;
      if (source.length === 0 || source.some((n) => n.party.id !== source[0]!.party.id)) continue;
      out.push({ start: m.index, end: m.index + m[0].length, text: m[0], party: source[0]!.party, refersTo: source[0]!.refersTo ?? source[0]!.text });
    }
  }
  return out;
}

export function findAgreements(ct: CompiledTracker, text: string): AgreementMention[] {
  const found = ct.agreementNames.matches(text).map(({ key, start, end, text: t }) => {
    const a = ct.agreements[key]!;
    return { start, end, text: t, agreement: a.names, isThis: a.isThis };
  });
  return leftmostUnion(text, found);
}

/**
 * Overlapping mentions of one agreement are one ("AI model testing" and "model testing agreement");
 * of two, the one that starts first wins: a noun phrase's head comes first, so "British government
 * testers will evaluate new models before release" is the UK's. On the very same words, another
 * agreement's pattern wins over this one's name: it is the one that read the context ("DSIT and
 * Anthropic, with the AI Safety Institute" is the British institute).
 */
function leftmostUnion(text: string, found: AgreementMention[]): AgreementMention[] {
  const kept: AgreementMention[] = [];
  for (const m of [...found].sort((a, b) => a.start - b.start || b.end - a.end || Number(a.isThis) - Number(b.isThis))) {
    const last = kept.at(-1);
    if (!last || m.start >= last.end) kept.push(m);
    else if (m.agreement === last.agreement && m.end > last.end) kept[kept.length - 1] = { ...last, end: m.end, text: text.slice(last.start, m.end) };
  }
  return kept;
}
