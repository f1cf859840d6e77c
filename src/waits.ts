// Waits that servers ask for, and the times computed from them. A wait is read defensively and
// clamped, a time is checked before it is stored, and a stored wait is bounded when it is read,
// so no header can crash a poll (RangeError: Invalid time value) or silence anything for good.
import { StoreError } from './errors.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The longest a feed may make us wait, whatever it asks: a day, the back-off's own ceiling. */
export const MAX_FEED_WAIT_MS = DAY;
/**
 * The longest Bluesky may make us wait. Its documented limits run over windows of five minutes
 * (createSession 30, requests per IP 3,000), an hour (5,000 write points) and a day (35,000
 * points, createSession 300): by then every window has reset, so a longer wait is a bad header.
 */
export const MAX_BLUESKY_WAIT_MS = DAY;

/** `ms` within 0 … `maxMs`; not a number at all counts as the longest. */
export function clampWait(ms: number, maxMs: number): number {
  return Number.isNaN(ms) ? maxMs : Math.min(maxMs, Math.max(0, ms));
}

/**
 * Retry-After (delta-seconds, or an HTTP date) as milliseconds from `now`, not clamped, so the
 * caller can say what was asked; undefined when absent or unreadable.
 */
export function retryAfterMs(value: string | null | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its month; Date.parse alone would read "-5" or "1.5" as years.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * RateLimit-Reset as milliseconds from `now`. Bluesky sends the epoch second its window resets;
 * the IETF draft it follows says seconds from now. A number below a billion (2001) is the latter.
 */
export function rateLimitResetMs(value: string | null | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n < 1e9 ? n * 1000 : Math.max(0, n * 1000 - now);
}

/**
 * How long to leave a server that refused us (429, 503) without saying for how long: an hour or
 * two. Jittered so that many clients refused together do not come back together.
 */
export function unnamedWaitMs(random: () => number): number {
  return HOUR + Math.round(HOUR * random());
}

/** `ms` ± 20 %. */
export function jitter(ms: number, random: () => number): number {
  return Math.round(ms * (0.8 + 0.4 * random()));
}

/** As `toISOString` writes a four-digit year: the only form the store keeps, since it compares times as text. */
const STORED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

export function isStoredTime(text: string): boolean {
  if (!STORED.test(text)) return false;
  const d = new Date(text);
  return !Number.isNaN(d.getTime()) && d.toISOString() === text;
}

/** `d` as the store keeps it; a date it cannot keep (invalid, or a year past 9999) is refused, naming `field`. */
export function storedTime(d: Date | number, field: string): string {
  const date = new Date(typeof d === 'number' ? d : d.getTime());
  const text = Number.isNaN(date.getTime()) ? 'Invalid Date' : date.toISOString();
  if (!STORED.test(text)) throw new StoreError('PW_STORE_TIME', `${field}: ${text} is not a time the store can keep`);
  return text;
}

/** `now` plus a wait clamped to `maxMs`: always a time the store can keep. */
export function timeAfter(now: Date, waitMs: number, maxMs: number, field: string): string {
  return storedTime(now.getTime() + clampWait(waitMs, maxMs), field);
}

/**
 * When a stored wait ends, while it lasts; undefined once it has passed. No wait this code
 * stores is longer than `maxMs`, so one that ends further ahead, or cannot be read, was left by
 * an older version or a corrupt row: it is no wait at all, rather than a wait for ever.
 */
export function waitingUntil(until: string | number | null | undefined, now: number, maxMs: number): number | undefined {
  if (until === null || until === undefined || until === '') return undefined;
  const end = typeof until === 'number' ? until : /^\d+$/.test(until) ? Number(until) : Date.parse(until);
  if (!Number.isFinite(end) || end <= now || end > now + maxMs) return undefined;
  return end;
}

/**
 * How long a Bluesky 429 makes us wait: its Retry-After, else its RateLimit-Reset (the PDS sends
 * only the latter), a day at most; an hour or two when it names none. `named` and `capped` say
 * which, for the message. Header names as fetch gives them.
 */
export function blueskyWait(headers: Record<string, string> | undefined, now: number, random: () => number): { waitMs: number; named: boolean; capped: boolean } {
  const asked = retryAfterMs(headers?.['retry-after'], now) ?? rateLimitResetMs(headers?.['ratelimit-reset'], now);
  if (asked === undefined) return { waitMs: unnamedWaitMs(random), named: false, capped: false };
  return { waitMs: Math.min(asked, MAX_BLUESKY_WAIT_MS), named: true, capped: asked > MAX_BLUESKY_WAIT_MS };
}
