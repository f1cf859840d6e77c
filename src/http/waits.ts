// Waits that servers ask for (Retry-After, RateLimit-Reset, or none named), read defensively and
// bounded, so no header can crash a poll (RangeError: Invalid time value) or silence anything for
// good. The times computed from them are checked before they are stored (text/stored-time.ts).
import { DAY, HOUR } from '../text/stored-time.js';

/** The longest a feed may make us wait, whatever it asks: a day, the back-off's own ceiling. */
export const MAX_FEED_WAIT_MS = DAY;
/**
 * The longest Bluesky may make us wait. Its documented limits run over windows of five minutes
 * (createSession 30, requests per IP 3,000), an hour (5,000 write points) and a day (35,000
 * points, createSession 300): by then every window has reset, so a longer wait is a bad header.
 */
export const MAX_BLUESKY_WAIT_MS = DAY;

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
