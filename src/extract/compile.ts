// Compiles a loaded config into matchers once, so extraction does no per-item regex building.
import type { AgreementNames, Alias, Config, Language, Party, Rule, Tracker } from '../config/types.js';

// Whole words: a match may not start or end between two word characters (letters, digits or
// the zero-width mark). Punctuation patterns such as ";" need no space around them. The end is
// checked inside the regex; the start by `wordMatches`, because a lookaround before the first
// literal stops V8 from scanning quickly for it.
const NOT_MID_WORD = String.raw`(?!(?<=[\p{L}\p{N}\u200B])[\p{L}\p{N}\u200B])`;
const WORD_CHAR = /[\p{L}\p{N}\u200B]/u;

function startsMidWord(text: string, i: number): boolean {
  if (i === 0) return false;
  const before = text.charCodeAt(i - 1);
  const at = text.charCodeAt(i);
  // ASCII fast path; anything else asks the Unicode classes.
  const word = (c: number, s: string) =>
    c < 128 ? (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) : WORD_CHAR.test(s);
  return word(before, text[i - 1]!) && word(at, text[i]!);
}

/**
 * The whole-word matches of a regex made by `wordRegExp` (global flag), in order, at most
 * `limit` of them. A candidate that starts inside a word is skipped and the scan resumes one
 * character later, which is what a leading lookbehind would have done.
 */
