// The one fetch layer every HTTP source and link card shares: conditional GET, a body cap counted after
// decompression, a total deadline, bounded redirects, and at most one request at a time per
// host with spacing between them, no connection to an internal address unless allowed, and a
// host that refused us without naming a wait left alone for an hour or two. Never throws: every
// failure is an outcome with a message.
import { Agent, fetch, type Dispatcher } from 'undici';
import { AddressRefused, guardedConnector, type AddressGuard } from './address-guard.js';
import { MAX_FEED_WAIT_MS, retryAfterMs, unnamedWaitMs } from './waits.js';
import { StopLink } from './stop-signal.js';
import { resolvedUrl } from '../text/urls.js';

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
  /** Connect to loopback, private and other internal addresses (PACTWATCH_ALLOW_PRIVATE_NETWORK). */
  allowPrivateNetwork: boolean;
}

export const DEFAULT_FETCH: FetchSettings = {
  maxBytes: 15 * 1024 * 1024,
  deadlineMs: 20_000,
  connectTimeoutMs: 10_000,
  maxRedirects: 5,
  userAgent: 'pactwatch/0.1 (+https://github.com/pactwatch/pactwatch)',
  hostSpacingMs: 1_000,
  allowPrivateNetwork: false,
};

export interface Validators {
  etag?: string | null | undefined;
  lastModified?: string | null | undefined;
}

export type FetchOutcome =
  /** `base`: where the body's relative links resolve, the response's Content-Location or else `url` (after redirects). */
  | { kind: 'ok'; body: Buffer; contentType: string | undefined; validators: Validators; url: string; base: string; permanentUrl?: string }
  | { kind: 'not-modified'; validators: Validators; permanentUrl?: string }
  /**
   * Asked to come back later: `retryAfterMs` is what Retry-After asked (a day at most), or the
   * host's hold when it named no wait. `held`: no request was made, the host is being left alone.
   */
  | { kind: 'retry-later'; status: number; retryAfterMs: number | undefined; message: string; held?: boolean }
  | { kind: 'gone'; message: string }
  | { kind: 'error'; status?: number; message: string };

export interface FetchDeps extends AddressGuard {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Jitters a host's hold. */
  random?: () => number;
  /** Aborted when the daemon stops: requests in flight end at once, and no new one starts. */
  stop?: AbortSignal;
}

/** What a request cut short by the stop signal reports (pollSource knows it by the signal, not by this text). */
export const STOPPED_MESSAGE = 'cut short: pactwatch was stopping';

/** What one request may reach beyond the Fetcher's own settings. */
export interface Access {
  /** The source's `allowPrivateNetwork`. */
  allowPrivateNetwork?: boolean | undefined;
}

/** A host that answered 429 or 503 without Retry-After: every request there waits until `until`. */
interface Hold {
  until: number;
  status: number;
  path: string;
}

