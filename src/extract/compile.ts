// Compiles a loaded config into matchers once, so extraction does no per-item regex building.
import type { AgreementNames, Alias, Config, Language, Party, Rule, Tracker } from '../config/types.js';
import { escapeRegExp, MultiPattern, trieRegExp, wordRegExp } from './word-patterns.js';
import { anyPatternGuard, literalGuard, PatternGuard } from './guards.js';

// Re-exported so the other extract modules keep importing them from here.

/** A literal alias as a pattern: spaces match one space, a dot is optional ("U.S." = "US"). */
function aliasPattern(text: string): string {
  return text
    .split(' ')
    .map((w) => escapeRegExp(w).replace(/\\\./g, '\\.?'))
    .join(' ');
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
  /** The probe's patterns one by one (the probe matches where one of them does), each tried only when `guard` names it. */
  each: RegExp[];
  /** Which of the probe's patterns a text holds the words of (see guards.ts); undefined when some pattern's cannot be read. */
  guard: PatternGuard | undefined;
}

export interface CompiledRule extends Rule {
  re: RegExp;
  /** Words the cues cannot match without (see literals.ts); undefined when they cannot be read. */
  guard: RegExp | undefined;
}

export interface TriggerKey {
  kind: 'negation' | 'hypothetical';
  side: 'before' | 'after';
  window: number;
  /** A modal verb, whose scope ends with its verb phrase. */
  verbPhrase: boolean;
  /** Words of intent, which hedge only what others intend: "Meta plans to sign" is Meta's own announcement. */
  ownIntent: boolean;
}

export interface CompiledLanguage {
  /** The primary language subtags the patterns read, lower-cased. */
  tags: ReadonlySet<string>;
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
  /** A sentence opening on an agreement's terms, whose "would" and "will" are no hedge. */
  termsRe?: RegExp | undefined;
  presupposingRe?: RegExp | undefined;
  /** Hedges that count inside a cue's own words. */
  hedgeInsideRe?: RegExp | undefined;
  /** Denials that count inside a signing cue's own words. */
  denialInsideRe?: RegExp | undefined;
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
  /** When the agreement began (the first moment of its `since`), if the tracker says. */
  since?: Date | undefined;
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
  // (Only the tracker's own agreement is probed: the others' patterns are not compiled twice.)
  const guard = isThis ? PatternGuard.of(patterns) : undefined;
  return { names, isThis, probe: wordRegExp(patterns, 'iu'), each: guard ? patterns.map((p) => wordRegExp([p], 'iu')) : [], guard };
}

/** Triggers grouped by kind, side and window, one group per key. */
function compileTriggers(lang: Language): MultiPattern<TriggerKey> {
  const groups = new Map<string, { key: TriggerKey; patterns: string[] }>();
  for (const kind of ['negation', 'hypothetical'] as const) {
    for (const side of ['before', 'after'] as const) {
      for (const t of lang[kind][side]) {
        const window = typeof t === 'string' ? lang[kind].window : t.window;
        const verbPhrase = typeof t !== 'string' && t.verbPhrase === true;
        const ownIntent = typeof t !== 'string' && t.ownIntent === true;
        const id = `${kind} ${side} ${window} ${verbPhrase} ${ownIntent}`;
        const group = groups.get(id) ?? { key: { kind, side, window, verbPhrase, ownIntent }, patterns: [] };
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
    tags: new Set(lang.tags.map((t) => t.toLowerCase())),
    abbreviations: lang.abbreviations,
    clauseRe: wordRegExp(lang.clauseBoundaries.length ? lang.clauseBoundaries : [';']),
    listGapRe: new RegExp(
      `^(?:\\s*(?:${lang.corporateSuffixes.join('|') || '(?!)'}))?(?:${lang.listConnectors.join('|') || ','})$`,
      'iu',
    ),
    notPartyAfterRe: lang.notPartyAfter.length ? new RegExp(`^(?:[ -]|(?='s ))(?:${lang.notPartyAfter.join('|')})(?![\\p{L}\\p{N}])`, 'iu') : undefined,
    notPartyBeforeRe: lang.notPartyBefore.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${lang.notPartyBefore.join('|')}) @?$`, 'iu') : undefined,
    anaphorRe: anaphora.length
      ? new RegExp(
          // At a sentence's or clause's start, or after a short opening phrase and its comma ("Still, the company …", "Going forward, it …"),
          // or after an opening phrase of time ("In August 2024 it agreed"), or opening a reported clause ("Microsoft said its agreement"),
          // or a clause joined after a comma ("places Meta in a difficult position, as it is now the only lab that …").
          `(?:^|(?<=^(?:[\\p{L}\\p{N}'-]+ ){0,2}[\\p{L}\\p{N}'-]+, )|(?<=^(?:in|on|by|since|last|this|earlier|later|then|today|yesterday)(?: [\\p{L}\\p{N}'-]+){0,3} )|(?<=(?:said|says|announced|added|confirmed|stated|wrote)(?: that)? )|(?<=, (?:as|and|so|since|after|when|now that|given that|even though) )|(?<=(?:${lang.clauseBoundaries.join('|') || ';'}),? ))(?:${anaphora.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`,
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
    denialInsideRe: lang.negation.insideCues.length ? wordRegExp(lang.negation.insideCues) : undefined,
    presupposingRe: lang.hypothetical.presupposingQuestions.length
      ? new RegExp(`^(?:${lang.hypothetical.presupposingQuestions.join('|')})(?![\\p{L}\\p{N}])`, 'iu')
      : undefined,
    termsRe: lang.hypothetical.termsOpeners.length ? new RegExp(`^(?:${lang.hypothetical.termsOpeners.join('|')})(?![\\p{L}\\p{N}])`, 'iu') : undefined,
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
    since: tracker.since ? new Date(/^\d{4}-\d\d$/.test(tracker.since) ? `${tracker.since}-01T00:00:00Z` : tracker.since) : undefined,
    agreementNames: namesScan(agreements.map((a, key) => ({ key, patterns: agreementPatterns(a.names) }))),
    rules: tracker.rules.map((r) => ({ ...r, re: wordRegExp(r.cues), guard: literalGuard(r.cues) })),
  };
}

/** Every agreement's names in one scan, which a text holding none of their words skips (its regex is among the largest). */
function namesScan(entries: { key: number; patterns: string[] }[]): MultiPattern<number> {
  return new MultiPattern(entries, anyPatternGuard(entries.flatMap((e) => e.patterns)));
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
