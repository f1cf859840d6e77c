// Posts their authors deleted: what they claimed is withdrawn from the parties' reported claims,
// and an alert about a claim left with nothing to stand on is not posted. Confirmed changes stand.
import type { Config } from '../config/types.js';
import type { Store } from '../store/store.js';
import { reportedKey } from './alerts.js';

/** The source kinds whose items are Bluesky posts, stored under their at:// URIs (the Item id). */
const POST_KINDS: ReadonlySet<string> = new Set(['bluesky-search', 'bluesky-author', 'bluesky-stream']);

/** The alert states of a post not yet made: taken back, it is never made. */
const UNSENT = new Set(['queued', 'held']);

/** What one deleted post that pactwatch had stored did to the ledger. */
export interface Withdrawal {
  /** The post's at:// URI. */
  uri: string;
  /** Alerts retracted before they were posted. */
  retracted: number[];
  /** What was done, in words, for the log. */
  notes: string[];
}

/**
 * Withdraws the posts `uris` (deleted by their authors, learned at `at`): each stored copy of one
 * (a search, an author feed and the stream may each have it) is marked deleted, so it counts in no
 * later corroboration and the evidence lists show it as deleted; its assertions leave every
 * reported claim they were evidence of. A reported claim left with no evidence that could have
 * made it (none, or social posts only, which never make a claim) is cleared, and its alert, if not
 * yet posted, is retracted. Run inside the caller's transaction. A URI that was never stored (most
 * of the firehose's deletes) does nothing.
 */
export function withdrawDeleted(p: { config: Config; store: Store }, uris: string[], at: Date): Withdrawal[] {
  const sources = p.config.sources.filter((s) => POST_KINDS.has(s.kind)).map((s) => s.id);
  const done: Withdrawal[] = [];
  for (const uri of uris) {
    const items = p.store.postsNotDeleted(sources, uri);
    if (items.length === 0) continue;
    const withdrawal: Withdrawal = { uri, retracted: [], notes: [] };
    const gone = new Set<number>();
    const parties = new Map<string, { tracker: string; party: string }>();
    for (const item of items) {
      p.store.markItemDeleted(item.id, at);
      for (const a of p.store.itemAssertions(item.id)) {
        gone.add(a.id);
        parties.set(`${a.tracker}/${a.party}`, a);
      }
    }
    for (const { tracker, party } of parties.values()) withdrawFromClaim(p.store, tracker, party, gone, withdrawal);
    // A confirmed status and the transitions behind it are never changed by a delete: a
    // confirmation stands on the evidence it had when it was made (an official source, or
    // independent publishers), and taking it back is a maintainer's call (`status set`).
    if (withdrawal.notes.length === 0) withdrawal.notes.push(`post ${uri} deleted by its author: it was evidence of no reported claim; any confirmed status stands`);
    done.push(withdrawal);
  }
  return done;
}

function withdrawFromClaim(store: Store, tracker: string, party: string, gone: Set<number>, withdrawal: Withdrawal): void {
  const state = store.partyState(tracker, party);
  const reported = state.reported;
  if (!reported || !reported.evidence.some((id) => gone.has(id))) return;
  const evidence = reported.evidence.filter((id) => !gone.has(id));
  const claim = `${tracker}/${party}'s reported claim (${reported.status})`;
  // The reducer makes no claim from social posts alone; what is left must be able to stand.
  if (store.evidenceByIds(evidence).some((c) => c.trust !== 'social')) {
    // Its `since` stays: it keys the claim's alert, and the claim was first made then.
    store.writeState(tracker, party, { ...state, reported: { ...reported, evidence } });
    withdrawal.notes.push(`post ${withdrawal.uri} deleted by its author: withdrawn from ${claim}; ${evidence.length} report(s) remain`);
    return;
  }
  store.writeState(tracker, party, { ...state, reported: null });
  withdrawal.notes.push(`post ${withdrawal.uri} deleted by its author: ${claim} rested on it and is cleared`);
  const alert = store.reportedAlert(reportedKey(tracker, party, reported));
  if (!alert) return;
  if (UNSENT.has(alert.state)) {
    store.setAlertState(alert.id, 'retracted', { error: `not posted: the claim was withdrawn when its author deleted ${withdrawal.uri}` });
    withdrawal.retracted.push(alert.id);
    withdrawal.notes.push(`alert ${alert.id} (${alert.state}) about it retracted before it was posted`);
  } else if (alert.state === 'sent') {
    // pactwatch never deletes a post on its own: a maintainer may (`alerts retract`).
    withdrawal.notes.push(`alert ${alert.id} about it was already posted (${alert.uri ?? 'no URI recorded'}) and stays; \`pactwatch alerts retract ${alert.id}\` takes it back`);
  }
}
