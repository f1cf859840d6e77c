// The Atom feed of confirmed status changes, so anyone can subscribe without Bluesky.
import type { Config } from '../config/types.js';
import type { TransitionRow } from '../model/ledger.js';
import { escapeMarkup, webHref } from '../text/markup.js';

const esc = escapeMarkup;

export function atomFeed(config: Config, transitions: TransitionRow[], base: string, now: Date): string {
  const changes = transitions.filter((t) => t.kind === 'news' || t.kind === 'manual').slice(-100).reverse();
  const name = (tracker: string, party: string) => config.trackers.find((t) => t.id === tracker)?.parties.find((p) => p.id === party)?.name ?? party;
  const pact = (tracker: string) => config.trackers.find((t) => t.id === tracker)?.name ?? tracker;
  const updated = changes[0]?.recordedAt ?? now.toISOString();
  const entries = changes
    .map((t) => {
      const title = `${name(t.tracker, t.party)}: ${t.from} → ${t.to} (${pact(t.tracker)})`;
      const href = webHref(t.evidenceUrl);
      return `<entry><id>${esc(`${base}/transitions/${t.id}`)}</id><title>${esc(title)}</title><updated>${esc(t.recordedAt)}</updated><published>${esc(t.at)}</published>${href ? `<link rel="related" href="${esc(href)}"/>` : ''}<summary>${esc(`${title}. ${t.reason}.`)}</summary></entry>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>${esc(`${base}/feed.atom`)}</id><title>pactwatch: status changes</title><updated>${esc(updated)}</updated><author><name>pactwatch</name></author><link rel="self" href="${esc(`${base}/feed.atom`)}"/><link rel="alternate" href="${esc(`${base}/`)}"/>${entries}</feed>`;
}
