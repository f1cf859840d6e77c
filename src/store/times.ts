// How the store writes a time: Date#toISOString's text, which the ledger's queries compare as text.

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * `d.toISOString()`. Written out for four-digit years, because V8's own formats with snprintf,
 * which costs several times as much (docs/performance.md), and every item row needs one. Other
 * years, and invalid dates (which throw), go to toISOString.
 */
export function iso(d: Date): string {
  const y = d.getUTCFullYear();
  if (!(y >= 1000 && y <= 9999)) return d.toISOString();
  return `${y}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${three(d.getUTCMilliseconds())}Z`;
}
