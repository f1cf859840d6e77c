// The daemon's live connection to a bluesky-stream source: reads from the stored cursor (minus
// the rewind) on, hands the events in order, in batches, to the caller (which stores each batch
// with its cursor in one transaction), reconnects with back-off across the endpoints, watches the
// connection for silence, and pauses the socket when processing falls behind.
import { ping } from 'undici';
import type { Source } from '../config/types.js';
import type { Item } from '../model/item.js';
import type { StreamStatus } from '../model/stream.js';
import { FrameQueue, type Marks, type QueueStats } from './frame-queue.js';
import { backoffDelay, timerSleep, type Backoff } from './reconnect.js';
import { expiredSpan, followedDids, frameReader, isoOf, missedSpan, openConnection, RETENTION_SECONDS, subscribeUrl, type Connection, type Gap, type ReaderDeps } from './jetstream-read.js';

/** What one batch of events gave: stored by the caller in one transaction, cursor included. */
export interface StreamBatch {
  items: Item[];
  /** Posts deleted by their authors (at:// URIs). */
  deleted: string[];
  /** time_us up to which every event is processed. */
  cursorUs: number;
  /** The source's first run: the present stored as its cursor, silently. */
  first: boolean;
}

export interface StreamTuning extends Marks, Backoff {
  /** Events handed over at most at once, before yielding to the event loop. */
  batchFrames: number;
  /** A connection proven alive with no event for this long is at the present. */
  settleMs: number;
}

const DEFAULT_TUNING: StreamTuning = { backoffMs: 1_000, backoffMaxMs: 300_000, batchFrames: 500, settleMs: 2_000, highFrames: 2_000, lowFrames: 500, highBytes: 8 * 1024 * 1024, lowBytes: 2 * 1024 * 1024 };
const DEFAULT_WATCHDOG_SECONDS = 60;
const DEFAULT_MAX_LAG_SECONDS = 300;
/** Skipped frames told one by one per connection; the rest are counted. */
const MAX_SKIP_LOGS = 10;
const PAUSE_LOG_MS = 60_000;

