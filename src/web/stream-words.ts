// A live stream's state as the sources page says it: its phase in words, what it has read since
// the daemon started, and the firehose prefilter's hit-rate.
import type { Source } from '../config/types.js';
import type { StreamStatus } from '../model/stream.js';
import { escapeMarkup as esc } from '../text/markup.js';
import { timeTag } from './time-words.js';
import { errorInWords } from './words.js';

const count = new Intl.NumberFormat('en-US');
const NBSP = '\u00a0';

/** "45 s", "2 min", "3 h": how far behind, rounded down. */
export function lagWords(seconds: number): string {
  if (seconds < 90) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h`;
}

/** "14:02 UTC", with the exact time on hover. */
function clockTag(iso: string, now: Date): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return esc(iso);
  const tag = timeTag(iso, 'exact', now);
  const hhmm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}${NBSP}UTC`;
  return tag.replace(/>[^<]*<\/time>$/, `>${hhmm}</time>`);
}

/** Markup: "live", "catching up, 2 min behind", "reconnecting at 14:02 UTC after: …", "paused: extraction is behind". */
export function phaseWords(s: StreamStatus, now: Date): string {
  if (s.paused) return 'paused: extraction is behind';
  switch (s.phase) {
    case 'live':
      return 'live';
    case 'catching-up':
      return `catching up, ${lagWords(s.lagSeconds)} behind`;
    case 'connecting':
      return 'connecting';
    case 'stopped':
      return 'stopped';
    case 'waiting': {
      const when = s.retryAt ? ` at ${clockTag(s.retryAt, now)}` : '';
      return `reconnecting${when}${s.lastError ? ` after: ${esc(errorInWords(s.lastError))}` : ''}`;
    }
  }
}

const plural = (n: number, word: string) => `${count.format(n)} ${word}${n === 1 ? '' : 's'}`;

/** Markup for the row's "Last read" cell: the phase, then the last event and the counts since the start. */
export function streamReadWords(source: Source, s: StreamStatus, now: Date): string {
  const facts = [`${plural(s.events, 'event')} since start`, plural(s.reconnects, 'reconnect')];
  if (s.lastEventAt) facts.unshift(`last event ${timeTag(s.lastEventAt, 'relative', now)}`);
  if (source.mode === 'firehose') {
    const rate = s.prefiltered ? `${((100 * s.prefilterHits) / s.prefiltered).toFixed(1)}%` : undefined;
    facts.push(rate ? `prefilter hit-rate ${rate} (${count.format(s.prefilterHits)} of ${plural(s.prefiltered, 'post')})` : 'prefilter: no posts yet');
  }
  return `<p>${phaseWords(s, now)}</p><p class="cite">${facts.join(' · ')}</p>`;
}
