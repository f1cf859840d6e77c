// Item dates as every input gives them: ISO 8601, read as UTC when no zone is given, so the
// same line means the same moment on every machine.

/**
 * The form of an item date, space around it allowed. Without flags, as a JSON Schema pattern
 * must be (the replay line's schema uses it); "T" and "Z" in either case.
 */
export const ITEM_DATE = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:[Zz]|([+-])(\d{2}):?(\d{2}))?)?\s*$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The days of `month` (from 0) in `year`. */
export function daysIn(year: number, month: number): number {
  return month === 1 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : DAYS[month]!;
}

/**
 * The moment, or undefined for anything that is not a real ISO date ("12", "2026-02-30").
 * Computed from the parts rather than by Date's string parser, which costs as much again as
 * the rest of a replay line. Fractions beyond milliseconds are cut, as that parser cuts them.
 */
export function parseItemDate(value: string): Date | undefined {
  const m = ITEM_DATE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, sign, zh, zm] = m;
  const year = +y!;
  const month = +mo! - 1;
  const day = +d!;
  // (Years before 100 are refused: Date.UTC would read them as 1900 onwards.)
  if (year < 100 || month < 0 || month > 11 || day < 1 || day > daysIn(year, month)) return undefined;
  if (h !== undefined && (+h > 23 || +mi! > 59 || (s !== undefined && +s > 59))) return undefined;
  if (sign !== undefined && (+zh! > 23 || +zm! > 59)) return undefined;
  const ms = fraction === undefined ? 0 : +`${fraction}00`.slice(0, 3);
  const offset = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (+zh! * 60 + +zm!);
  return new Date(Date.UTC(year, month, day, h === undefined ? 0 : +h, mi === undefined ? 0 : +mi, s === undefined ? 0 : +s, ms) - offset * 60_000);
}