export interface LiveDeps extends ReaderDeps {
  random: () => number;
  allowPrivateNetwork: boolean;
  /** The cursor stored for the source (time_us), read at each connect; undefined before its first run. */
  cursor: () => number | undefined;
  onBatch: (batch: StreamBatch) => void | Promise<void>;
  /** A span the stream no longer holds (ISO times): the caller polls the other Bluesky sources for it. */
  onGap?: ((fromIso: string, toIso: string) => void) | undefined;
  log?: ((level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => void) | undefined;
  /** Waits out a back-off (default a timer); resolves at once when `signal` aborts. */
  sleep?: ((ms: number, signal: AbortSignal) => Promise<void>) | undefined;
  tuning?: Partial<StreamTuning> | undefined;
}

export interface LiveStream {
  status(): StreamStatus;
  /** Closes the connection; a batch being stored is finished, the rest dropped (the cursor says where to resume). */
  stop(): Promise<void>;
  queue(): QueueStats;
}

/** What one connection reads: where it asked from, and what it has seen so far. */
interface Session {
  askedUs: number;
  /** The first run: events before the present are not read, and the present is stored silently. */
  presentUs: number | undefined;
  skipBeforeUs: number;
  seenEvent: boolean;
  gapTold: boolean;
  skipped: number;
}

export function startStream(source: Source, deps: LiveDeps): LiveStream {
  const tuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const watchdogMs = (source.watchdog ?? DEFAULT_WATCHDOG_SECONDS) * 1000;
  const endpoints = source.urls ?? [source.url!];
  const dids = source.mode === 'authors' ? followedDids(deps.accounts) : undefined;
  const reader = frameReader(source, dids, deps);
  const log = (level: 'info' | 'warn', message: string, fields: Record<string, unknown> = {}) => deps.log?.(level, message, { source: source.id, ...fields });
  // A catch-up pauses and resumes many times a second: told at most once a minute.
  let pauseToldMs = -Infinity;
  let pauses = 0;
  const queue = new FrameQueue(tuning, (paused, stats) => {
    if (!paused || (pauses++, nowMs() - pauseToldMs < PAUSE_LOG_MS)) return;
    log('info', 'stream paused: processing is behind', { frames: stats.frames, bytes: stats.bytes, pauses });
    pauseToldMs = nowMs();
    pauses = 0;
  });
  const stopping = new AbortController();
  const sleep = deps.sleep ?? timerSleep;
  const nowMs = () => deps.now().getTime();
  const status: StreamStatus = { sourceId: source.id, phase: 'connecting', endpoint: null, lagSeconds: 0, maxLagSeconds: source.maxLag ?? DEFAULT_MAX_LAG_SECONDS, lastEventAt: null, reconnects: 0, events: 0, prefiltered: 0, prefilterHits: 0, paused: false, lastError: null, retryAt: null };
  /** time_us up to which every event is processed: the cursor stored. */
  let processedUs = deps.cursor() ?? nowMs() * 1000;
  /** …or later: the present, seen from a quiet live connection (for the lag, never stored). */
  let reachedUs = processedUs;
  let lastEventUs: number | undefined;
  let connected = false;
  let lastByteMs = 0;
  let lastFrameMs = 0;
  let session: Session | undefined;
  let endConnection: ((why?: string) => void) | undefined;
  let working: Promise<void> | undefined;
  let expiredFrom: number | undefined;

  // The caller says what covers the gap, so it logs it.
  const tellGap = (gap: Gap) => deps.onGap?.(isoOf(gap.fromUs), isoOf(gap.toUs));

  /** A connected, empty, quiet connection that still answers is at the present. */
  const atPresent = () => {
    const now = nowMs();
    if (connected && queue.length === 0 && !working && now - lastFrameMs >= tuning.settleMs && now - lastByteMs < watchdogMs) reachedUs = Math.max(reachedUs, now * 1000);
    reachedUs = Math.max(reachedUs, processedUs);
    return Math.max(0, now - reachedUs / 1000);
  };

  const deliver = async (batch: StreamBatch) => {
    try {
      await deps.onBatch(batch);
    } catch (err) {
      // Not stored: the connection ends, and the next one reads it again from the stored cursor.
      queue.clear();
      endConnection?.(`storing a batch failed: ${(err as Error).message}`);
      throw err;
    }
  };

  const work = async () => {
    while (!stopping.signal.aborted && session && (queue.length || session.presentUs !== undefined)) {
      const current = session;
      if (current.presentUs !== undefined) {
        const cursorUs = Math.max(processedUs, current.presentUs);
        current.presentUs = undefined;
        await deliver({ items: [], deleted: [], cursorUs, first: true });
        processedUs = cursorUs;
        continue;
      }
      const items: Item[] = [];
      const deleted: string[] = [];
      let cursorUs = processedUs;
      let events = 0;
      for (const data of queue.take(tuning.batchFrames)) {
        const read = reader.read(data);
        if ('skip' in read) {
          if (++current.skipped <= MAX_SKIP_LOGS) log('warn', 'stream frame skipped', { after: cursorUs, reason: read.skip });
          continue;
        }
        if (read.timeUs < current.skipBeforeUs) continue;
        if (!current.seenEvent) {
          current.seenEvent = true;
          const missed = current.gapTold ? undefined : missedSpan(source, current.askedUs, read.timeUs);
          if (missed) tellGap(missed);
        }
        events++;
        if (read.item) items.push(read.item);
        if (read.deleted) deleted.push(read.deleted);
        cursorUs = Math.max(cursorUs, read.timeUs);
        lastEventUs = Math.max(lastEventUs ?? 0, read.timeUs);
      }
      // A batch is stored whole or not at all: once stopping, the rest is read again next time.
      if (stopping.signal.aborted) return;
      if (items.length || deleted.length || cursorUs > processedUs) await deliver({ items, deleted, cursorUs, first: false });
      processedUs = Math.max(processedUs, cursorUs);
      status.events += events;
      await new Promise((r) => setImmediate(r));
    }
  };
  const kick = () => {
    working ??= work()
      .catch((err) => log('warn', 'stream batch not stored', { error: (err as Error).message }))
      .finally(() => (working = undefined));
  };

  /** One connection to `endpoint`, until it ends; true when it delivered events. */
  const connect = (endpoint: string): Promise<boolean> => {
    const stored = deps.cursor();
    const fromUs = stored ?? nowMs() * 1000;
    const expired = stored === undefined ? undefined : expiredSpan(stored, nowMs() * 1000, source.retention ?? RETENTION_SECONDS);
    if (expired && expiredFrom !== expired.fromUs) {
      expiredFrom = expired.fromUs;
      tellGap(expired);
    }
    const url = subscribeUrl(endpoint, dids, fromUs);
    session = { askedUs: Number(new URL(url).searchParams.get('cursor')), presentUs: stored === undefined ? fromUs : undefined, skipBeforeUs: stored === undefined ? fromUs : 0, seenEvent: false, gapTold: expired !== undefined, skipped: 0 };
    Object.assign(status, { phase: 'connecting', endpoint, retryAt: null });
    const connection: Connection = openConnection(url, deps.allowPrivateNetwork || source.allowPrivateNetwork === true);
    const { ws } = connection;
    let frames = 0;
    return new Promise<boolean>((resolve) => {
      let pinged = false;
      let ended = false;
      const end = (why?: string) => {
        if (ended) return;
        ended = true;
        if (endConnection === end) endConnection = undefined;
        clearInterval(watchdog);
        connected = false;
        queue.detach();
        connection.close();
        if (why !== undefined) {
          status.lastError = `${endpoint}: ${why}`;
          log('warn', 'stream disconnected', { endpoint, reason: why, frames });
        }
        resolve(frames > 0);
      };
      endConnection = end;
      const heard = () => {
        lastByteMs = nowMs();
        pinged = false;
      };
      ws.onopen = () => {
        connected = true;
        status.phase = 'catching-up';
        lastFrameMs = nowMs();
        heard();
        const socket = connection.socket();
        socket?.on('data', heard);
        queue.attach(socket);
        log('info', 'stream connected', { endpoint, cursor: session?.askedUs });
        // The first run starts at the present: store it now, before any event.
        if (session?.presentUs !== undefined) kick();
      };
      // From the start: an upgrade that is never answered ends too.
      lastByteMs = nowMs();
      const watchdog = setInterval(() => {
        // A socket we paused is silent on purpose.
        if (queue.paused) return heard();
        const silentMs = nowMs() - lastByteMs;
        if (silentMs >= watchdogMs) return end(`${connected ? 'no byte' : 'no answer to the WebSocket upgrade'} for ${Math.round(silentMs / 1000)} s (watchdog ${watchdogMs / 1000} s)`);
        if (connected && silentMs >= watchdogMs / 2 && !pinged) {
          pinged = true;
          // The pong, like any byte, proves the connection alive.
          try {
            ping(ws);
          } catch {
            // Closing already: the watchdog ends it if nothing more comes.
          }
        }
      }, Math.max(10, watchdogMs / 4));
      ws.onmessage = (message) => {
        frames++;
        lastFrameMs = nowMs();
        queue.push(message.data as string | ArrayBuffer);
        kick();
      };
      let failure: string | undefined;
      ws.onerror = (event) => {
        const fault = event as unknown as { error?: unknown };
        failure = fault.error instanceof Error && fault.error.message ? fault.error.message : undefined;
        // An open connection's close follows, with its code; one never opened ends here.
        if (!connected) end(connection.refused()?.message ?? failure ?? 'no WebSocket connection (refused, or not a Jetstream /subscribe endpoint)');
      };
      ws.onclose = (event) => end(`the connection closed (${event.code}${event.reason ? ` ${event.reason}` : ''})${failure ? `: ${failure}` : ''}`);
    });
  };

  const run = async () => {
    let attempt = 0;
    for (let n = 0; !stopping.signal.aborted; n++) {
      if (n > 0) status.reconnects++;
      const endpoint = endpoints[n % endpoints.length]!;
      let delivered = false;
      try {
        delivered = await connect(endpoint);
      } catch (err) {
        // Not a fault of the connection (a bad URL, the store unreadable): tried again all the same.
        status.lastError = `${endpoint}: ${(err as Error).message}`;
        log('warn', 'stream not connected', { endpoint, reason: (err as Error).message });
      }
      // Resume only from what is stored: the queue is processed first.
      while (working) await working;
      if (stopping.signal.aborted) break;
      if (delivered) attempt = 0;
      const delay = backoffDelay(attempt++, deps.random, tuning);
      Object.assign(status, { phase: 'waiting', retryAt: new Date(nowMs() + delay).toISOString() });
      await sleep(delay, stopping.signal);
    }
  };
  const running = run();

  return {
    status() {
      const lagMs = atPresent();
      const phase = stopping.signal.aborted ? 'stopped' : !connected ? status.phase : lagMs <= tuning.settleMs ? 'live' : 'catching-up';
      if (connected) status.phase = phase;
      return { ...status, phase, lagSeconds: lagMs / 1000, lastEventAt: lastEventUs === undefined ? null : isoOf(lastEventUs), prefiltered: reader.prefiltered, prefilterHits: reader.prefilterHits, paused: queue.paused };
    },
    async stop() {
      stopping.abort();
      status.phase = 'stopped';
      queue.clear();
      endConnection?.();
      await working;
      await running;
    },
    queue: () => queue.stats(),
  };
}
