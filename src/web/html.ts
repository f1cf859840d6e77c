// The frame every status page shares (head, Open Graph card, header, footer) and the small pieces
// they are made of: a status badge, a cited source. Everything put in HTML is escaped here or by the caller.
import { escapeMarkup as esc, webHref } from '../text/markup.js';
import type { Cited, PartyEvent } from './ledger-view.js';
import { CSS } from './style.js';
import { timeTag } from './time-words.js';
import { statusLabel } from './words.js';

export interface Frame {
  /** The <title> and the card's title. */
  title: string;
  /** The card's description. */
  description: string;
  /** This page's path ("/", "/p/caisi/meta"). */
  path: string;
  /** The site's public address, no trailing slash: Open Graph wants absolute URLs. */
  base: string;
  /** The card's image: a path on this site, with its alt text. */
  image?: { path: string; alt: string } | undefined;
  /** The Bluesky account's handle or DID; no link without one. */
  bluesky?: string | undefined;
}

export function blueskyUrl(handle: string): string {
  return `https://bsky.app/profile/${encodeURIComponent(handle)}`;
}

export function page(frame: Frame, main: string): string {
  const url = `${frame.base}${frame.path}`;
  const image = frame.image
    ? `<meta property="og:image" content="${esc(`${frame.base}${frame.image.path}`)}"><meta property="og:image:type" content="image/png"><meta property="og:image:alt" content="${esc(frame.image.alt)}"><meta name="twitter:card" content="summary_large_image">`
    : '';
  const account = frame.bluesky ? esc(blueskyUrl(frame.bluesky)) : undefined;
  const follow = account ? `<a href="${account}">Follow @${esc(frame.bluesky)} on Bluesky</a>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(frame.title)}</title><meta name="description" content="${esc(frame.description)}">
<link rel="alternate" type="application/atom+xml" href="/feed.atom" title="pactwatch: status changes">
<meta property="og:type" content="website"><meta property="og:site_name" content="pactwatch"><meta property="og:title" content="${esc(frame.title)}"><meta property="og:description" content="${esc(frame.description)}"><meta property="og:url" content="${esc(url)}">${image}
<style>${CSS}</style></head>
<body><header><a class="site" href="/">pactwatch</a><p class="muted">Who has signed, with the evidence.</p><nav aria-label="Follow">${follow}<a href="/feed.atom">Atom feed</a></nav></header>
<main>${main}</main>
<footer><nav aria-label="More"><a href="/sources">Sources pactwatch reads</a><a href="/feed.atom">Atom feed of changes</a><a href="/api/status.json">The data as JSON</a>${account ? `<a href="${account}">The alerts on Bluesky</a>` : ''}</nav><p class="muted">Server-rendered; no JavaScript, no cookies.</p></footer></body></html>`;
}

export function badge(status: string): string {
  return `<span class="badge ${esc(status)}">${esc(statusLabel(status))}</span>`;
}

/** A link only to an http(s) address: a stored URL can never run script. */
export function link(url: string | null, text: string): string {
  const href = webHref(url);
  return href ? `<a href="${esc(href)}">${esc(text)}</a>` : esc(text);
}

export function partyPath(tracker: string, party: string): string {
  return `/p/${encodeURIComponent(tracker)}/${encodeURIComponent(party)}`;
}

/** A source: its quoted sentence, then its publisher (linked) and date. `showUrl` prints the address too (a maintainer's correction). */
export function citedBlock(c: Cited, now: Date, options: { showUrl?: boolean } = {}): string {
  const quote = c.quote ? `<blockquote>“${esc(c.quote)}”</blockquote>` : '';
  const when = c.published ? `, ${timeTag(c.published, 'day', now)}` : '';
  const fiction = c.fictional ? ' <span class="fiction">made up (a demo item)</span>' : '';
  // Still cited (a confirmation stands on its evidence), but a reader must not take the link for a live post.
  const deleted = c.deletedAt ? ` <span class="deleted">deleted by its author ${timeTag(c.deletedAt, 'day', now)}</span>` : '';
  const url = options.showUrl && webHref(c.url) ? `<br><span class="url">${link(c.url, c.url!)}</span>` : '';
  return `${quote}<p class="cite">${quote ? '—' : 'Source:'} ${link(c.url, c.publisher)}${when}${fiction}${deleted}${url}</p>`;
}

/** An event's source and note, as a party's row and page show the change that set its status. */
export function eventEvidence(e: PartyEvent, now: Date, options: { showUrl?: boolean } = {}): string {
  const note = e.note ? `<p class="cite">${e.kind === 'manual' ? 'Maintainer’s note' : 'Note'}: ${esc(e.note)}</p>` : '';
  return `${e.cited ? citedBlock(e.cited, now, options) : ''}${note}`;
}

/** An event's date: to the month when that is all that is known. */
export function eventDate(e: { at: string; monthOnly: boolean }, now: Date): string {
  return timeTag(e.at, e.monthOnly ? 'month' : 'day', now);
}

/** "Not signed → Signed", or just the new status when nothing was known before. */
export function change(e: PartyEvent): string {
  return e.from === 'unknown' ? `<strong>${esc(statusLabel(e.to))}</strong>` : `${esc(statusLabel(e.from))} → <strong>${esc(statusLabel(e.to))}</strong>`;
}
