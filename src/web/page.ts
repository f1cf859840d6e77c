// The status page (/): per tracker, the tally, every party's status with the source that
// confirmed it, the recent changes, and a legend of the statuses and of how a change is confirmed.
import { escapeMarkup as esc } from '../text/markup.js';
import { badge, change, eventDate, eventEvidence, page, partyPath, type Frame } from './html.js';
import type { PartyView, TrackerView } from './ledger-view.js';
import { timeTag } from './time-words.js';
import { legend } from './legend.js';
import { statusLabel } from './words.js';

/** What the front page shows. */
export interface SiteView {
  trackers: TrackerView[];
  /** When a source was last read (ISO), or null. */
  sourcesLastRead: string | null;
  /** What the tally calls the parties ("developers"). */
  partyNoun: string;
  /** A Bluesky stream is connected and reading at the present: its last event may be old, yet nothing is missed. */
  streamLive?: boolean;
}

const RECENT_CHANGES = 15;

/** "5 of 10 tracked developers have signed". */
export function tally(t: TrackerView, partyNoun: string): string {
  const signed = t.parties.filter((p) => p.status === 'signed').length;
  return `${signed} of ${t.parties.length} tracked ${partyNoun} ${signed === 1 ? 'has' : 'have'} signed`;
}

function since(p: PartyView, now: Date): string {
  if (!p.since) return '—';
  return p.current ? eventDate({ at: p.since, monthOnly: p.current.monthOnly }, now) : timeTag(p.since, 'day', now);
}

function row(p: PartyView, now: Date): string {
  const path = partyPath(p.trackerId, p.id);
  const reported = p.reported ? `<p class="reported">Reported, not confirmed: ${esc(statusLabel(p.reported.status))} (<a href="${esc(path)}#reported">why</a>)</p>` : '';
  const confirmed = p.current
    ? `<p class="how">${esc(p.current.how)}</p>${eventEvidence(p.current, now)}`
    : '<p class="muted">No confirmed report yet.</p>';
  return `<tr><th scope="row"><a href="${esc(path)}">${esc(p.name)}</a></th><td data-label="Status">${badge(p.status)}${reported}</td><td data-label="Since">${since(p, now)}</td><td data-label="Source">${confirmed}</td></tr>`;
}

function recentChanges(t: TrackerView, now: Date): string {
  const events = t.parties
    .flatMap((p) => p.history.map((e) => ({ p, e })))
    .sort((x, y) => y.e.at.localeCompare(x.e.at) || y.e.id - x.e.id)
    .slice(0, RECENT_CHANGES);
  if (events.length === 0) return '<p>No changes recorded yet.</p>';
  const items = events
    .map(({ p, e }) => `<li>${eventDate(e, now)}: <a href="${esc(partyPath(p.trackerId, p.id))}">${esc(p.name)}</a> ${change(e)} <span class="muted">— ${esc(e.how)}</span></li>`)
    .join('');
  return `<ol class="events">${items}</ol>`;
}

function trackerSection(t: TrackerView, site: SiteView, now: Date): string {
  const changed = t.lastChange ? `Status updated ${timeTag(t.lastChange, 'relative', now)}` : 'No status recorded yet';
  const read = (site.sourcesLastRead ? `sources last read ${timeTag(site.sourcesLastRead, 'relative', now)}` : 'sources not read yet') + (site.streamLive ? ' · the Bluesky stream is live' : '');
  return `<section aria-labelledby="t-${esc(t.id)}"><h2 id="t-${esc(t.id)}">${esc(t.name)}</h2>
${t.description ? `<p class="muted">${esc(t.description)}</p>` : ''}<p class="tally"><strong>${esc(tally(t, site.partyNoun))}.</strong></p><p class="muted">${changed} · ${read}.</p>
<table class="cards"><caption>Who has signed</caption><thead><tr><th scope="col">Party</th><th scope="col">Status</th><th scope="col">Since</th><th scope="col">Source</th></tr></thead><tbody>${t.parties.map((p) => row(p, now)).join('')}</tbody></table>
<h3>Recent changes</h3>${recentChanges(t, now)}
${legend(t)}</section>`;
}

export function statusPage(site: SiteView, frame: Omit<Frame, 'title' | 'description' | 'path'>, now: Date): string {
  const description = site.trackers.map((t) => `${t.name}: ${tally(t, site.partyNoun)}.`).join(' ') || 'No agreement tracked.';
  const main = site.trackers.map((t) => trackerSection(t, site, now)).join('') || '<p>No agreement is tracked yet.</p>';
  return page({ ...frame, title: 'pactwatch: who has signed', description, path: '/' }, main);
}
