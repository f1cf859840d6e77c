// What the status pages show, read from the config and the ledger: each party's status, the
// change that set it and the sources behind it, its history, and what is reported but not confirmed.
import type { Config, Party, Policy, Tracker } from '../config/types.js';
import type { Citation, SourceState, SourceStateRow, TransitionKind, TransitionRow } from '../model/ledger.js';
import type { PartyState, PartyStatus } from '../model/party.js';
import { howConfirmed, publisherOfUrl, whyNotConfirmed } from './words.js';

/** What the pages read from the ledger (the store has these). */
export interface PageLedger {
  partyState(tracker: string, party: string): PartyState;
  transitions(options?: { tracker?: string }): TransitionRow[];
  transitionEvidence(transitionId: number): Citation[];
  supportingEvidence(tracker: string, party: string, status: string, limit?: number): Citation[];
  evidenceByIds(ids: number[]): Citation[];
  sourceStates(): SourceStateRow[];
  sourceState(id: string): SourceState | undefined;
}

/** One source as the page cites it: who published it, where, in what words, when. */
export interface Cited {
  publisher: string;
  url: string | null;
  quote: string | null;
  published: string | null;
  fictional: boolean;
  /** When pactwatch learned that its author deleted the post (ISO); absent while it stands. */
  deletedAt?: string | undefined;
}

/** A change of a party's status, in the page's words. */
export interface PartyEvent {
  id: number;
  kind: TransitionKind;
  from: PartyStatus;
  to: PartyStatus;
  at: string;
  /** Known only to the month (a config's `since: 2026-05`). */
  monthOnly: boolean;
  /** "confirmed by OpenAI's own announcement". */
  how: string;
  /** The source the change rests on: the one the party's row shows. */
  cited: Cited | undefined;
  /** Every source behind the change, the cited one first. */
  sources: Cited[];
  /** A maintainer's note, or the config's (never a quote: nobody published these words). */
  note: string | null;
}

export interface PartyView {
  trackerId: string;
  trackerName: string;
  id: string;
  name: string;
  status: PartyStatus;
  since: string | null;
  /** The change that set the current status; undefined for a status never set (unknown). */
  current: PartyEvent | undefined;
  /** Oldest first. */
  history: PartyEvent[];
  reported: { status: PartyStatus; since: string; why: string; sources: Cited[] } | null;
}

export interface TrackerView {
  id: string;
  name: string;
  description: string | undefined;
  policy: Policy;
  parties: PartyView[];
  /** When the ledger last recorded a change of this tracker (ISO), or null. */
  lastChange: string | null;
}

export const citedOf = (c: Citation): Cited => ({ publisher: c.publisher, url: c.url, quote: c.quote, published: c.published, fictional: c.fictional, ...(c.deletedAt === null ? {} : { deletedAt: c.deletedAt }) });

/** As the pipeline picks the evidence URL of a change: official sources first, then the earliest report. */
function byStrength(x: Citation, y: Citation): number {
  return Number(y.trust === 'official') - Number(x.trust === 'official') || x.published.localeCompare(y.published) || x.assertionId - y.assertionId;
}

function eventOf(t: TransitionRow, party: Party, ledger: PageLedger): PartyEvent {
  const citations = t.kind === 'news' || t.kind === 'history' ? ledger.transitionEvidence(t.id) : [];
  const ranked = [...citations].sort(byStrength);
  const first = ranked.find((c) => t.evidenceUrl !== null && c.url === t.evidenceUrl) ?? ranked[0];
  const sources = first ? [first, ...ranked.filter((c) => c !== first)].map(citedOf) : [];
  // A seeded or corrected status rests on the page its config or its maintainer cites.
  const cited = sources[0] ?? (t.evidenceUrl ? { publisher: publisherOfUrl(t.evidenceUrl), url: t.evidenceUrl, quote: null, published: null, fictional: false } : undefined);
  return {
    id: t.id,
    kind: t.kind,
    from: t.from,
    to: t.to,
    at: t.at,
    monthOnly: t.kind === 'seed' && party.initial?.since.length === 7,
    how: howConfirmed(t.kind, citations, party, t.evidenceUrl),
    cited,
    sources: sources.length ? sources : cited ? [cited] : [],
    note: t.note,
  };
}

/** One party's view; `transitions` are its tracker's, in the order they happened. */
export function partyView(tracker: Tracker, party: Party, transitions: TransitionRow[], ledger: PageLedger): PartyView {
  const state = ledger.partyState(tracker.id, party.id);
  const history = transitions.filter((t) => t.party === party.id).map((t) => eventOf(t, party, ledger));
  const last = history.at(-1);
  const reported = state.reported
    ? (() => {
        const citations = ledger.evidenceByIds(state.reported.evidence);
        return { status: state.reported.status, since: state.reported.since.toISOString(), why: whyNotConfirmed(citations, party.id, tracker.policy), sources: citations.map(citedOf) };
      })()
    : null;
  return {
    trackerId: tracker.id,
    trackerName: tracker.name,
    id: party.id,
    name: party.name,
    status: state.status,
    since: state.since?.toISOString() ?? null,
    current: last && last.to === state.status ? last : undefined,
    history,
    reported,
  };
}

export function trackerView(tracker: Tracker, ledger: PageLedger): TrackerView {
  const transitions = ledger.transitions({ tracker: tracker.id });
  const lastChange = transitions.reduce<string | null>((a, t) => (a === null || t.recordedAt > a ? t.recordedAt : a), null);
  return {
    id: tracker.id,
    name: tracker.name,
    description: tracker.description,
    policy: tracker.policy,
    parties: tracker.parties.map((p) => partyView(tracker, p, transitions, ledger)),
    lastChange,
  };
}

/** When any source was last read successfully (ISO), or null. */
export function sourcesLastRead(config: Config, ledger: PageLedger): string | null {
  const configured = new Set(config.sources.map((s) => s.id));
  return ledger
    .sourceStates()
    .filter((s) => configured.has(s.id) && s.lastSuccess !== null)
    .reduce<string | null>((a, s) => (a === null || s.lastSuccess! > a ? s.lastSuccess : a), null);
}
