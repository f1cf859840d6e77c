// The daemon's HTTP surface: /, /api/status.json, /feed.atom, /healthz, /metrics.
import { createServer, type Server } from 'node:http';
import type { Config } from '../config/types.js';
import type { Store } from '../store/store.js';
import { statusSnapshot } from '../status/snapshot.js';
import { atomFeed } from './atom.js';
import type { Metrics } from './metrics.js';
import { statusPage } from './page.js';

/** What the server reads: the config and the ledger, never the raw database. */
export interface Served {
  config: Config;
  store: Store;
}

export interface Health {
  healthy: boolean;
  reason: string;
}

/** Healthy when the database answers and, once a poll cycle is due, the last one is recent. */
export function health(app: Served, startedAt: Date, now: Date, staleAfterMs: number): Health {
  try {
    app.store.ping();
  } catch (err) {
    return { healthy: false, reason: `database: ${(err as Error).message}` };
  }
  if (app.config.sources.length === 0) return { healthy: true, reason: 'database answers; no sources to poll' };
  const polled = app.store
    .sourceStates()
    .map((s) => Math.max(s.lastSuccess ? Date.parse(s.lastSuccess) : 0, app.store.sourceState(s.id)?.lastErrorAt ? Date.parse(app.store.sourceState(s.id)!.lastErrorAt!) : 0))
    .reduce((a, b) => Math.max(a, b), 0);
  if (now.getTime() - startedAt.getTime() < staleAfterMs) return { healthy: true, reason: 'starting: first poll cycle not yet due' };
  if (now.getTime() - polled > staleAfterMs) return { healthy: false, reason: `no poll for ${Math.round((now.getTime() - polled) / 1000)} s` };
  return { healthy: true, reason: 'database answers; polls are recent' };
}

/** `closing`: true once the daemon is stopping; each answer then closes its connection. */
export function createWebServer(app: Served, metrics: Metrics, options: { startedAt: Date; staleAfterMs: number; now?: () => Date; closing?: () => boolean }): Server {
  const now = options.now ?? (() => new Date());
  return createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) =>
      void res
        .writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...(options.closing?.() ? { connection: 'close' } : {}) })
        .end(body);
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'GET only\n');
      const base = `http://${req.headers.host ?? 'localhost'}`;
      switch (path) {
        case '/':
          return send(200, 'text/html; charset=utf-8', statusPage(statusSnapshot(app.config, app.store), app.store.transitions(), now()));
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
