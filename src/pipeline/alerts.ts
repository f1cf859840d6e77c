// Queueing an alert for a change: its text composed from the evidence (official sources first,
// copies of one text counted once), in the state the publish mode and fiction call for.
import { composeAlert } from '../alert/compose.js';
import type { Tracker } from '../config/types.js';
import type { AlertKind, AlertState, PublishMode } from '../model/alert.js';
import type { Citation } from '../model/ledger.js';
import type { PartyStatus, Reported } from '../model/party.js';
import type { Store } from '../store/store.js';

/** Where alerts are queued, and how. */
export interface AlertQueue {
  store: Store;
  publishMode: PublishMode;
}

/** Official sources first, then the earliest report (then the first stored). */
function byStrength(x: Citation, y: Citation): number {
  return Number(y.trust === 'official') - Number(x.trust === 'official') || x.published.localeCompare(y.published) || x.assertionId - y.assertionId;
}

export function strongest(support: Citation[]): Citation | undefined {
  return [...support].sort(byStrength)[0];
}

/** The key of the one alert a reported claim may queue: a claim re-made later (a new `since`) is a new one. */
export function reportedKey(tracker: string, party: string, reported: Reported): string {
  return `${tracker}/${party}/${reported.status}/${reported.since.toISOString()}`;
}

export function initialAlertState(mode: PublishMode): AlertState {
  return mode === 'review' ? 'held' : 'queued';
}

export function queueAlert(
  p: AlertQueue,
  tracker: Tracker,
  a: {
    transitionId: number | null;
    reportedKey: string | null;
    party: string;
    from: PartyStatus;
    to: PartyStatus;
    kind: AlertKind;
    support: Citation[];
    /** Caused by a fictional item. */
    fictional?: boolean | undefined;
    url?: string;
    note?: string;
  },
): number | undefined {
  const party = tracker.parties.find((x) => x.id === a.party)!;
  const statuses = p.store.partyStatuses(tracker.id);
  // Official sources first, then by date; a copy of a text already listed adds no publisher.
  // Social posts confirm nothing, so a post never credits one when a publisher stands behind it:
  // the rumour that came first is not a source.
  const cited = a.support.some((e) => e.trust !== 'social') ? a.support.filter((e) => e.trust !== 'social') : a.support;
  const ordered = [...cited].sort(byStrength);
  const groups = new Set<number>();
  const publishers = new Set<string>();
  for (const e of ordered) {
    if (groups.has(e.copyGroup)) continue;
    groups.add(e.copyGroup);
    publishers.add(e.publisher);
  }
  const text = composeAlert({
    kind: a.kind,
    trackerName: tracker.name,
    partyName: party.name,
    from: a.from,
    to: a.to,
    publishers: [...publishers],
    url: a.url ?? ordered.find((e) => e.url)?.url ?? undefined,
    signed: statuses.filter((s) => s.state.status === 'signed').length,
    parties: tracker.parties.length,
    note: a.note,
  });
  // Made up if any item behind it is: a fictional report corroborating a real one must not
  // get the real one posted either.
  const fictional = a.fictional === true || a.support.some((e) => e.fictional);
  return p.store.insertAlert({
    transitionId: a.transitionId,
    reportedKey: a.reportedKey,
    tracker: tracker.id,
    party: a.party,
    status: a.to,
    state: fictional ? 'dry-run' : initialAlertState(p.publishMode),
    text,
    fictional,
  });
}

