// The operators' page (/sources): every configured source, how far it is believed, when it was
// last read, its last error in words, and when it is read next; a live stream's phase and counts.
import type { Config, Source } from '../config/types.js';
import { escapeMarkup as esc } from '../text/markup.js';
import type { SourceState } from '../model/ledger.js';
import type { StreamStatus } from '../model/stream.js';
import { link, page, type Frame } from './html.js';
import type { PageLedger } from './ledger-view.js';
import { streamReadWords } from './stream-words.js';
import { timeTag } from './time-words.js';
import { errorInWords, listWords } from './words.js';

function trustWords(s: Source, config: Config): string {
  if (s.trust === 'press') return 'press: one independent publisher';
  if (s.trust === 'social') return 'social media: never confirms alone';
  if (s.speaksFor === 'all') return 'official, for every party';
  const names = (s.speaksFor ?? []).map((id) => config.trackers.flatMap((t) => t.parties).find((p) => p.id === id)?.name ?? id);
  return names.length ? `official, for ${listWords(names)}` : 'official';
}

function lastError(state: SourceState | undefined, now: Date): string {
  if (!state?.lastError) return '—';
  const when = state.lastErrorAt ? `, ${timeTag(state.lastErrorAt, 'relative', now)}` : '';
  const past = state.lastErrorAt && state.lastSuccess && state.lastSuccess > state.lastErrorAt ? ' <span class="muted">(read fine since)</span>' : '';
  return `<p>${esc(errorInWords(state.lastError))}${when}${past}</p><p class="cite">${esc(state.lastError)}</p>`;
}

/** `stream`: the source's live state, when the daemon runs it as a stream. */
function row(s: Source, state: SourceState | undefined, config: Config, now: Date, stream: StreamStatus | undefined): string {
  const where = stream ? (stream.endpoint ?? '') : (s.url ?? (s.query ? `search: ${s.query}` : s.actor ? `@${s.actor.replace(/^@/, '')}` : ''));
  const place = s.url && !stream ? link(s.url, s.publisher) : esc(s.publisher);
  const warning =
    (state?.unreliableGuids ? `<p class="reported">Warning: ${esc(state.unreliableGuids)}</p>` : '') +
    (state?.degraded ? `<p class="reported">Read in part: ${esc(state.degraded)}</p>` : '');
  const lastRead = stream ? streamReadWords(s, stream, now) : state?.lastSuccess ? timeTag(state.lastSuccess, 'relative', now) : 'never';
  // A stream has no next read: it reads as events come.
  const next = stream ? (stream.phase === 'live' ? 'live' : 'continuous') : state?.gone ? 'no longer read' : state?.nextPoll ? timeTag(state.nextPoll, 'relative', now) : 'not scheduled yet';
  return `<tr><th scope="row">${esc(s.id)}<p class="cite">${place}${where && (stream || !s.url) ? ` · ${esc(where)}` : ''}</p></th><td data-label="Kind">${esc(s.kind)}</td><td data-label="Trust">${esc(trustWords(s, config))}</td><td data-label="Last read">${lastRead}</td><td data-label="Last error">${lastError(state, now)}${warning}</td><td data-label="Next read">${next}</td></tr>`;
}

/** `streams`: the live streams' state, when the daemon runs them; without it a stream's row shows what the store holds. */
export function sourcesPage(config: Config, ledger: PageLedger, frame: Omit<Frame, 'title' | 'description' | 'path'>, now: Date, streams: StreamStatus[] = []): string {
  const table = config.sources.length
    ? `<table class="cards"><caption>${config.sources.length} source${config.sources.length === 1 ? '' : 's'}</caption><thead><tr><th scope="col">Source</th><th scope="col">Kind</th><th scope="col">Trust</th><th scope="col">Last read</th><th scope="col">Last error</th><th scope="col">Next read</th></tr></thead><tbody>${config.sources
        .map((s) => row(s, ledger.sourceState(s.id), config, now, streams.find((live) => live.sourceId === s.id)))
        .join('')}</tbody></table>`
    : '<p>No sources configured.</p>';
  const main = `<p><a href="/">← Who has signed</a></p><h1>Sources</h1><p>Where pactwatch reads the news, and how each read went. An official source confirms a change for the parties it speaks for; the press confirms one when enough independent publishers report it.</p>${table}`;
  return page({ ...frame, title: 'pactwatch: sources', description: `The ${config.sources.length} news sources pactwatch reads, and how each read went.`, path: '/sources' }, main);
}
