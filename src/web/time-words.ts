// Times as the status page says them: "4 minutes ago", "29 Aug 2024", in a <time> element that
// carries the exact time, never broken across lines.
import { escapeMarkup as esc } from '../text/markup.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const NBSP = '\u00a0';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const two = (n: number) => String(n).padStart(2, '0');

/** "29 Aug 2024" (UTC), with no-break spaces. */
export function dayText(d: Date): string {
  return [d.getUTCDate(), MONTHS[d.getUTCMonth()], d.getUTCFullYear()].join(NBSP);
}

/** "May 2026": for a date known only to the month (a config's `since: 2026-05`). */
export function monthText(d: Date): string {
  return `${LONG_MONTHS[d.getUTCMonth()]}${NBSP}${d.getUTCFullYear()}`;
}

/** "27 Nov 2026, 14:03 UTC". */
export function exactText(d: Date): string {
  return `${dayText(d)},${NBSP}${two(d.getUTCHours())}:${two(d.getUTCMinutes())}${NBSP}UTC`;
}

/** "just now", "4 minutes ago", "in 3 hours", "2 years ago". */
export function relativeText(d: Date, now: Date): string {
  const ms = now.getTime() - d.getTime();
  const span = Math.abs(ms);
  if (span < 45_000) return 'just now';
  const [count, unit] =
    span < HOUR
      ? [Math.max(1, Math.floor(span / MINUTE)), 'minute']
      : span < DAY
        ? [Math.floor(span / HOUR), 'hour']
        : span < 60 * DAY
          ? [Math.floor(span / DAY), 'day']
          : span < 730 * DAY
            ? [Math.floor(span / (30.44 * DAY)), 'month']
            : [Math.floor(span / (365.25 * DAY)), 'year'];
  const words = `${count}${NBSP}${unit}${count === 1 ? '' : 's'}`;
  return ms >= 0 ? `${words} ago` : `in ${words}`;
}

export type TimeStyle = 'relative' | 'day' | 'month' | 'exact';

/** A <time> element: the words for people, the machine-readable time, and the exact time on hover. */
export function timeTag(iso: string, style: TimeStyle, now: Date): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return esc(iso);
  const text = style === 'relative' ? relativeText(d, now) : style === 'month' ? monthText(d) : style === 'day' ? dayText(d) : exactText(d);
  const datetime = style === 'month' ? `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}` : style === 'day' ? d.toISOString().slice(0, 10) : d.toISOString();
  return `<time datetime="${esc(datetime)}" title="${esc(style === 'month' ? monthText(d) : exactText(d))}">${esc(text)}</time>`;
}
