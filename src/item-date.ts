// Item dates as every input gives them: ISO 8601, read as UTC when no zone is given, so the
// same line means the same moment on every machine.

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** The moment, or undefined for anything that is not a real ISO date ("12", "2026-02-30"). */
export function parseItemDate(value: string): Date | undefined {
  const m = ISO.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, , zone] = m;
  const day = new Date(Date.UTC(+y!, +mo! - 1, +d!));
  if (day.getUTCFullYear() !== +y! || day.getUTCMonth() !== +mo! - 1 || day.getUTCDate() !== +d!) return undefined;
  if (h !== undefined && (+h > 23 || +mi! > 59)) return undefined;
  const text = h === undefined ? `${y}-${mo}-${d}T00:00:00Z` : `${value.trim().replace(' ', 'T')}${zone ? '' : 'Z'}`;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
