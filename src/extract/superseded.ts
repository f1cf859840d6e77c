// A state the item itself says is over: "Google signed on Thursday. The company had resisted a
// formal arrangement for more than a year." The past perfect puts the holdout before the
// story's own time, and the item's signing ends it; alone ("Meta had refused to sign, officials
// said"), the same sentence is still the party's state, and stands.
import type { CueFinding, PartyMention } from './trace.js';

// "had resisted", "had long held out", "had been holding out": the cue is the verb of a past perfect.
const PAST_PERFECT = /(?<![\p{L}\p{N}])had (?:[\p{L}-]+ ){0,2}$/iu;

/** Whether a holdout or refusal cue is told in the past perfect. */
export function isPriorState(text: string, f: CueFinding): boolean {
  return (f.status === 'holdout' || f.status === 'declined') && PAST_PERFECT.test(text.slice(Math.max(0, f.cue.start - 40), f.cue.start));
}

export interface PriorState {
  finding: CueFinding;
  mention: PartyMention;
}

/** Marks the prior state of a party that the item says signed; returns whether it still stands. */
export function stillStands(prior: PriorState, signedBy: ReadonlyMap<string, string>): boolean {
  const rule = signedBy.get(prior.mention.party.id);
  if (rule === undefined) return true;
  prior.finding.overridden.push({ party: prior.mention.party.id, by: rule, reason: 'told in the past perfect, a state before the item\'s news that it signed' });
  return false;
}
