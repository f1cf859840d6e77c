// What one cue asserts: its parties, its agreement and its modifiers, and which cue's claim overrides another's.
import type { CompiledLanguage, CompiledTracker } from './compile.js';
import { asideAt } from './structure.js';
import { cueAgreement } from './agreement.js';
import { applyModifiers, markHistorical } from './modifiers.js';
import { cueParties } from './roles.js';
import { clauseOf, wordsBetween } from './spans.js';
import type { CueFinding, CueMatch, PartyMention, SentenceTrace } from './trace.js';

/** What one cue asserts, or why nothing: its parties, then its agreement, then its modifiers (read once per sentence, when first needed). */
export function resolveCue(
  ct: CompiledTracker,
  lang: CompiledLanguage,
  st: SentenceTrace,
  cue: CueMatch,
  cues: CueMatch[],
  starts: number[],
  published: Date | undefined,
  claimed: Set<PartyMention>,
  modifiers: () => Pick<SentenceTrace, 'triggers' | 'dates'>,
): CueFinding {
  const clause = clauseOf(starts, cue.start);
  const finding: CueFinding = {
    cue,
    parties: [],
    partyReason: '',
    agreement: { decision: 'none', reason: '' },
    modifiers: [],
    status: cue.rule.status,
    modality: 'asserted',
    historical: false,
    overridden: [],
  };

  const room = asideAt(st.asides, cue.start);
  const named = cueParties(lang, st, cue, starts, clause, room, claimed);
  finding.parties = named.parties;
  finding.partyReason = named.reason;
  if (finding.parties.length === 0) {
    finding.dropped = 'no party stands where the rule looks for one';
    return finding;
  }

  finding.agreement = cueAgreement(ct, st, cue, starts, clause, room);
  if (finding.agreement.decision !== 'this') {
    finding.dropped = finding.agreement.decision === 'other' ? 'about another agreement' : 'no agreement named';
    return finding;
  }

  const { triggers, dates } = modifiers();
  if (cue.rule.presupposes) finding.modifiers.push('presupposed: the cue\'s own modifiers do not touch it');
  else applyModifiers(lang, st, finding, cues, triggers, starts, clause, room);
  markHistorical(lang, st, finding, cues, dates, starts, clause, published);
  return finding;
}

const OVERRIDE_WORDS = 6;

/** A rule that overrides another wins when both claim one party from nearby cues. */
export function applyOverrides(findings: CueFinding[], text: string): void {
  for (const a of findings) {
    if (a.dropped) continue;
    for (const b of findings) {
      // A denied status ("a holdout no more") does not compete with the status that replaced it.
      if (a === b || b.dropped || b.modality === 'negated' || !a.cue.rule.overrides.includes(b.status)) continue;
      // Only an asserted claim outranks another, and a rule never outranks its own other finding
      // ("Meta has not signed … and may sign later" keeps both).
      if (a.dropped || a.modality !== 'asserted' || a.cue.rule === b.cue.rule) continue;
      const [x, y] = a.cue.start < b.cue.start ? [a.cue, b.cue] : [b.cue, a.cue];
      // A hypothetical claim is always outranked ("urged Amazon in a letter Thursday to sign").
      if (b.modality !== 'hypothetical' && wordsBetween(text, x.end, y.start) > OVERRIDE_WORDS) continue;
      // (The same party named twice counts: "Meta hopes to finalize an arrangement with CAISI, the company said".)
      for (const m of b.parties) {
        if (a.parties.some((p) => p.party.id === m.party.id) && !b.overridden.some((o) => o.party === m.party.id)) {
          b.overridden.push({ party: m.party.id, by: a.cue.rule.id });
        }
      }
    }
  }
}
