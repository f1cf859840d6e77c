// Composes the text of an alert. Pure. (The Bluesky issue adds facets, link cards and images.)
import type { AlertKind } from '../model/alert.js';
import type { PartyStatus } from '../model/party.js';

export const MAX_GRAPHEMES = 300;
export const MAX_BYTES = 3_000;

export interface AlertFacts {
  kind: AlertKind;
  trackerName: string;
  partyName: string;
  from: PartyStatus;
  to: PartyStatus;
  /** Publishers whose reports back it, strongest first. */
  publishers: string[];
  url?: string | undefined;
  /** How many parties of the tracker have signed, after this change, and of how many. */
  signed: number;
  parties: number;
  note?: string | undefined;
}

const HEADLINE: Record<PartyStatus, (party: string, pact: string, from: PartyStatus) => string> = {
  signed: (p, a) => `✅ ${p} has signed the ${a}.`,
  declined: (p, a) => `❌ ${p} has declined to sign the ${a}.`,
  withdrawn: (p, a) => `↩️ ${p} has withdrawn from the ${a}.`,
  negotiating: (p, a) => `🤝 ${p} is in talks to join the ${a}.`,
  holdout: (p, a, from) => (from === 'signed' ? `⚠️ ${p} has not signed the ${a} after all.` : `⏸️ ${p} has not signed the ${a}.`),
  unknown: (p, a) => `❔ ${p}'s status on the ${a} is unknown again.`,
};

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function graphemes(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

function truncate(text: string, max: number): string {
  if (graphemes(text) <= max) return text;
  let out = '';
  let n = 0;
  for (const { segment } of segmenter.segment(text)) {
    if (n + 1 >= max) break;
    out += segment;
    n++;
  }
  return `${out.trimEnd()}…`;
}

export function composeAlert(f: AlertFacts): string {
  const headline = HEADLINE[f.to](f.partyName, f.trackerName, f.from);
  const lead = f.kind === 'reported' ? `Reported, not yet confirmed: ${headline.replace(/^\S+ /, '')}` : headline;
  const tally = f.to === 'signed' || f.from === 'signed' ? ` ${f.signed} of ${f.parties} tracked developers ${f.signed === 1 ? 'has' : 'have'} now signed.` : '';
  const sources = f.publishers.length ? ` Source${f.publishers.length > 1 ? 's' : ''}: ${f.publishers.slice(0, 3).join(', ')}.` : '';
  const note = f.kind === 'manual' ? ` (Correction by the maintainers${f.note ? `: ${f.note}` : ''}.)` : '';
  const url = f.url ? ` ${f.url}` : '';
  // The link goes last and is never cut; the prose gives way first. Bluesky also caps a post
  // at 3,000 UTF-8 bytes, which 300 graphemes of emoji or CJK can pass.
  let budget = MAX_GRAPHEMES - graphemes(url);
  let body = truncate(`${lead}${tally}${sources}${note}`, budget);
  while (Buffer.byteLength(body + url) > MAX_BYTES && budget > 1) body = truncate(body, (budget -= 10));
  return `${body}${url}`;
}
