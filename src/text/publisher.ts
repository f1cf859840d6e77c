// Who published an item, as corroboration counts publishers: the one answer for a source in
// config, a replay line and an item about to be stored.
import { registrableDomain } from './urls.js';

/** Answers so far: items repeat a handful of publishers, each looked up in the public suffix list once. */
const answers = new Map<string, string>();

/**
 * The publisher corroboration counts. Of a name: an account (a handle or DID, "@" dropped) as it
 * is, else the registrable domain of a host or URL ("news.bbc.co.uk" → "bbc.co.uk"), else the
 * name as given. Of a link: its host without "www.", counted the same way.
 */
export function publisherOf(from: string | URL): string {
  if (typeof from !== 'string') return publisherOf(from.hostname.replace(/^www\./, ''));
  let known = answers.get(from);
  if (known === undefined) {
    if (answers.size >= 10_000) answers.clear();
    if (from.startsWith('@') || from.startsWith('did:') || from.endsWith('.bsky.social')) known = from.replace(/^@/, '');
    else known = registrableDomain(from) ?? from;
    answers.set(from, known);
  }
  return known;
}
