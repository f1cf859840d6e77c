// A party's own page (/p/{tracker}/{party}): its status and the source that confirmed it, what is
// reported but not confirmed, its whole history from the first recorded event, and more sources.
import type { Tracker } from '../config/types.js';
import { escapeMarkup as esc } from '../text/markup.js';
import { badge, change, citedBlock, eventDate, eventEvidence, page, type Frame } from './html.js';
import { citedOf, partyView, type Cited, type PageLedger, type PartyEvent, type PartyView } from './ledger-view.js';
import { legend } from './legend.js';
import { timeTag } from './time-words.js';
import { statusLabel } from './words.js';

/** What the party page shows beyond the party's view. */
export interface PartyPageView {
  party: PartyView;
  tracker: Tracker;
  /** News that it is being urged to sign. */
  pressed: Cited[];
  /** Other reports of its current status, newest first, besides those of the change that set it. */
  more: Cited[];
}

const LIMIT = 10;

export function partyPageView(tracker: Tracker, partyId: string, ledger: PageLedger): PartyPageView | undefined {
  const party = tracker.parties.find((p) => p.id === partyId);
  if (!party) return undefined;
  const view = partyView(tracker, party, ledger.transitions({ tracker: tracker.id }), ledger);
  const shown = new Set(view.current?.sources.map((s) => `${s.url} ${s.quote}`));
  const more = view.status === 'unknown' ? [] : ledger.supportingEvidence(tracker.id, party.id, view.status, LIMIT + shown.size).map(citedOf);
  return {
    party: view,
    tracker,
    pressed: ledger.supportingEvidence(tracker.id, party.id, 'pressed', LIMIT).map(citedOf),
    more: more.filter((c) => !shown.has(`${c.url} ${c.quote}`)).slice(0, LIMIT),
  };
}

const sourceList = (sources: Cited[], now: Date, showUrl = false) => `<ul class="sources">${sources.map((c) => `<li>${citedBlock(c, now, { showUrl })}</li>`).join('')}</ul>`;

function event(e: PartyEvent, now: Date): string {
  // A change from news lists every report behind it; a seeded or corrected one, its cited page and note.
  const evidence = e.kind === 'news' || e.kind === 'history' ? sourceList(e.sources, now) : eventEvidence(e, now, { showUrl: e.kind === 'manual' });
  return `<li><p>${eventDate(e, now)}: ${change(e)}</p><p class="how">${esc(e.how)}.</p>${evidence}</li>`;
}

function statusNow(v: PartyView, now: Date): string {
  const since = v.since ? ` since ${v.current ? eventDate({ at: v.since, monthOnly: v.current.monthOnly }, now) : timeTag(v.since, 'day', now)}` : '';
  const current = v.current
    ? `<p class="how">${esc(v.current.how)}.</p>${eventEvidence(v.current, now, { showUrl: v.current.kind === 'manual' })}`
    : '<p class="muted">No confirmed report yet.</p>';
  return `<div class="box"><p>${badge(v.status)}${since}</p>${current}</div>`;
}

function reported(view: PartyPageView, now: Date): string {
  const r = view.party.reported;
  const claim = r
    ? `<p>${badge(r.status)} reported since ${timeTag(r.since, 'day', now)}; not confirmed: ${esc(r.why)}.</p>${sourceList(r.sources, now)}`
    : '';
  const pressed = view.pressed.length ? `<h3>${esc(statusLabel('pressed'))}</h3>${sourceList(view.pressed, now)}` : '';
  if (!claim && !pressed) return '<section id="reported"><h2>Reported, not confirmed</h2><p>Nothing reported beyond its status.</p></section>';
  return `<section id="reported"><h2>Reported, not confirmed</h2>${claim}${pressed}</section>`;
}

export function partyPage(view: PartyPageView, frame: Omit<Frame, 'title' | 'description' | 'path'> & { path: string }, now: Date): string {
  const v = view.party;
  const history = v.history.length ? `<ol class="history">${v.history.map((e) => event(e, now)).join('')}</ol>` : '<p>No recorded events yet.</p>';
  const more = view.more.length ? `<section><h2>More reports of its status</h2>${sourceList(view.more, now)}</section>` : '';
  const main = `<p><a href="/">← All parties</a></p><h1>${esc(v.name)}</h1><p class="muted">in the ${esc(v.trackerName)}</p>
${statusNow(v, now)}${reported(view, now)}<section><h2>History</h2>${history}</section>${more}
<section><h2>About the statuses</h2>${legend({ policy: view.tracker.policy })}</section>`;
  const description = `${v.name}: ${statusLabel(v.status)}${v.current ? ` — ${v.current.how}` : ''}.`;
  return page({ ...frame, title: `${v.name} and the ${v.trackerName} — pactwatch`, description }, main);
}
