// Manual transitions: a maintainer's correction, recorded with who and why, that alerts like
// any other change.
import type { PartyStatus } from '../model/party.js';
import type { TransitionRow } from '../model/ledger.js';
import { queueAlert } from './alerts.js';
import type { Pipeline } from './process.js';

/** A maintainer's correction: an audited transition that alerts like any other. */
export function setStatus(
  p: Pipeline,
  c: { tracker: string; party: string; status: PartyStatus; evidence: string; note?: string | undefined; actor: string; at: Date },
): { transition: TransitionRow; alert: number | undefined } {
  const tracker = p.config.trackers.find((t) => t.id === c.tracker)!;
  return p.store.transaction(() => {
    const state = p.store.partyState(c.tracker, c.party);
    const transitionId = p.store.insertTransition({
      tracker: c.tracker,
      party: c.party,
      from: state.status,
      to: c.status,
      at: c.at,
      kind: 'manual',
      reason: 'set by a maintainer',
      actor: c.actor,
      note: c.note ?? null,
      evidenceUrl: c.evidence,
    });
    p.store.writeState(c.tracker, c.party, { status: c.status, since: c.at, reported: null });
    const alert = queueAlert(p, tracker, {
      transitionId,
      reportedKey: null,
      party: c.party,
      from: state.status,
      to: c.status,
      kind: 'manual',
      support: [],
      url: c.evidence,
      note: c.note,
    });
    return { transition: p.store.transitions({ since: transitionId - 1 }).find((t) => t.id === transitionId)!, alert };
  }, { durable: true });
}
