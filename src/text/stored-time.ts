// Times as the store keeps them, and waits as time spans: a time is checked before it is stored,
// and a stored wait is bounded when it is read, so a bad time from a header or an old row never
// crashes a poll or silences anything for good.
import { StoreError } from '../errors.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** `ms` within 0 … `maxMs`; not a number at all counts as the longest. */
export function clampWait(ms: number, maxMs: number): number {
  return Number.isNaN(ms) ? maxMs : Math.min(maxMs, Math.max(0, ms));
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