/** The refusal somewhere in an error's causes, if a connection was refused for its address. */
function refusal(err: unknown): AddressRefused | undefined {
  for (let e = err; e instanceof Error; e = e.cause) {
    if (e instanceof AddressRefused) return e;
    if (e instanceof AggregateError) return e.errors.map(refusal).find(Boolean);
  }
  return undefined;
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
  /** Refuses internal addresses. */
  private readonly guarded: Dispatcher;
  /** For requests allowed to reach them; made on first use. */
  private open: Dispatcher | undefined;
  private readonly lookup: FetchDeps['lookup'];
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly stop: StopLink | undefined;
  /** Per host: when the last request there ended, chained so requests wait their turn. */
  private readonly hosts = new Map<string, Promise<number>>();
  private readonly holds = new Map<string, Hold>();

  constructor(settings: Partial<FetchSettings> = {}, deps: FetchDeps = {}) {
    this.settings = { ...DEFAULT_FETCH, ...settings };
    this.lookup = deps.lookup;
    this.guarded = new Agent({ connect: guardedConnector({ timeout: this.settings.connectTimeoutMs }, deps) });
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = deps.random ?? Math.random;
    this.stop = deps.stop && new StopLink(deps.stop);
  }

  /** Waits for requests in flight to end; once the stop signal has fired, ends them at once. */
  async close(): Promise<void> {
    const dispatchers = [this.guarded, ...(this.open ? [this.open] : [])];
    await Promise.all(dispatchers.map((d) => (this.stop?.stopped ? d.destroy() : d.close())));
  }

  /**
   * The dispatcher for a request: one that may reach internal addresses only when the settings
   * or the request allow it. The two keep apart pools, so a connection made for an allowed
   * source is never reused for another.
   */
  private dispatcherFor(access: Access): Dispatcher {
    if (!this.settings.allowPrivateNetwork && !access.allowPrivateNetwork) return this.guarded;
    return (this.open ??= new Agent({ connect: { timeout: this.settings.connectTimeoutMs, ...(this.lookup ? { lookup: this.lookup } : {}) } }));
  }

  /** GET `url`, one request at a time per host. */
  get(url: string, validators: Validators = {}, access: Access = {}): Promise<FetchOutcome> {
    let host: string;
    try {
      host = new URL(url).host;
    } catch {
      return Promise.resolve({ kind: 'error', message: `not a URL: ${url}` });
    }
    const previous = this.hosts.get(host) ?? Promise.resolve(0);
    const turn = previous.then(async (lastEnd): Promise<FetchOutcome> => {
      // Checked in turn: the request before this one may just have been refused.
      const held = this.held(host);
      if (held) return held;
      const wait = lastEnd + this.settings.hostSpacingMs - this.now();
      if (lastEnd > 0 && wait > 0 && !this.stop?.stopped) await this.pause(wait);
      if (this.stop?.stopped) return { kind: 'error', message: STOPPED_MESSAGE };
      return this.request(url, validators, this.dispatcherFor(access));
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

  /** The outcome for a request to a host being left alone, or undefined when it is not. */
  private held(host: string): FetchOutcome | undefined {
    const hold = this.holds.get(host);
    if (!hold) return undefined;
    const left = hold.until - this.now();
    if (left <= 0) {
      this.holds.delete(host);
      return undefined;
    }
    const message = `${host} answered HTTP ${hold.status} without Retry-After to ${hold.path}; every source there waits`;
    return { kind: 'retry-later', status: hold.status, retryAfterMs: left, message, held: true };
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

  private async request(start: string, validators: Validators, dispatcher: Dispatcher): Promise<FetchOutcome> {
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
        const res = await fetch(url, { headers, redirect: 'manual', signal, dispatcher });
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
          // The host that refused: after a redirect, not necessarily the one first asked.
          const at = new URL(url);
          return this.refused(res.status, res.headers.get('retry-after'), at.host, at.pathname);
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
        return { kind: 'ok', body, contentType: res.headers.get('content-type') ?? undefined, validators: got, url, base: resolvedUrl(res.headers.get('content-location'), url) ?? url, ...moved };
      }
    } catch (err) {
      if (this.stop?.stopped) return { kind: 'error', message: STOPPED_MESSAGE };
      if (deadline.aborted) return { kind: 'error', message: `deadline of ${s.deadlineMs / 1000} s passed` };
      const refused = refusal(err);
      if (refused) {
        const why = `${refused.kind} address${refused.host ? `; ${refused.host} resolves to it` : ''}`;
        const hop = url === start ? '' : ` (redirected from ${start})`;
        return { kind: 'error', message: `refused to connect to ${refused.address} (${why}) for ${url}${hop}; allow it with allowPrivateNetwork: true on the source or PACTWATCH_ALLOW_PRIVATE_NETWORK=1` };
      }
      return { kind: 'error', message: describe(err) };
    } finally {
      release();
    }
  }

  /**
   * A 429 or 503. Its Retry-After is honoured up to a day. Without one (or with one that cannot
   * be read) the whole host is left alone for an hour or two: its other feeds would be refused too.
   */
  private refused(status: number, header: string | null, host: string, path: string): FetchOutcome {
    const asked = retryAfterMs(header, this.now());
    if (asked === undefined) {
      const wait = unnamedWaitMs(this.random);
      this.holds.set(host, { until: this.now() + wait, status, path });
      return { kind: 'retry-later', status, retryAfterMs: wait, message: `HTTP ${status} without Retry-After from ${host}; every source there waits ${Math.round(wait / 60_000)} min` };
    }
    const wait = Math.min(asked, MAX_FEED_WAIT_MS);
    const capped = asked > MAX_FEED_WAIT_MS ? ` (asked for ${header!.trim()}; a day at most)` : '';
    return { kind: 'retry-later', status, retryAfterMs: wait, message: `HTTP ${status}; retry after ${Math.round(wait / 1000)} s${capped}` };
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
