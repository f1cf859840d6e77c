// The status page's words for people: status names and meanings, who confirmed a change, what
// a source's last error means.
import { getDomain } from 'tldts';
import type { Policy } from '../config/types.js';
import type { Citation, TransitionKind } from '../model/ledger.js';
import type { PartyStatus } from '../model/party.js';

/** Each status's name on the page, and what it means (the legend). `pressed` is news, never a status. */
export const STATUS_WORDS: Record<PartyStatus, { label: string; meaning: string }> = {
  signed: { label: 'Signed', meaning: 'has signed or joined the agreement' },
  negotiating: { label: 'Negotiating', meaning: 'is in talks to sign' },
  holdout: { label: 'Not signed', meaning: 'has not signed; is not party to it' },
  declined: { label: 'Declined', meaning: 'has said it will not sign' },
  withdrawn: { label: 'Withdrawn', meaning: 'signed, then left' },
  unknown: { label: 'Unknown', meaning: 'no confirmed report either way yet' },
};

export function statusLabel(status: string): string {
  return STATUS_WORDS[status as PartyStatus]?.label ?? (status === 'pressed' ? 'Pressed to sign' : status);
}

/**
 * The publisher a URL names: its registrable domain ("www.nist.gov/caisi" → "nist.gov"), else
 * its host, else the text itself. (The store has its own for corroboration; this one is for
 * show only.)
 */
export function publisherOfUrl(url: string): string {
  try {
    const host = new URL(url).hostname;
    return getDomain(url) ?? (host || url);
  } catch {
    return url;
  }
}

const possessive = (name: string) => (/s$/i.test(name) ? `${name}'` : `${name}'s`);

/** "a, b and c". */
export function listWords(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

const speaksForParty = (c: Citation, party: string) => c.trust === 'official' && Array.isArray(c.speaksFor) && c.speaksFor.includes(party);
const speaksForAll = (c: Citation) => c.trust === 'official' && c.speaksFor === 'all';

/** Publishers that count as independent reports, as the reducer counts them: copies once, no social posts, no source speaking for the party. */
export function independentPublishers(citations: Citation[], party: string): string[] {
  const firsts = new Map<number, Citation>();
  for (const c of citations) {
    if (c.trust === 'social' || speaksForParty(c, party) || speaksForAll(c)) continue;
    const first = firsts.get(c.copyGroup);
    if (!first || c.published < first.published) firsts.set(c.copyGroup, c);
  }
  return [...new Set([...firsts.values()].map((c) => c.publisher))];
}

/** How a change came about, for people: "confirmed by OpenAI's own announcement". */
export function howConfirmed(kind: TransitionKind, citations: Citation[], party: { id: string; name: string }, evidenceUrl: string | null): string {
  const cited = evidenceUrl ? publisherOfUrl(evidenceUrl) : undefined;
  if (kind === 'seed') return cited ? `on record from ${cited} when tracking began` : 'on record when tracking began';
  if (kind === 'manual') return cited ? `corrected by a maintainer, citing ${cited}` : 'corrected by a maintainer';
  const own = citations.find((c) => speaksForParty(c, party.id));
  const agency = citations.find(speaksForAll);
  const press = independentPublishers(citations, party.id);
  const how = own
    ? `confirmed by ${possessive(party.name)} own announcement (${own.publisher})`
    : agency
      ? `confirmed by ${agency.publisher}, which runs the agreement`
      : press.length > 1
        ? `confirmed by ${press.length} independent publishers: ${listWords(press)}`
        : press.length === 1
          ? `confirmed by ${press[0]}`
          : 'confirmed';
  return kind === 'history' ? `${how}, in a report of an earlier event` : how;
}

/** Why a reported claim is not confirmed yet. */
export function whyNotConfirmed(citations: Citation[], party: string, policy: Policy): string {
  const press = independentPublishers(citations, party);
  if (press.length === 0) return 'only posts on social media so far; they never confirm a change alone';
  if (press.length >= policy.minPublishers) return `a reversal within ${policy.holdDownHours} hours of the last change needs an official source`;
  return `${press.length} of the ${policy.minPublishers} independent publishers needed so far (${listWords(press)})`;
}

/** How this tracker confirms a change (the legend's second half). */
export function confirmationRule(policy: Policy): string {
  return (
    `A status changes only when the change is confirmed: by an official source (the agency that runs the agreement, or the party's own announcement), ` +
    `or by reports from at least ${policy.minPublishers} independent publishers (copies of one wire story count once; social media posts never count alone). ` +
    `Until then a claim shows as reported, not confirmed. Reversing a change within ${policy.holdDownHours} hours needs an official source.`
  );
}

const HTTP_WORDS: Record<number, string> = {
  400: 'rejected the request',
  401: 'asked for a login',
  403: 'refused access',
  404: 'has no page at that address',
  410: 'removed the feed',
  429: 'asked pactwatch to slow down',
  500: 'had an internal error',
  502: 'had a gateway error',
  503: 'was unavailable',
  504: 'timed out behind a gateway',
};

/** A source's last error for people; the technical message stays beside it. */
export function errorInWords(message: string): string {
  const http = /^HTTP (\d{3})\b/.exec(message);
  if (http) {
    const code = Number(http[1]);
    return `the site ${HTTP_WORDS[code] ?? (code >= 500 ? 'had a server error' : 'refused the request')} (HTTP ${code})`;
  }
  if (message.startsWith('waiting until')) return 'waiting, as the site asked, before reading it again';
  if (message === 'connection refused') return 'the server refused the connection';
  if (message === 'host not found') return 'the site’s name was not found (DNS)';
  if (message === 'connect timeout') return 'the server did not answer in time';
  if (/^deadline of .* passed$/.test(message)) return 'the download took too long';
  if (message.startsWith('refused to connect to')) return 'not fetched: the address is on a private network';
  if (/redirects/.test(message)) return 'too many redirects';
  return message;
}
