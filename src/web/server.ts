// The daemon's HTTP surface: the status pages (/, /p/{tracker}/{party}, /sources, the board
// image), /api/status.json, /feed.atom, /healthz, /metrics.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Config } from '../config/types.js';
import type { StreamStatus } from '../model/stream.js';
import type { Store } from '../store/store.js';
import { statusSnapshot } from '../status/snapshot.js';
import { atomFeed } from './atom.js';
import { registerStreamMetrics, type Metrics } from './metrics.js';
import { PageCache, stillCurrent } from './page-cache.js';
import { sitePage } from './site.js';

/** What the server reads: the config and the ledger, never the raw database; and the live streams' state, when the daemon runs them. */
export interface Served {
  config: Config;
  store: Store;
  /** The live streams' state (the daemon's bluesky-stream sources). */
  streams?: (() => StreamStatus[]) | undefined;
}

export interface Health {
  healthy: boolean;
  reason: string;
}

/** The last time a source was read, well or not: what says its polls go on. */
function lastPolled(store: Store, id: string): number {
  const state = store.sourceState(id);
  return Math.max(Date.parse(state?.lastSuccess ?? '') || 0, Date.parse(state?.lastErrorAt ?? '') || 0);
}

/**
 * Healthy when the database answers, every live stream is within its maxLag and, once the
 * start-up polls have begun to land, the last poll is recent.
 */
export function health(app: Served, startedAt: Date, now: Date, staleAfterMs: number): Health {
  try {
    app.store.ping();
  } catch (err) {
    return { healthy: false, reason: `database: ${(err as Error).message}` };
  }
  if (app.config.sources.length === 0) return { healthy: true, reason: 'database answers; no sources to poll' };
  const streams = app.streams?.() ?? [];
  const behind = streams.filter((s) => s.phase !== 'stopped' && s.lagSeconds > s.maxLagSeconds);
  if (behind.length) return { healthy: false, reason: behind.map((s) => `stream ${s.sourceId} is ${Math.round(s.lagSeconds)} s behind (maxLag ${s.maxLagSeconds} s)`).join('; ') };
  // A stream the daemon runs is judged by its lag, not by when it last had an event: an authors
  // stream may rightly go hours without one, and its lag stays small while it is connected.
  const running = new Set(streams.map((s) => s.sourceId));
  const polled = app.config.sources.filter((s) => !running.has(s.id));
  const streamsWord = streams.length ? 'every stream is within its maxLag' : undefined;
  if (polled.length === 0) return { healthy: true, reason: `database answers; ${streamsWord}` };
  const last = polled.map((s) => lastPolled(app.store, s.id)).reduce((a, b) => Math.max(a, b), 0);
  // Every source is polled once at start: until one of those polls is recorded the daemon is
  // starting; the first poll since the start ends that, whatever the sources' schedules.
  if (last < startedAt.getTime() && now.getTime() - startedAt.getTime() < staleAfterMs) return { healthy: true, reason: 'starting: the start-up polls are under way' };
  if (now.getTime() - last > staleAfterMs) return { healthy: false, reason: `no poll for ${Math.round((now.getTime() - last) / 1000)} s` };
  return { healthy: true, reason: ['database answers; polls are recent', streamsWord].filter(Boolean).join('; ') };
}

/** `closing`: true once the daemon is stopping; each answer then closes its connection. */
export function createWebServer(app: Served, metrics: Metrics, options: { startedAt: Date; staleAfterMs: number; now?: () => Date; closing?: () => boolean }): Server {
  const now = options.now ?? (() => new Date());
  const pages = new PageCache();
  if (app.streams) registerStreamMetrics(metrics.registry, app.streams);
  return createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const closing = (): Record<string, string> => (options.closing?.() ? { connection: 'close' } : {});
    const send = (status: number, type: string, body: string) =>
      void res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...closing() }).end(body);
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'GET only\n');
      const base = `http://${req.headers.host ?? 'localhost'}`;
      const page = sitePage(path, app.config, app.store, base, now, app.streams);
      if (page) {
        const at = now();
        const stamp = `${app.store.changeMark()} ${page.clock === 'day' ? at.toISOString().slice(0, 10) : Math.floor(at.getTime() / 60_000)} ${page.live?.() ?? ''}`;
        const cached = await pages.get(`${base} ${path}`, stamp, page.render);
        return sendPage(req, res, page.type, cached, closing());
      }
      switch (path) {
        case '/api/status.json':
          return send(200, 'application/json', JSON.stringify(statusSnapshot(app.config, app.store)));
        case '/feed.atom':
          return send(200, 'application/atom+xml; charset=utf-8', atomFeed(app.config, app.store.transitions(), base, now()));
        case '/healthz': {
          const h = health(app, options.startedAt, now(), options.staleAfterMs);
          return send(h.healthy ? 200 : 503, 'application/json', JSON.stringify({ status: h.healthy ? 'ok' : 'unhealthy', reason: h.reason }));
        }
        case '/metrics':
          metrics.outboxDepth.set(app.store.alerts('queued').length + app.store.alerts('held').length);
          return send(200, metrics.registry.contentType, await metrics.registry.metrics());
        default:
          return send(404, 'text/plain', 'not found\n');
      }
    } catch (err) {
      return send(500, 'text/plain', `error: ${(err as Error).message}\n`);
    }
  });
}

/**
 * A page with its ETag, to be checked again on every use (no-cache): a client that holds the
 * current copy gets a 304 with no body. No script runs on these pages, and none may.
 */
function sendPage(req: IncomingMessage, res: ServerResponse, type: string, page: { body: Buffer; etag: string }, extra: Record<string, string>): void {
  const headers = {
    etag: page.etag,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ...extra,
  };
  if (stillCurrent(req.headers['if-none-match'], page.etag)) return void res.writeHead(304, headers).end();
  res.writeHead(200, { ...headers, 'content-type': type, 'content-length': page.body.length }).end(page.body);
}
