// The config as every stage reads it, once loaded: trackers with their parties and rules, the
// language lists, the sources and the settings.
import type { ConfigProblem } from '../errors.js';
import type { PolicyFile, SettingsFile, SourceFile } from './schema.js';
import type { LanguageFile } from './language-schema.js';
import type { AssertedStatus, Modality } from '../model/assertion.js';
import type { PartyStatus } from '../model/party.js';
import type { Trust } from '../model/item.js';

export interface Alias {
  text: string;
  caseSensitive: boolean;
}

export interface Where {
  file: string;
  line?: number | undefined;
}

export interface Party {
  id: string;
  name: string;
  aliases: Alias[];
  exclude: string[];
  initial?: { status: PartyStatus; since: string; evidence: string; note?: string | undefined } | undefined;
}

export interface Expectation {
  party: string;
  status: AssertedStatus;
  modality: Modality;
  historical: boolean;
}

export interface RuleExample {
  text: string;
  title?: string | undefined;
  published?: string | undefined;
  expect: Expectation[];
  where: Where;
}

export interface Rule {
  id: string;
  status: AssertedStatus;
  description?: string | undefined;
  /** Where to look for the parties, in order. */
  party: ('before' | 'after')[];
  /** Whether the parties on both sides get the status, not only the first side found. */
  bothSides: boolean;
  exclusive: boolean;
  /** Negation and hedges on the cue's own verb do not touch its parties' status (or only its object's). */
  presupposes: boolean | 'object';
  /** The cue stands for a verb left out, which a clause before it must hold. */
  elliptical: boolean;
  cues: string[];
  overrides: AssertedStatus[];
  examples: RuleExample[];
  where: Where;
}

export interface AgreementNames {
  id: string;
  name: string;
  aliases: Alias[];
  patterns: string[];
}

export interface Tracker {
  id: string;
  name: string;
  description?: string | undefined;
  /** This agreement's names; `others` are agreements that must not be read as it. */
  agreement: AgreementNames;
  /** Patterns that together make an item that names no agreement about this one. */
  topic: string[];
  /** When the agreement began: a claim dated before it is about something else. */
  since?: string | undefined;
  others: AgreementNames[];
  parties: Party[];
  rules: Rule[];
  policy: Policy;
  where: Where;
}

export type Policy = PolicyFile;
export type Language = LanguageFile;
export type Settings = SettingsFile;

/** A configured source, with its publisher resolved. */
export interface Source extends Omit<SourceFile, 'publisher' | 'articleText' | 'allowPrivateNetwork' | 'trust' | 'about'> {
  /** Given for every kind; a bluesky-stream's defaults to social. */
  trust: Trust;
  publisher: string;
  /** The trackers its items are about (one id is a list of one). */
  about?: string[] | undefined;
  articleText?: boolean | undefined;
  allowPrivateNetwork?: boolean | undefined;
  where: Where;
}

export interface Config {
  dir: string;
  trackers: Tracker[];
  language: Language;
  sources: Source[];
  settings: Settings;
  warnings: ConfigProblem[];
}
