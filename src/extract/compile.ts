// Compiles a loaded config into matchers once, so extraction does no per-item regex building.
import type { AgreementNames, Alias, Config, Language, Party, Rule, Tracker } from '../config/load.js';

// Whole words: a match may not start or end between two word characters (letters, digits or
// the zero-width mark). Punctuation patterns such as ";" need no space around them.
const NOT_MID_WORD = String.raw`(?!(?<=[\p{L}\p{N}\u200B])[\p{L}\p{N}\u200B])`;

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

export function wordRegExp(patterns: string[], flags = 'giu'): RegExp {
  return new RegExp(`${NOT_MID_WORD}(?:${patterns.join('|')})${NOT_MID_WORD}`, flags);
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
  re: RegExp;
}

export interface CompiledRule extends Rule {
  re: RegExp;
}

export interface CompiledTrigger {
  re: RegExp;
  source: string;
  window: number;
}

export interface CompiledModifier {
  before: CompiledTrigger[];
  after: CompiledTrigger[];
}

export interface CompiledLanguage {
  abbreviations: string[];
  clauseRe: RegExp;
  listGapRe: RegExp;
  notPartyAfterRe?: RegExp | undefined;
  anaphorRe?: RegExp | undefined;
  pluralAnaphora: Set<string>;
  maxPartyGap: number;
  pseudoRe?: RegExp | undefined;
  negation: CompiledModifier;
  hypothetical: CompiledModifier & { questions: boolean };
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
  rules: CompiledRule[];
}

export interface CompiledConfig {
  trackers: CompiledTracker[];
  language: CompiledLanguage;
  /** Any alias of any tracker's parties: the prefilter that skips irrelevant items. */
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

function compileAgreement(names: AgreementNames, isThis: boolean): CompiledAgreement {
  const patterns = [
    ...names.aliases
      .map((a) => a.text)
      .sort((a, b) => b.length - a.length)
      .map(aliasPattern),
    ...names.patterns,
  ];
  return { names, isThis, re: wordRegExp(patterns) };
}

function compileTriggers(list: Language['negation']['before'], defaultWindow: number): CompiledTrigger[] {
  return list.map((t) => {
    const source = typeof t === 'string' ? t : t.cue;
    const window = typeof t === 'string' ? defaultWindow : t.window;
    return { re: wordRegExp([source]), source, window };
  });
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
    notPartyAfterRe: lang.notPartyAfter.length ? new RegExp(`^ (?:${lang.notPartyAfter.join('|')})(?![\\p{L}\\p{N}])`, 'iu') : undefined,
    anaphorRe: anaphora.length
      ? new RegExp(`(?:^|(?<=(?:${lang.clauseBoundaries.join('|') || ';'}),? ))(?:${anaphora.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'giu')
      : undefined,
    pluralAnaphora: new Set(lang.anaphora.plural.map((a) => a.toLowerCase())),
    maxPartyGap: lang.maxPartyGap,
    pseudoRe: lang.pseudoNegation.length ? wordRegExp(lang.pseudoNegation) : undefined,
    negation: {
      before: compileTriggers(lang.negation.before, lang.negation.window),
      after: compileTriggers(lang.negation.after, lang.negation.window),
    },
    hypothetical: {
      before: compileTriggers(lang.hypothetical.before, lang.hypothetical.window),
      after: compileTriggers(lang.hypothetical.after, lang.hypothetical.window),
      questions: lang.hypothetical.questions,
    },
    historicalDays: lang.historical.days,
  };
}

export function compileTracker(tracker: Tracker): CompiledTracker {
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
    agreements: [compileAgreement(tracker.agreement, true), ...tracker.others.map((o) => compileAgreement(o, false))],
    rules: tracker.rules.map((r) => ({ ...r, re: wordRegExp(r.cues) })),
  };
}

export function compileConfig(config: Pick<Config, 'trackers' | 'language'>): CompiledConfig {
  const trackers = config.trackers.map(compileTracker);
  return {
    trackers,
    language: compileLanguage(config.language),
    anyPartyRe: wordRegExp(partyPatterns(config.trackers.flatMap((t) => t.parties)), 'iu'),
  };
}

export { aliasKey };
