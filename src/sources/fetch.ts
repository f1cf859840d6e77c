// The one fetch layer every HTTP source shares: conditional GET, a body cap counted after
// decompression, a total deadline, bounded redirects, and at most one request at a time per
// host with spacing between them. Never throws: every failure is an outcome with a message.
import { Agent, fetch, type Dispatcher } from 'undici';
import { StopLink } from '../stop-signal.js';

export interface FetchSettings {
  /** Bytes of body after decompression (default 15 MiB). */
  maxBytes: number;
  /** The whole request, body included (default 20 s). */
  deadlineMs: number;
  connectTimeoutMs: number;
  maxRedirects: number;
  userAgent: string;
  /** Pause between two requests to one host (default 1 s; tests lift it). */
  hostSpacingMs: number;
}

export const DEFAULT_FETCH: FetchSettings = {
  maxBytes: 15 * 1024 * 1024,
  deadlineMs: 20_000,
  connectTimeoutMs: 10_000,
  maxRedirects: 5,
  userAgent: 'pactwatch/0.1 (+https://github.com/pactwatch/pactwatch)',
  hostSpacingMs: 1_000,
};

export interface Validators {
  etag?: string | null | undefined;
  lastModified?: string | null | undefined;
}

export type FetchOutcome =
  | { kind: 'ok'; body: Buffer; contentType: string | undefined; validators: Validators; url: string; permanentUrl?: string }
  | { kind: 'not-modified'; validators: Validators; permanentUrl?: string }
  | { kind: 'retry-later'; status: number; retryAfterMs: number | undefined; message: string }
  | { kind: 'gone'; message: string }
  | { kind: 'error'; status?: number; message: string };

export interface FetchDeps {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  dispatcher?: Dispatcher;
  /** Aborted when the daemon stops: requests in flight end at once, and no new one starts. */
  stop?: AbortSignal;
}

/** What a request cut short by the stop signal reports (pollSource knows it by the signal, not by this text). */
export const STOPPED_MESSAGE = 'cut short: pactwatch was stopping';

/**
 * `base` with `signals()` and `stop` added to each request's own signal (in its init, or in the
 * Request it is given): how the Bluesky clients, which bring their own fetch, get a deadline and
 * the daemon's stop.
 */
export function fetchWithSignals(base: typeof globalThis.fetch, signals: () => AbortSignal[], stop?: AbortSignal): typeof globalThis.fetch {
  const link = stop ? new StopLink(stop) : undefined;
  return async (input, init) => {
    const own = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    // AbortSignal.any only over signals that end with the request (see stop-signal.ts).
    const mine = [...(own ? [own] : []), ...signals()];
    if (!link) return base(input, { ...init, signal: AbortSignal.any(mine) });
    const { signal, release } = link.signal(mine);
    try {
      const res = await base(input, { ...init, signal });
      // The body is read here, so that the stop reaches it too and the request has ended when
      // the link is released. (Bluesky's answers are small JSON documents.)
      const empty = res.body === null || [101, 204, 205, 304].includes(res.status);
      const body = empty ? null : await res.arrayBuffer();
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    } finally {
      release();
    }
  };
}

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function describe(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? '';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'connect timeout';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'host not found';
  return e.cause?.message ?? e.message ?? String(err);
}

export class Fetcher {
  private readonly settings: FetchSettings;
  private readonly dispatcher: Dispatcher;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly stop: StopLink | undefined;
  /** Per host: when the last request there ended, chained so requests wait their turn. */
  private readonly hosts = new Map<string, Promise<number>>();

  constructor(settings: Partial<FetchSettings> = {}, deps: FetchDeps = {}) {
    this.settings = { ...DEFAULT_FETCH, ...settings };
    this.dispatcher = deps.dispatcher ?? new Agent({ connect: { timeout: this.settings.connectTimeoutMs } });
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.stop = deps.stop && new StopLink(deps.stop);
  }

  /** Waits for requests in flight to end; once the stop signal has fired, ends them at once. */
  async close(): Promise<void> {
    await (this.stop?.stopped ? this.dispatcher.destroy() : this.dispatcher.close());
  }

  /** GET `url`, one request at a time per host. */
  get(url: string, validators: Validators = {}): Promise<FetchOutcome> {
    let host: string;
    try {
      host = new URL(url).host;
    } catch {
      return Promise.resolve({ kind: 'error', message: `not a URL: ${url}` });
    }
    const previous = this.hosts.get(host) ?? Promise.resolve(0);
    const turn = previous.then(async (lastEnd): Promise<FetchOutcome> => {
      const wait = lastEnd + this.settings.hostSpacingMs - this.now();
      if (lastEnd > 0 && wait > 0 && !this.stop?.stopped) await this.pause(wait);
      if (this.stop?.stopped) return { kind: 'error', message: STOPPED_MESSAGE };
      return this.request(url, validators);
    });
    this.hosts.set(
      host,
      turn.then(
        () => this.now(),
        () => this.now(),
      ),
    );
    return turn;
  }

