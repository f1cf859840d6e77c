// The status pages' routes: which page a path asks for, how to render it, and what its cached
// copy depends on.
import type { Config, Tracker } from '../config/types.js';
import type { StreamStatus } from '../model/stream.js';
import type { Frame } from './html.js';
import { sourcesLastRead, trackerView, type PageLedger } from './ledger-view.js';
import { statusPage } from './page.js';
import { partyPage, partyPageView } from './party-page.js';
import { sourcesPage } from './sources-page.js';
import { statusLabel } from './words.js';

export interface SitePage {
  type: string;
  /** What the page shows besides the data: the minute (relative times), or the day (the board's date). */
  clock: 'minute' | 'day';
  /** What else the cached copy depends on that the store does not hold: the live streams' phases. */
  live?: () => string;
  render(): string | Buffer | Promise<string | Buffer>;
}

const HTML = 'text/html; charset=utf-8';
const PARTY = /^\/p\/([a-z0-9][a-z0-9-]*)\/([a-z0-9][a-z0-9-]*)$/;
const BOARD = /^\/board\/([a-z0-9][a-z0-9-]*)\.png$/;

export function boardPath(tracker: string): string {
  return `/board/${tracker}.png`;
}

function boardRows(tracker: Tracker, ledger: PageLedger) {
  return tracker.parties.map((p) => ({ name: p.name, status: ledger.partyState(tracker.id, p.id).status }));
}

/** The card's image for a page about `tracker`: its status board. */
function image(tracker: Tracker | undefined, ledger: PageLedger): Frame['image'] {
  if (!tracker) return undefined;
  const rows = boardRows(tracker, ledger);
  return { path: boardPath(tracker.id), alt: `${tracker.name}: ${rows.map((r) => `${r.name} ${statusLabel(r.status).toLowerCase()}`).join('; ')}.` };
}

/**
 * The page `path` names, or undefined (not a page of the site). `base`: the address it was asked
 * on; `streams`: the live streams' state, when the daemon runs them.
 */
export function sitePage(path: string, config: Config, ledger: PageLedger, base: string, now: () => Date, streams?: () => StreamStatus[]): SitePage | undefined {
  const settings = config.settings.page;
  const frame = { base: settings?.url?.replace(/\/+$/, '') ?? base, bluesky: settings?.bluesky };
  const first = config.trackers[0];
  // A stream's phase changes without the store changing: it is part of what a cached page shows.
  const live = () => (streams?.() ?? []).map((s) => `${s.sourceId}:${s.phase}:${s.paused}:${s.endpoint}`).join(' ');
  if (path === '/') {
    return {
      type: HTML,
      clock: 'minute',
      live,
      render: () => {
        const streamLive = (streams?.() ?? []).some((s) => s.phase === 'live');
        const site = { trackers: config.trackers.map((t) => trackerView(t, ledger)), sourcesLastRead: sourcesLastRead(config, ledger), partyNoun: settings?.partyNoun ?? 'parties', streamLive };
        return statusPage(site, { ...frame, image: image(first, ledger) }, now());
      },
    };
  }
  if (path === '/sources') {
    return {
      type: HTML,
      // The counts and the lag move with every event: the minute's clock renews them; a change of phase shows at once.
      clock: 'minute',
      live,
      render: () => sourcesPage(config, ledger, { ...frame, image: image(first, ledger) }, now(), streams?.()),
    };
  }
  const party = PARTY.exec(path);
  if (party) {
    const tracker = config.trackers.find((t) => t.id === party[1]);
    if (!tracker?.parties.some((p) => p.id === party[2])) return undefined;
    return {
      type: HTML,
      clock: 'minute',
      render: () => partyPage(partyPageView(tracker, party[2]!, ledger)!, { ...frame, path, image: image(tracker, ledger) }, now()),
    };
  }
  const board = BOARD.exec(path);
  if (board) {
    const tracker = config.trackers.find((t) => t.id === board[1]);
    if (!tracker) return undefined;
    return {
      type: 'image/png',
      clock: 'day',
      render: async () => {
        // resvg is heavy to load: only when a card is first asked for.
        const { renderBoard } = await import('../alert/board.js');
        return renderBoard(tracker.name, boardRows(tracker, ledger), now().toISOString().slice(0, 10)).png;
      },
    };
  }
  return undefined;
}
