// The extractor's trace: the mentions, cues and findings it read in a sentence, as `explain` shows them.
import type { Assertion, AssertedStatus, Modality } from '../model/assertion.js';
import type { AgreementNames } from '../config/types.js';
import type { CompiledLanguage, CompiledParty, CompiledRule, CompiledTracker } from './compile.js';
import type { DateMention } from './dates.js';
import type { Aside } from './structure.js';

export interface Span {
  start: number;
  end: number;
  text: string;
}

export interface PartyMention extends Span {
  party: CompiledParty;
  /** Set when the mention is a word such as "the company" that stands for a party named before. */
  refersTo?: string | undefined;
}

export interface IgnoredMention extends Span {
  reason: string;
}

export interface AgreementMention extends Span {
  agreement: AgreementNames;
  isThis: boolean;
  /** Set when no text names any agreement: its address names it, the item's words are its topic, or its source is about it. */
  via?: 'address' | 'topic' | 'source';
}

export interface CueMatch extends Span {
  rule: CompiledRule;
}

export interface TriggerMatch extends Span {
  kind: 'negation' | 'hypothetical';
  side: 'before' | 'after';
  window: number;
  verbPhrase: boolean;
  ownIntent: boolean;
}

/** What became of one cue: the parties it named, its modifiers, and the assertions or why none. */
export interface CueFinding {
  cue: CueMatch;
  parties: PartyMention[];
  partyReason: string;
  /** `contrasted`: the agreement is set apart from the cue's object by "not" ("signed many agreements, but not CAISI's"). */
  agreement: { decision: 'this' | 'other' | 'none'; reason: string; contrasted?: boolean };
  modifiers: string[];
  status: AssertedStatus;
  modality: Modality;
  historical: boolean;
  dropped?: string | undefined;
  /** Mentions dropped from this finding by an overriding rule, with the reason. */
  overridden: { party: string; by: string; reason?: string }[];
}

export interface SentenceTrace {
  tracker: string;
  index: number;
  isTitle: boolean;
  text: string;
  caseMode: CaseMode;
  parties: PartyMention[];
  ignored: IgnoredMention[];
  agreements: AgreementMention[];
  contextAgreement?: AgreementMention | undefined;
  triggers: TriggerMatch[];
  dates: DateMention[];
  /** Parentheses, dashes, relative clauses and appositives: stretches a cue looks past for its party. */
  asides: Aside[];
  /** The sentence's clauses, as cut at the language's clause boundaries (when a cue needed them). */
  clauses: string[];
  findings: CueFinding[];
}

export interface Analysis {
  id: string;
  assertions: Assertion[];
  sentences: SentenceTrace[];
  /** Why the item was not read at all: its language tags name no language the rules read. */
  skipped?: string | undefined;
}

/** How a sentence is capitalised; a case-sensitive alias matches in the case of the whole text. */
export type CaseMode = 'mixed' | 'upper' | 'lower';

/** What the cues of one sentence are resolved with. */
export interface CueContext {
  ct: CompiledTracker;
  lang: CompiledLanguage;
  st: SentenceTrace;
  /** Every cue of the sentence (a modifier between two cues belongs to the nearer). */
  cues: CueMatch[];
  /** Where each clause starts. */
  starts: number[];
  published: Date | undefined;
  /** Mentions an exclusive cue has taken ("except Meta"). */
  claimed: Set<PartyMention>;
  /** The sentence's triggers and dates, found once, when some cue first needs them. */
  modifiers: () => Pick<SentenceTrace, 'triggers' | 'dates'>;
}

/** Where a cue stands: its clause, and the aside it is in, if any. */
export interface CuePlace {
  clause: number;
  room: Aside | undefined;
}
