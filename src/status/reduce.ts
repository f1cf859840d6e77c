// The reducer: decides, from a party's state and the assertions about it, whether its status
// changes (confirmed), is only claimed (reported), or stays. Pure: time is item time.
import type { Policy } from '../config/types.js';
import type { Claim, PartyState, PartyStatus, Reported } from '../model/party.js';

export interface Change {
  from: PartyStatus;
  to: PartyStatus;
  at: Date;
  /** Learned from a historical mention: recorded, never alerted. */
  historical: boolean;
  reason: string;
  /** The ids of the assertions that justify it. */
  evidence: number[];
}

export type Outcome =
  | { kind: 'confirmed'; change: Change }
  | { kind: 'reported'; reported: Reported; isNew: boolean; reason: string }
  | { kind: 'reaffirmed'; reason: string }
  | { kind: 'ignored'; reason: string };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * How many social posts a claim keeps as its evidence, the earliest first. They never count
 * towards a change; a rumour repeated thousands of times would otherwise make every new post
 * read, and every claim store, all the others.
 */
export const MAX_SOCIAL_EVIDENCE = 20;

function speaksFor(e: Claim, party: string): boolean {
  return e.trust === 'official' && (e.speaksFor === 'all' || (Array.isArray(e.speaksFor) && e.speaksFor.includes(party)));
}

/** Publishers that count as independent: copies of one text count once, as their first copy. */
export function independentPublishers(claims: Claim[], party: string): string[] {
  const groups = new Map<number, Claim>();
  for (const e of claims) {
    // An official source that does not speak for this party reports like the press.
    if (e.trust === 'social' || speaksFor(e, party)) continue;
    const first = groups.get(e.copyGroup);
    if (!first || e.itemTime < first.itemTime) groups.set(e.copyGroup, e);
  }
  return [...new Set([...groups.values()].map((e) => e.publisher))];
}

/**
 * What assertion `a` does to a party in state `state`. `others` are the party's other stored
 * assertions; only those of `a`'s status near it in item time count. They may be given as a
 * function, called only when the outcome depends on them: most assertions re-affirm a status
 * or cannot change one, and need no look-up.
 */
export function decide(state: PartyState, a: Claim, others: Claim[] | (() => Claim[]), party: string, policy: Policy): Outcome {
  if (a.modality !== 'asserted') return { kind: 'ignored', reason: `${a.modality} claims never change a status` };
  if (a.status === 'pressed') return { kind: 'ignored', reason: 'being pressed is news, not a status' };
  const target: PartyStatus = a.status;
  if (target === state.status) return { kind: 'reaffirmed', reason: `re-affirms ${target}` };
  if (a.historical && state.status !== 'unknown') {
    return { kind: 'ignored', reason: 'a historical mention seeds an unknown status but never overturns a known one' };
  }

  const t = a.itemTime.getTime();
  const window = policy.windowDays * DAY;
  const support = [a, ...(typeof others === 'function' ? others() : others)].filter(
    (e) =>
      e.status === a.status &&
      e.modality === 'asserted' &&
      Math.abs(e.itemTime.getTime() - t) <= window &&
      (state.since === null || e.itemTime >= state.since),
  );
  // Social posts never confirm: as evidence, the first few that said it are enough.
  const social = support.filter((e) => e.trust === 'social').sort((x, y) => x.itemTime.getTime() - y.itemTime.getTime() || x.assertionId - y.assertionId);
  const ids = [...new Set([...support.filter((e) => e.trust !== 'social'), ...social.slice(0, MAX_SOCIAL_EVIDENCE)].map((e) => e.assertionId))];
  const official = support.find((e) => speaksFor(e, party));
  const publishers = independentPublishers(support, party);
  const holdDown = state.status !== 'unknown' && state.since !== null && t - state.since.getTime() < policy.holdDownHours * HOUR;

  let reason: string | undefined;
  if (official) reason = `confirmed by an official source that speaks for ${party} (${official.publisher})`;
  else if (holdDown) reason = undefined;
  else if (publishers.length >= policy.minPublishers) reason = `confirmed by ${publishers.length} independent publishers: ${publishers.join(', ')}`;
  if (reason) {
    return { kind: 'confirmed', change: { from: state.status, to: target, at: a.itemTime, historical: a.historical, reason, evidence: ids } };
  }

  if (publishers.length === 0 && !support.some((e) => e.trust !== 'social')) {
    if (state.reported?.status === target) {
      const reported = { ...state.reported, evidence: [...new Set([...state.reported.evidence, ...ids])] };
      return { kind: 'reported', reported, isNew: false, reason: 'a social post adds to a reported claim' };
    }
    return { kind: 'ignored', reason: 'a social post alone never changes a status' };
  }
  const since = new Date(Math.min(...support.map((e) => e.itemTime.getTime())));
  const isNew = state.reported?.status !== target;
  const why = holdDown
    ? `a reversal within ${policy.holdDownHours} h of the last change needs an official source`
    : `${publishers.length} of ${policy.minPublishers} independent publishers so far`;
  return { kind: 'reported', reported: { status: target, since, evidence: ids }, isNew, reason: `reported, not confirmed: ${why}` };
}
