// `pactwatch run`: the scheduler, the outbox publisher and the HTTP server in one process.
// SIGTERM/SIGINT stop scheduling and close idle connections at once, give the work in flight a
// grace period, then cut short what is left (its requests are aborted), close the database and
// exit 0: at once when idle, and with the default grace within 8 seconds in every case. A
// bluesky-stream source is no scheduled poll but a live connection (pipeline/streams.ts).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { DAEMON_RUNTIME_V8_FLAGS } from '../node-flags.js';
import { realDeps } from '../app.js';
import { checkConfigApart } from '../config/check-patterns.js';
import { loadConfig } from '../config/load.js';
import { daemonSettings, type Runtime } from '../config/settings.js';
import { PactwatchError } from '../errors.js';
import { createLogger } from '../logger.js';
import { drain } from '../pipeline/drain.js';
import { countFresh, ingest, pollDeps, refusedItems } from '../pipeline/poll.js';
import { nextRun, scheduleSources, setSchedulerLogger } from '../pipeline/scheduler.js';
import { realNextPoll, startUpPlan, startUpPolls } from '../pipeline/start-up.js';
import { startStreams, type Streams } from '../pipeline/streams.js';
import { initialState } from '../sources/poll.js';
import type { Fetcher } from '../http/fetch.js';
import { pollSource, type PollDeps } from '../sources/poll.js';
import { createMetrics } from '../web/metrics.js';
import { createWebServer } from '../web/server.js';
import { packageVersion } from '../version.js';
import { openCommandApp } from './open.js';

const OUTBOX_EVERY_MS = 30_000;
/** After the grace period, how long work whose requests were aborted may take to record that. */
const SETTLE_MS = 1_000;

/** Listens, or says in one line why it cannot and what to do. */
function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((ready, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why: Record<string, string> = {
        EADDRINUSE: `port ${port} on ${host} is in use: is another pactwatch running? Stop it, or set PACTWATCH_PORT to a free port`,
        EACCES: `port ${port} on ${host} needs privileges this process lacks: set PACTWATCH_PORT to a port above 1023`,
        EADDRNOTAVAIL: `${host} is not an address of this machine: set PACTWATCH_HOST (127.0.0.1, or 0.0.0.0 for every interface)`,
        ENOTFOUND: `${host} is not an address of this machine: set PACTWATCH_HOST (127.0.0.1, or 0.0.0.0 for every interface)`,
      };
      fail(new PactwatchError('PW_LISTEN', why[err.code ?? ''] ?? `cannot listen on ${host}:${port}: ${err.message}`, { cause: err }));
    });
    server.listen(port, host, ready);
  });
}

/** True when every promise has settled within `ms`; false when the time ran out first. */
async function settledWithin(work: Promise<unknown>[], ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([Promise.allSettled(work).then(() => true), late]);
  } finally {
    // A timer left behind would keep the process alive for the rest of the grace period.
    clearTimeout(timer);
  }
}

