// A comparison that opens a sentence says something of its own parties: "Unlike OpenAI and
// Anthropic, Meta has not agreed" says that they have; "Like OpenAI before it, Google will give
// CAISI access" says that OpenAI does. Only these two readings are taken: "Unlike Meta, OpenAI
// signed quickly" may contrast the speed, not the signing, so a signing says nothing of the
// parties it is contrasted with.
import type { CueFinding, SentenceTrace } from './trace.js';

const CONTRARY = /^\W*(?:unlike|in contrast to|contrary to)\s/iu;
const ALIKE = /^\W*(?:like|as with|just as with)\s/iu;

/** The finding the sentence's opening comparison makes of its parties, if it makes one. */
export function comparedFinding(st: SentenceTrace): CueFinding | undefined {
  const aside = st.asides.find((a) => a.kind === 'comparison');
  if (!aside) return undefined;
  const contrary = CONTRARY.test(aside.text);
  if (!contrary && !ALIKE.test(aside.text)) return undefined;
  const compared = st.parties.filter((m) => m.start >= aside.start && m.end <= aside.end);
  if (compared.length === 0 || st.findings.some((f) => f.parties.some((m) => compared.includes(m)))) return undefined;
  // What the main clause asserts of its own subject about this agreement.
  const main = st.findings.find((f) => !f.dropped && f.modality === 'asserted' && f.agreement.decision === 'this' && f.cue.start >= aside.end && f.parties.length > 0);
  if (!main) return undefined;
  const status = contrary ? (main.status === 'holdout' ? 'signed' : undefined) : main.status === 'signed' || main.status === 'holdout' ? main.status : undefined;
  if (!status) return undefined;
  const said = contrary ? 'the contrary of' : 'what';
  return { ...main, parties: compared, status, modifiers: [], partyReason: `named in the comparison "${aside.text}", which says of them ${said} the main clause says of ${main.parties.map((m) => m.party.name).join(', ')}`, overridden: [] };
}
