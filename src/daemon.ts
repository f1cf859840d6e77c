// `pactwatch run`: the scheduler, the outbox publisher and the HTTP server in one process.
// SIGTERM/SIGINT stop scheduling, let in-flight work finish, close the server and the database,
// and exit 0 well within 8 seconds.
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { openApp } from './app.js';
import type { Paths } from './commands.js';
import { blueskyAccounts, blueskyReader, ingest, refusedItems, wantsArticle } from './polling.js';
import { createLogger } from './logger.js';
import { drainOutbox } from './publish/outbox.js';
import { intervalMs, nextRun, scheduleSources, setSchedulerLogger } from './scheduler.js';
import { Fetcher } from './sources/fetch.js';
import { fetchSettings, pollSource } from './sources/poll.js';
import { PACKAGED_CONFIG_DIR } from './config/load.js';
import { createMetrics } from './web/metrics.js';
import { createWebServer } from './web/server.js';
import { join } from 'node:path';

const OUTBOX_EVERY_MS = 30_000;
const SHUTDOWN_GRACE_MS = 6_000;

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(PACKAGED_CONFIG_DIR, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export async function run(paths: Paths): Promise<void> {
  const log = createLogger(paths.env.logLevel ?? 'info');
  setSchedulerLogger(log.child({ subsystem: 'scheduler' }));
  // An error nothing caught ends the process (the container restarts it); the store is
  // transactional, so nothing is lost.
  const fatal = (err: unknown) => {
    log.fatal({ subsystem: 'daemon', err }, 'unhandled error; exiting');
    process.exit(1);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  const app = openApp({ ...paths, writer: true });
  const metrics = createMetrics(version());
  const fetcher = new Fetcher(fetchSettings(app.config.settings, app.allowPrivateNetwork));
  const bluesky = await blueskyReader(app, paths.env);
  const accounts = blueskyAccounts(app);
  const startedAt = new Date();
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;
  const track = <T>(p: Promise<T>) => {
    inFlight.add(p);
    // Forget it either way; the caller handles its failure (a derived promise must not reject).
    const forget = () => void inFlight.delete(p);
    p.then(forget, forget);
    return p;
  };

  const drain = async () => {
    const publisher = await app.publisher();
    const p = app.config.settings.publish;
    for (const a of await drainOutbox(app.store, publisher, { limit: p.maxPostsPerRun, spacingMs: publisher.name === 'dry-run' ? 0 : p.spacingSeconds * 1000 })) {
      metrics.posts.inc({ state: a.state });
      (a.state === 'queued' || a.state === 'failed' || a.state === 'held' ? log.warn.bind(log) : log.info.bind(log))({ subsystem: 'publish', alert: a.id, state: a.state, error: a.lastError ?? undefined }, 'alert');
    }
  };

  const pollOne = async (id: string) => {
    if (stopping) return;
    const source = app.config.sources.find((s) => s.id === id)!;
    const end = metrics.pollSeconds.startTimer({ source: id });
    const poll = await pollSource(fetcher, source, app.store.sourceState(id), {
      now: () => new Date(),
      random: Math.random,
      force: false,
      bluesky,
      accounts,
      nextRun: (s) => nextRun(s.schedule),
      intervalMs: (s) => intervalMs(s.schedule),
      wantsArticle: wantsArticle(app),
    });
    end();
    metrics.polls.inc({ source: id, outcome: poll.outcome });
    const { results, warning } = ingest(app, poll);
    for (const r of refusedItems(poll, results)) log.warn({ subsystem: 'sources', source: id, item: r.id, reason: r.reason }, 'item recorded as failed, not read');
    const fresh = results.filter((r) => !r.duplicate);
    metrics.items.inc({ source: id }, fresh.length);
    metrics.assertions.inc(fresh.reduce((n, r) => n + r.assertions, 0));
    for (const r of fresh) for (const t of r.transitions) metrics.transitions.inc({ tracker: t.tracker });
    const level = poll.outcome === 'error' ? 'warn' : 'info';
    log[level]({ subsystem: 'sources', source: id, outcome: poll.outcome, items: poll.items.length, newItems: fresh.length, error: poll.error }, 'poll');
    if (warning) log.warn({ subsystem: 'sources', source: id, warning }, 'unreliable GUIDs');
    if (fresh.some((r) => r.alerts.length)) await drain();
  };

  const scheduler = scheduleSources(app.config.sources, (id) => track(pollOne(id)), {
    maxJitterMs: 5_000,
    onError: (id, err) => log.error({ subsystem: 'sources', source: id, err }, 'poll failed'),
  });
  const outboxTimer = setInterval(() => void track(drain().catch((err) => log.error({ subsystem: 'publish', err }, 'outbox'))), OUTBOX_EVERY_MS);

  const server = createWebServer(app, metrics, { startedAt, staleAfterMs: 2 * 60 * 60_000 });
  const port = Number(paths.env.port ?? 8080);
  const host = paths.env.host ?? '127.0.0.1';
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(port, host, ready);
  });
  const address = server.address() as AddressInfo;
  log.info({ subsystem: 'web', url: `http://${address.address}:${address.port}/`, sources: app.config.sources.length }, 'listening');
  void track(drain().catch((err) => log.error({ subsystem: 'publish', err }, 'outbox')));

  await new Promise<void>((done) => {
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ subsystem: 'daemon', signal }, 'stopping');
      clearInterval(outboxTimer);
      await scheduler.stop();
      server.closeIdleConnections();
      const closed = new Promise<void>((r) => server.close(() => r()));
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => setTimeout(r, SHUTDOWN_GRACE_MS))]);
      server.closeAllConnections();
      await closed;
      await fetcher.close();
      app.close();
      log.info({ subsystem: 'daemon' }, 'stopped');
      done();
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}