export async function run(runtime: Runtime): Promise<void> {
  for (const flag of DAEMON_RUNTIME_V8_FLAGS) setFlagsFromString(flag);
  const { stopGraceMs: grace, port, host, logLevel } = daemonSettings(runtime.env);
  const log = createLogger(logLevel);
  setSchedulerLogger(log.child({ subsystem: 'scheduler' }));
  // An error nothing caught ends the process (the container restarts it); the store is
  // transactional, so nothing is lost.
  const fatal = (err: unknown) => {
    log.fatal({ subsystem: 'daemon', err }, 'unhandled error; exiting');
    process.exit(1);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  // Two moments of a stop: `stopping` (the signal came) starts nothing new; `cutShort` (the
  // grace period is over) aborts every request in flight: feeds, article pages, Bluesky.
  const stopping = new AbortController();
  const cutShort = new AbortController();
  // The backtracking check runs in a child process, which gives back the memory it takes.
  checkConfigApart(runtime.configDir);
  const config = loadConfig(runtime.configDir, { backtracking: false });
  const app = openCommandApp(runtime, { writer: true, config }, realDeps({ logger: log, stop: cutShort.signal }));
  // Compiled now, so that the first poll does not wait for it.
  void app.extractor;
  const metrics = createMetrics(packageVersion());
  const startedAt = app.deps.now();
  // Started once the server listens; the server asks for their state.
  const live: { streams?: Streams } = {};
  const server = createWebServer({ config: app.config, store: app.store, streams: () => live.streams?.statuses() ?? [] }, metrics, { startedAt, staleAfterMs: 2 * 60 * 60_000, now: app.deps.now, closing: () => stopping.signal.aborted });
  let fetcher: Fetcher;
  let pollWith: PollDeps;
  try {
    fetcher = await app.fetcher();
    // Before listening: a start that fails must not leave a server answering with nothing scheduled.
    pollWith = await pollDeps(app, { scheduled: true });
    await listen(server, port, host);
  } catch (err) {
    await app.close();
    throw err;
  }
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>) => {
    inFlight.add(p);
    // Forget it either way; the caller handles its failure (a derived promise must not reject).
    const forget = () => void inFlight.delete(p);
    p.then(forget, forget);
    return p;
  };

  // One drain at a time; one asked for meanwhile runs right after it, for the alerts it missed.
  let draining: Promise<void> | undefined;
  let drainAgain = false;
  const publishAlerts = (): Promise<void> => {
    if (draining) return void (drainAgain = true), draining;
    const pass = async () => {
      do {
        drainAgain = false;
        for (const a of await drain(app, { stopping: stopping.signal })) metrics.posts.inc({ state: a.state });
      } while (drainAgain && !stopping.signal.aborted);
    };
    draining = track(pass().finally(() => (draining = undefined)));
    return draining;
  };

  /** Stores when the source really polls next, so status and the page never show a past time. */
  const recordNextPoll = (id: string) => {
    const state = app.store.sourceState(id);
    const next = state && realNextPoll(app.config.sources.find((s) => s.id === id)!.schedule, state, app.deps.now());
    if (state && next) app.store.saveSourceState({ ...state, nextPoll: next });
  };

  const polledSinceStart = (id: string) => {
    const state = app.store.sourceState(id);
    const last = Math.max(Date.parse(state?.lastSuccess ?? '') || 0, Date.parse(state?.lastErrorAt ?? '') || 0);
    return last >= startedAt.getTime();
  };
  // A start-up poll and a cron tick of one source must not run at once: the later one is dropped.
  const polling = new Set<string>();
  const pollOne = async (id: string, options: { startUp?: boolean; force?: boolean } = {}) => {
    if (stopping.signal.aborted || polling.has(id) || (options.startUp && polledSinceStart(id))) return;
    polling.add(id);
    try {
      await pollAndIngest(id, (options.startUp ?? false) || (options.force ?? false));
    } finally {
      polling.delete(id);
    }
  };
  const pollAndIngest = async (id: string, force: boolean) => {
    const source = app.config.sources.find((s) => s.id === id)!;
    const end = metrics.pollSeconds.startTimer({ source: id });
    // The start-up poll comes before the stored schedule; `force` still honours a back-off.
    const poll = await pollSource(fetcher, source, app.store.sourceState(id), force ? { ...pollWith, force: true } : pollWith);
    end();
    metrics.polls.inc({ source: id, outcome: poll.outcome });
    const { results, warning } = ingest(app, poll);
    recordNextPoll(id);
    for (const r of refusedItems(poll, results)) log.warn({ subsystem: 'sources', source: id, item: r.id, reason: r.reason }, 'item recorded as failed, not read');
    const fresh = countFresh(metrics, id, results);
    const level = poll.outcome === 'error' ? 'warn' : 'info';
    log[level]({ subsystem: 'sources', source: id, outcome: poll.outcome, items: poll.items.length, newItems: fresh.length, error: poll.error }, 'poll');
    if (warning) log.warn({ subsystem: 'sources', source: id, warning }, 'unreliable GUIDs');
    if (poll.degraded) log.warn({ subsystem: 'sources', source: id, degraded: poll.degraded }, 'document read in part');
    for (const n of poll.notes ?? []) log.info({ subsystem: 'sources', source: id, note: n }, 'feed note');
    if (fresh.some((r) => r.alerts.length)) await publishAlerts();
  };

  const polled = app.config.sources.filter((s) => s.kind !== 'bluesky-stream');
  const scheduler = scheduleSources(polled, (id) => track(pollOne(id)), {
    maxJitterMs: 5_000,
    onError: (id, err) => log.error({ subsystem: 'sources', source: id, err }, 'poll failed'),
  });
  const plannedAt = app.deps.now();
  const plan = startUpPlan(
    polled.map((s) => s.id),
    (id) => app.store.sourceState(id),
    plannedAt,
  );
  for (const { id, at } of plan.polls) {
    const source = app.config.sources.find((s) => s.id === id)!;
    // A source whose cron time comes first is polled then (a start-up poll after it is dropped).
    const first = Math.min(at.getTime(), nextRun(source.schedule)?.getTime() ?? Infinity);
    app.store.saveSourceState({ ...(app.store.sourceState(id) ?? initialState(source)), nextPoll: new Date(first).toISOString() });
  }
  for (const { id } of plan.waiting) recordNextPoll(id);
  const startUp = startUpPolls(plan, plannedAt, (id) => void track(pollOne(id, { startUp: true }).catch((err) => log.error({ subsystem: 'sources', source: id, err }, 'poll failed'))), {
    setTimeout: (run, ms) => setTimeout(run, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  });
  log.info({ subsystem: 'scheduler', startUpPolls: plan.polls.length, waiting: plan.waiting.map((w) => w.id) }, 'polling every source once at start');
  const streams = (live.streams = startStreams(app, {
    log: log.child({ subsystem: 'stream' }),
    metrics,
    publish: () => void publishAlerts().catch((err) => log.error({ subsystem: 'publish', err }, 'outbox')),
    pollNow: (id) => void track(pollOne(id, { force: true }).catch((err) => log.error({ subsystem: 'sources', source: id, err }, 'poll failed'))),
    accounts: pollWith.stream!.knownAccounts!,
  }));
  const outboxTimer = setInterval(() => void track(publishAlerts().catch((err) => log.error({ subsystem: 'publish', err }, 'outbox'))), OUTBOX_EVERY_MS);
  const address = server.address() as AddressInfo;
  log.info({ subsystem: 'web', url: `http://${address.address}:${address.port}/`, sources: app.config.sources.length }, 'listening');
  void track(publishAlerts().catch((err) => log.error({ subsystem: 'publish', err }, 'outbox')));

  await new Promise<void>((done) => {
    const stop = async (signal: string) => {
      if (stopping.signal.aborted) return;
      stopping.abort();
      log.info({ subsystem: 'daemon', signal, inFlight: inFlight.size }, 'stopping');
      clearInterval(outboxTimer);
      startUp.stop();
      await scheduler.stop();
      // Streams close their sockets at once; a batch being stored is finished.
      const streamsStopped = track(streams.stop());
      // No new connections; idle keep-alive ones close now, busy ones once they have answered
      // (the server says Connection: close while stopping).
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      if (!(await settledWithin([...inFlight, streamsStopped, closed], grace))) {
        log.warn({ subsystem: 'daemon', inFlight: inFlight.size, graceSeconds: grace / 1000 }, 'grace period over; cutting short the work in flight');
        cutShort.abort();
        server.closeAllConnections();
        await settledWithin([...inFlight, closed], SETTLE_MS);
      }
      // The fetcher first (its requests end), then the database.
      await app.close();
      log.info({ subsystem: 'daemon', unfinished: inFlight.size }, 'stopped');
      done();
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}
