// What one cue asserts: its parties, its agreement and its modifiers, and which cue's claim overrides another's.
import type { CompiledTracker } from './compile.js';
import { wordMatches } from './word-patterns.js';
import { asideAt, GERUND } from './structure.js';
import { cueAgreement } from './agreement.js';
import { applyModifiers, datedBefore, markHistorical } from './modifiers.js';
import { cueParties } from './roles.js';
import { clauseOf, overlaps, wordsBetween } from './spans.js';
import type { CueContext, CueFinding, CueMatch, PartyMention, Span } from './trace.js';

/** Every match of every rule's cues in `text` (overlapping ones included). */
export function cueMatches(ct: CompiledTracker, text: string): CueMatch[] {
  return ct.rules.flatMap((rule) =>
    // A sentence without a word the rule's cues need has no match of them: one cheap scan instead of the cues' own.
    rule.guard && !rule.guard.test(text) ? [] : wordMatches(rule.re, text).map((m) => ({ start: m.index, end: m.index + m[0].length, text: m[0], rule })),
  );
}

/**
 * The cues that may be read. A cue that spans a party's name is no cue; it gives way to the ones
 * inside it before the longest are chosen ("agreed alongside Google and Microsoft to submit"
 * keeps "alongside"). A cue inside the agreement's name is part of the name ("testing
 * agreement"), unless the name is a description that spans a party ("test Google's models before
 * release"), opens on the cue as a passive verb ("its model was tested by CAISI before launch") or
 * ends on it as its agent's verb ("the Commerce Department's AI center already reviews").
 */
export function usableCues(text: string, candidates: CueMatch[], parties: PartyMention[], agreements: Span[]): CueMatch[] {
  return candidates
    .filter((c) => !parties.some((p) => overlaps(p, c)))
    .filter((c) => !agreements.some((a) => a.start <= c.start && a.end >= c.end && !parties.some((p) => overlaps(p, a)) && !passiveOpening(text, a, c) && !closingVerb(a, c)));
}

/**
 * A description of the agreement by its agent and the agent's verb ("the Commerce Department's AI
 * center already reviews") ends on the cue: the verb is the clause's, its object after it.
 */
function closingVerb(agreement: Span, cue: Span): boolean {
  return agreement.start < cue.start && agreement.end === cue.end && /^\p{L}+(?:s|ed)$/u.test(cue.text);
}

/** A description that begins with the cue's verb, its agent right after it or after the description: "tested by CAISI before launch", "evaluated before deployment by both institutes". */
function passiveOpening(text: string, agreement: Span, cue: Span): boolean {
  return agreement.start === cue.start && (/^ by\b/.test(text.slice(cue.end, cue.end + 3)) || /^ by\b/.test(text.slice(agreement.end, agreement.end + 3)));
}

/**
 * What one cue asserts, or why nothing: its parties, then its agreement, then its modifiers (read
 * once per sentence, when first needed). A rule that presupposes its object's status gives a
 * second finding for the object, which the cue's modifiers do not touch.
 */
export function resolveCue(cc: CueContext, cue: CueMatch): CueFinding[] {
  const { st, starts, modifiers } = cc;
  const clause = clauseOf(starts, cue.start);
  const room = asideAt(st.asides, cue.start);
  const place = { clause, room };
  const named = cueParties(cc, place, cue);
  const finding = (parties: PartyMention[], presupposed: boolean): CueFinding => {
    const f: CueFinding = {
      cue,
      parties,
      partyReason: named.reason,
      agreement: { decision: 'none', reason: '' },
      modifiers: [],
      status: cue.rule.status,
      modality: 'asserted',
      historical: false,
      overridden: [],
    };
    if (parties.length === 0) {
      f.dropped = 'no party stands where the rule looks for one';
      return f;
    }
    f.agreement = cueAgreement(cc, place, cue);
    if (f.agreement.decision !== 'this') {
      f.dropped = f.agreement.decision === 'other' ? 'about another agreement' : 'no agreement named';
      return f;
    }
    const { triggers, dates } = modifiers();
    if (presupposed) f.modifiers.push("presupposed: the cue's own modifiers do not touch it");
    else applyModifiers(cc, place, f, triggers);
    markHistorical(cc, place, f, dates);
    const early = datedBefore(cc, place, f, dates);
    if (early) f.dropped = `"${early.text}" is before ${cc.ct.tracker.name} began: about something else`;
    // An item written before the agreement existed reports on something else (the 2023 UK summit's access pledges).
    else if (cc.ct.since && cc.published && cc.published.getTime() < cc.ct.since.getTime()) {
      f.dropped = `the item is dated before ${cc.ct.tracker.name} began: about something else`;
    }
    return f;
  };
  const main = finding(named.parties, cue.rule.presupposes === true);
  return named.presupposed.length > 0 ? [...(named.parties.length > 0 ? [main] : []), finding(named.presupposed, true)] : [main];
}

/**
 * An elliptical cue echoes a verb before it: "Anthropic reserves the right …; OpenAI does not"
 * echoes no signing. (Opening the sentence, it may echo the sentence before: "Five labs signed.
 * Meta has not.")
 */
export function dropUnechoed(findings: CueFinding[], starts: number[]): void {
  for (const f of findings) {
    if (f.cue.rule.elliptical && !f.dropped && clauseOf(starts, f.cue.start) > 0 && !findings.some((g) => !g.cue.rule.elliptical && g.cue.start < f.cue.start)) {
      f.dropped = 'it stands for a verb left out, and no cue before it in the sentence holds one';
    }
  }
}

// Statuses whose verbs hold a signing back: what they govern is not done.
const HELD_BACK = new Set(['holdout', 'declined', 'withdrawn']);
// Between the verb and its object: a preposition, an article, a name ("sat out the CAISI signing").
const GOVERNED_GAP = /^[^,.;:!?()"—]*$/;
const GOVERNED_WORDS = 3;

/**
 * A signing named by a gerund right after a verb of holding back is that verb's object, not a
 * deed: "has held off on signing", "walked away from signing", "sat out the CAISI signing" (and
 * a signing verb, not a gerund, stays one: "Meta, the holdout, signed").
 */
export function dropHeldBack(findings: CueFinding[], text: string): void {
  for (const f of findings) {
    if (f.dropped || f.status !== 'signed' || !GERUND.test(f.cue.text)) continue;
    const verb = findings.find(
      (g) => HELD_BACK.has(g.status) && g.cue.end <= f.cue.start && GOVERNED_GAP.test(text.slice(g.cue.end, f.cue.start)) && wordsBetween(text, g.cue.end, f.cue.start) <= GOVERNED_WORDS,
    );
    if (verb) f.dropped = `the object of "${verb.cue.text}", which holds it back: no signing`;
  }
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