  /** The pause between two requests to a host, ended early by the stop signal. */
  private async pause(ms: number): Promise<void> {
    if (!this.stop) return this.sleep(ms);
    const { signal, release } = this.stop.signal([]);
    try {
      await Promise.race([this.sleep(ms), new Promise<void>((woken) => signal.addEventListener('abort', () => woken(), { once: true }))]);
    } finally {
      release();
    }
  }

  private async request(start: string, validators: Validators): Promise<FetchOutcome> {
    const s = this.settings;
    const deadline = AbortSignal.timeout(s.deadlineMs);
    const { signal, release } = this.stop ? this.stop.signal([deadline]) : { signal: deadline, release: () => {} };
    let url = start;
    let permanent = true;
    try {
      for (let hop = 0; ; hop++) {
        const headers: Record<string, string> = { 'user-agent': s.userAgent, accept: 'application/rss+xml, application/atom+xml, application/xml, text/xml, text/html;q=0.9, */*;q=0.5' };
        if (validators.etag) headers['if-none-match'] = validators.etag;
        if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
        const res = await fetch(url, { headers, redirect: 'manual', signal, dispatcher: this.dispatcher });
        const moved = permanent && hop > 0 ? { permanentUrl: url } : {};
        if (res.status >= 300 && res.status < 400 && res.status !== 304) {
          const location = res.headers.get('location');
          await res.body?.cancel();
          if (!location) return { kind: 'error', status: res.status, message: `HTTP ${res.status} without a Location` };
          if (hop >= s.maxRedirects) return { kind: 'error', status: res.status, message: `more than ${s.maxRedirects} redirects (last to ${location})` };
          if (res.status !== 301 && res.status !== 308) permanent = false;
          url = new URL(location, url).toString();
          continue;
        }
        const got: Validators = { etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified') };
        if (res.status === 304) {
          await res.body?.cancel();
          return { kind: 'not-modified', validators: { etag: got.etag ?? validators.etag, lastModified: got.lastModified ?? validators.lastModified }, ...moved };
        }
        if (res.status === 429 || res.status === 503) {
          await res.body?.cancel();
          const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), this.now());
          const when = retryAfterMs === undefined ? '' : `; retry after ${Math.round(retryAfterMs / 1000)} s`;
          return { kind: 'retry-later', status: res.status, retryAfterMs, message: `HTTP ${res.status}${when}` };
        }
        if (res.status === 410) {
          await res.body?.cancel();
          return { kind: 'gone', message: 'HTTP 410 Gone: the feed was removed; polling stopped' };
        }
        if (res.status !== 200) {
          await res.body?.cancel();
          return { kind: 'error', status: res.status, message: `HTTP ${res.status}` };
        }
        const body = await this.readCapped(res.body, s.maxBytes, res.headers.get('content-encoding'));
        if (typeof body === 'string') return { kind: 'error', status: 200, message: body };
        return { kind: 'ok', body, contentType: res.headers.get('content-type') ?? undefined, validators: got, url, ...moved };
      }
    } catch (err) {
      if (this.stop?.stopped) return { kind: 'error', message: STOPPED_MESSAGE };
      if (deadline.aborted) return { kind: 'error', message: `deadline of ${s.deadlineMs / 1000} s passed` };
      return { kind: 'error', message: describe(err) };
    } finally {
      release();
    }
  }

  /** The body, or a message when it is over the cap (counted after decompression), cannot be decompressed, or is cut short. */
  private async readCapped(stream: ReadableStream<Uint8Array> | null, max: number, encoding: string | null): Promise<Buffer | string> {
    if (!stream) return Buffer.alloc(0);
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = stream.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > max) {
          await reader.cancel();
          return `body over ${(max / 1048576).toFixed(0)} MiB after decompression; not read further`;
        }
        chunks.push(value);
      }
    } catch (err) {
      const e = err as { name?: string; cause?: { code?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw err;
      // zlib's codes (Z_DATA_ERROR) and brotli's (ERR__ERROR_FORMAT_…): the body is not what its encoding says.
      if (/^(Z_|ERR__ERROR_)/.test(e.cause?.code ?? '')) return `body could not be decompressed (Content-Encoding: ${encoding}): ${describe(err)}`;
      return `body cut short: ${describe(err)}`;
    }
    return Buffer.concat(chunks, size);
  }
}