export function wordMatches(re: RegExp, text: string, limit = Infinity): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null && out.length < limit; m = re.exec(text)) {
    if (startsMidWord(text, m.index)) {
      re.lastIndex = m.index + 1;
      continue;
    }
    out.push(m);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A literal alias as a pattern: spaces match one space, a dot is optional ("U.S." = "US"). */
function aliasPattern(text: string): string {
  return text
    .split(' ')
    .map((w) => escapeRegExp(w).replace(/\\\./g, '\\.?'))
    .join(' ');
}

export interface KeyedMatch<K> {
  key: K;
  start: number;
  end: number;
  text: string;
}

/**
 * Several keyed pattern lists matched in one scan: a combined regex finds where any of them
 * starts, then each list's anchored (sticky) regex says which match there and how far. Costs one
 * pass over the text instead of one per list.
 */
export class MultiPattern<K> {
  private readonly scan: RegExp;
  private readonly sticky: { key: K; re: RegExp }[];

  constructor(entries: { key: K; patterns: string[] }[]) {
    const used = entries.filter((e) => e.patterns.length > 0);
    this.scan = wordRegExp(used.length ? used.flatMap((e) => e.patterns) : ['(?!)']);
    this.sticky = used.map((e) => ({ key: e.key, re: wordRegExp(e.patterns, 'yiu') }));
  }

  /** Every (key, match) whose match starts at a word start, in order of position. */
  matches(text: string): KeyedMatch<K>[] {
    const out: KeyedMatch<K>[] = [];
    const scan = this.scan;
    scan.lastIndex = 0;
    for (let m = scan.exec(text); m !== null; m = scan.exec(text)) {
      const at = m.index;
      scan.lastIndex = at + 1;
      if (startsMidWord(text, at)) continue;
      for (const { key, re } of this.sticky) {
        re.lastIndex = at;
        const hit = re.exec(text);
        if (hit) out.push({ key, start: at, end: at + hit[0].length, text: hit[0] });
      }
    }
    return out;
  }
}

export function wordRegExp(patterns: string[], flags = 'giu'): RegExp {
  return new RegExp(`(?:${patterns.join('|')})${NOT_MID_WORD}`, flags);
}

export interface CompiledParty extends Party {
  excludeRe?: RegExp | undefined;
}

export interface AliasEntry {
  party: CompiledParty;
  alias: Alias;
}

export interface CompiledAgreement {
  names: AgreementNames;
  isThis: boolean;
  /** A yes/no test of a whole item (mentions are found by `agreementNames`). */
  probe: RegExp;
}

export interface CompiledRule extends Rule {
  re: RegExp;
}

export interface TriggerKey {
  kind: 'negation' | 'hypothetical';
  side: 'before' | 'after';
  window: number;
  /** A modal verb, whose scope ends with its verb phrase. */
  verbPhrase: boolean;
}

export interface CompiledLanguage {
  abbreviations: string[];
  clauseRe: RegExp;
  listGapRe: RegExp;
  notPartyAfterRe?: RegExp | undefined;
  notPartyBeforeRe?: RegExp | undefined;
  anaphorRe?: RegExp | undefined;
  /** The singular descriptions ("the company", not "it"), found anywhere in a sentence. */
  descriptionRe?: RegExp | undefined;
  pluralAnaphora: Set<string>;
  firstPersonRe?: RegExp | undefined;
  attributionRe?: RegExp | undefined;
  maxPartyGap: number;
  pseudoRe?: RegExp | undefined;
  /** Negation and hypothetical triggers, keyed by kind, side and window. */
  triggers: MultiPattern<TriggerKey>;
  questions: boolean;
  conditionalRe?: RegExp | undefined;
  presupposingRe?: RegExp | undefined;
  /** Hedges that count inside a cue's own words. */
  hedgeInsideRe?: RegExp | undefined;
  historicalDays: number;
}

export interface CompiledTracker {
  tracker: Tracker;
  parties: CompiledParty[];
  /** Every alias of every party, longest first, in one pass. */
  partyRe: RegExp;
  /** Lower-cased alias text → its entries (an alias may differ only in case from another's). */
  aliasIndex: Map<string, AliasEntry[]>;
  agreements: CompiledAgreement[];
  /** The agreement's topic: all of these found in an item that names no agreement. */
  topic: RegExp[];
  /** This agreement's and the others' names in one scan, keyed by index into `agreements`. */
  agreementNames: MultiPattern<number>;
  rules: CompiledRule[];
}

export interface CompiledConfig {
  trackers: CompiledTracker[];
  language: CompiledLanguage;
  /**
   * Any alias of any tracker's parties, as plain case-insensitive text: the prefilter that skips
   * irrelevant items. It may say yes too often (no word boundaries), never too rarely.
   */
  anyPartyRe: RegExp;
}

/**
 * One regex that tries the aliases as a trie (shared prefixes once), case-insensitive and
 * without Unicode mode: about twice as fast as a flat alternation on every feed item.
 * A dot in an alias is optional ("X.AI" matches "XAI").
 */
export function trieRegExp(words: string[]): RegExp {
  interface Node {
    end?: boolean;
    next: Map<string, Node>;
  }
  const root: Node = { next: new Map() };
  for (const w of words) {
    let n = root;
    // As written: lower-casing here would break letters such as "İ" that the flag folds itself.
    for (const ch of w) {
      let child = n.next.get(ch);
      if (!child) n.next.set(ch, (child = { next: new Map() }));
      n = child;
    }
    n.end = true;
  }
  const build = (n: Node): string => {
    const alts = [...n.next].map(([ch, child]) => (ch === '.' ? '\\.?' : escapeRegExp(ch)) + build(child));
    if (alts.length === 0) return '';
    const body = alts.length === 1 ? alts[0]! : `(?:${alts.join('|')})`;
    return n.end ? `(?:${body})?` : body;
  };
  // Unicode case folding only when an alias needs it: the plain mode is faster.
  const ascii = words.every((w) => /^[\x00-\x7F]*$/.test(w));
  return new RegExp(build(root) || '(?!)', ascii ? 'i' : 'iu');
}

function aliasKey(text: string): string {
  return text.toLowerCase().replace(/\./g, '');
}

function partyPatterns(parties: Party[]): string[] {
  const all = parties.flatMap((p) => p.aliases.map((a) => a.text));
  // Longest first, so "Google DeepMind" wins over "Google" at the same position.
  return [...new Set(all)].sort((a, b) => b.length - a.length).map(aliasPattern);
}

function agreementPatterns(names: AgreementNames): string[] {
  return [
    ...names.aliases
      .map((a) => a.text)
      .sort((a, b) => b.length - a.length)
      .map(aliasPattern),
    ...names.patterns,
  ];
}

function compileAgreement(names: AgreementNames, isThis: boolean): CompiledAgreement {
  const patterns = agreementPatterns(names);
  return { names, isThis, probe: wordRegExp(patterns, 'iu') };
}

/** Triggers grouped by kind, side and window, one group per key. */
function compileTriggers(lang: Language): MultiPattern<TriggerKey> {
  const groups = new Map<string, { key: TriggerKey; patterns: string[] }>();
  for (const kind of ['negation', 'hypothetical'] as const) {
    for (const side of ['before', 'after'] as const) {
      for (const t of lang[kind][side]) {
        const window = typeof t === 'string' ? lang[kind].window : t.window;
        const verbPhrase = typeof t !== 'string' && t.verbPhrase === true;
        const id = `${kind} ${side} ${window} ${verbPhrase}`;
        const group = groups.get(id) ?? { key: { kind, side, window, verbPhrase }, patterns: [] };
        group.patterns.push(typeof t === 'string' ? t : t.cue);
        groups.set(id, group);
      }
    }
  }
  return new MultiPattern([...groups.values()]);
}

function compileLanguage(lang: Language): CompiledLanguage {
  const anaphora = [...lang.anaphora.singular, ...lang.anaphora.plural].sort((a, b) => b.length - a.length);
  return {
    abbreviations: lang.abbreviations,
    clauseRe: wordRegExp(lang.clauseBoundaries.length ? lang.clauseBoundaries : [';']),
    listGapRe: new RegExp(
      `^(?:\\s*(?:${lang.corporateSuffixes.join('|') || '(?!)'}))?(?:${lang.listConnectors.join('|') || ','})$`,
      'iu',
    ),
    notPartyAfterRe: lang.notPartyAfter.length ? new RegExp(`^[ -](?:${lang.notPartyAfter.join('|')})(?![\\p{L}\\p{N}])`, 'iu') : undefined,
    notPartyBeforeRe: lang.notPartyBefore.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${lang.notPartyBefore.join('|')}) @?$`, 'iu') : undefined,
    anaphorRe: anaphora.length
      ? new RegExp(
          // At a sentence's or clause's start, or after a short opening phrase and its comma ("Still, the company …", "Going forward, it …"),
          // or after an opening phrase of time ("In August 2024 it agreed"), or opening a reported clause ("Microsoft said its agreement").
          `(?:^|(?<=^(?:[\\p{L}\\p{N}'-]+ ){0,2}[\\p{L}\\p{N}'-]+, )|(?<=^(?:in|on|by|since|last|this|earlier|later|then|today|yesterday)(?: [\\p{L}\\p{N}'-]+){0,3} )|(?<=(?:said|says|announced|added|confirmed|stated|wrote)(?: that)? )|(?<=(?:${lang.clauseBoundaries.join('|') || ';'}),? ))(?:${anaphora.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`,
          'giu',
        )
      : undefined,
    descriptionRe: lang.anaphora.singular.some((a) => a.includes(' '))
      ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${lang.anaphora.singular.filter((a) => a.includes(' ')).map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'giu')
      : undefined,
    pluralAnaphora: new Set(lang.anaphora.plural.map((a) => a.toLowerCase())),
    firstPersonRe: lang.firstPerson.length ? wordRegExp(lang.firstPerson) : undefined,
    attributionRe: lang.attribution.length ? wordRegExp(lang.attribution) : undefined,
    maxPartyGap: lang.maxPartyGap,
    pseudoRe: lang.pseudoNegation.length ? wordRegExp(lang.pseudoNegation) : undefined,
    triggers: compileTriggers(lang),
    questions: lang.hypothetical.questions,
    hedgeInsideRe: lang.hypothetical.insideCues.length ? wordRegExp(lang.hypothetical.insideCues) : undefined,
    presupposingRe: lang.hypothetical.presupposingQuestions.length
      ? new RegExp(`^(?:${lang.hypothetical.presupposingQuestions.join('|')})(?![\\p{L}\\p{N}])`, 'iu')
      : undefined,
    conditionalRe: lang.hypothetical.conditionalOpeners.length ? new RegExp(`^(?:${lang.hypothetical.conditionalOpeners.join('|')})(?![\\p{L}\\p{N}])`, 'iu') : undefined,
    historicalDays: lang.historical.days,
  };
}

export function compileTracker(tracker: Tracker): CompiledTracker {
  const agreements = [compileAgreement(tracker.agreement, true), ...tracker.others.map((o) => compileAgreement(o, false))];
  const parties: CompiledParty[] = tracker.parties.map((p) => ({
    ...p,
    excludeRe: p.exclude.length ? wordRegExp(p.exclude) : undefined,
  }));
  const aliasIndex = new Map<string, AliasEntry[]>();
  for (const party of parties) {
    for (const alias of party.aliases) {
      const key = aliasKey(alias.text);
      const list = aliasIndex.get(key) ?? [];
      list.push({ party, alias });
      aliasIndex.set(key, list);
    }
  }
  return {
    tracker,
    parties,
    partyRe: wordRegExp(partyPatterns(tracker.parties)),
    aliasIndex,
    agreements,
    topic: tracker.topic.map((t) => wordRegExp([t])),
    agreementNames: new MultiPattern(agreements.map((a, key) => ({ key, patterns: agreementPatterns(a.names) }))),
    rules: tracker.rules.map((r) => ({ ...r, re: wordRegExp(r.cues) })),
  };
}

export function compileConfig(config: Pick<Config, 'trackers' | 'language'>): CompiledConfig {
  const trackers = config.trackers.map(compileTracker);
  return {
    trackers,
    language: compileLanguage(config.language),
    anyPartyRe: trieRegExp(config.trackers.flatMap((t) => t.parties.flatMap((p) => p.aliases.map((a) => a.text)))),
  };
}

export { aliasKey };
