// Dates as feeds write them: ISO 8601 (extended or basic), RFC 822 and the broken forms real
// feeds serve (two-digit years, no seconds, named zones, no weekday or a wrong one, asctime).
// Computed from the parts, never by Date's string parser alone, which reads a date without a
// zone in the machine's local time.
import { daysIn, parseItemDate } from './item-date.js';

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

// Minutes east of UTC. RFC 822's military letters are left out on purpose: the RFC got their
// signs backwards and feeds use them both ways, so only Z (UTC) is trusted.
const ZONES: Record<string, number> = {
  z: 0, ut: 0, utc: 0, gmt: 0, wet: 0,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  akst: -540, akdt: -480, hst: -600, ast: -240, adt: -180, nst: -210, ndt: -150,
  bst: 60, cet: 60, cest: 120, met: 60, mest: 120, eet: 120, eest: 180, msk: 180, ist: 330, jst: 540, kst: 540, hkt: 480, aest: 600, aedt: 660, nzst: 720, nzdt: 780,
};

const RFC822 = /^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]{3})[a-z]*\.?,?[\s-]+(\d{4}|\d{2})(?:,?\s+(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([ap]\.?m\.?)?)?\s*(?:\(?((?:etc\/)?[a-z]{1,5})\)?|([+-])(\d{1,2}):?(\d{2})?)?\s*(?:\([^)]*\))?$/i;
// "Tuesday, November 3, 2026 10:00 PM EST", and asctime's "Tue Nov  3 10:00:00 2026".
const MONTH_FIRST = /^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(?:(\d{4}),?\s+)?(?:(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?\s*(?:(\d{4})\s*)?(?:\(?([a-z]{1,5})\)?|([+-])(\d{1,2}):?(\d{2})?)?$/i;
const CANONICAL_822 = /^(?:[A-Z][a-z]{2}, )?(\d\d?) ([A-Z][a-z]{2}) (\d{4}) (\d\d):(\d\d):(\d\d) (GMT|UT|Z|[+-]\d{4})$/;
const KOREAN = /^(\d{4})년 ?(\d\d?)월 ?(\d\d?)일(?: (\d\d?):(\d\d)(?::(\d\d))?)?$/;
const ISO_BASIC = /^(\d{4})(\d\d)(\d\d)(?:T(\d\d)(\d\d)(?:(\d\d))?(?:\.\d+)?)?(Z|[+-]\d\d(?::?\d\d)?)?$/i;
const ISO_LOOSE = /^(\d{4})-(\d\d?)(?:-(\d\d?))?(?:[Tt ]+(\d\d?):(\d\d)(?::(\d\d)(?:[.,]\d+)?)?)?\s*(Z|UTC|GMT|[+-]\d\d(?::?\d\d)?)?$/i;

/** Four digits for a two-digit year as RFC 2822 reads them: 00–49 are 2000–2049, 50–99 1950–1999. */
function fullYear(y: string): number {
  const n = Number(y);
  return y.length > 2 ? n : n < 50 ? 2000 + n : 1900 + n;
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour?: string | undefined;
  minute?: string | undefined;
  second?: string | undefined;
  meridiem?: string | undefined;
  /** Minutes east of UTC; undefined when the zone is unknown. */
  offset: number | undefined;
}

function zoneOffset(name: string | undefined, sign: string | undefined, hours: string | undefined, minutes: string | undefined): number | undefined {
  if (sign) return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes ?? 0));
  if (!name) return 0; // no zone at all: UTC, as the project reads every date without one
  return ZONES[name.toLowerCase().replace(/^etc\//, '')];
}

function build(p: Parts): Date | undefined {
  if (p.offset === undefined || p.month < 0 || p.month > 11 || p.day < 1 || p.day > daysIn(p.year, p.month)) return undefined;
  let hour = p.hour === undefined ? 0 : Number(p.hour);
  const minute = p.minute === undefined ? 0 : Number(p.minute);
  const second = p.second === undefined ? 0 : Number(p.second);
  if (p.meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (/^p/i.test(p.meridiem) ? 12 : 0);
  }
  // 24:00 is midnight at the day's end; 60 seconds, a leap second, is read as 59.
  if (hour > 24 || minute > 59 || second > 60 || (hour === 24 && (minute > 0 || second > 0))) return undefined;
  return new Date(Date.UTC(p.year, p.month, p.day, hour, minute, Math.min(second, 59)) - p.offset * 60_000);
}

function isoOffset(zone: string | undefined): number {
  if (!zone || /^(z|utc|gmt)$/i.test(zone)) return 0;
  const m = /^([+-])(\d\d):?(\d\d)?$/.exec(zone)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** The moment a feed's date names, or undefined when it names none this reads. */
export function parseFeedDate(value: string): Date | undefined {
  const trimmed = value.trim();
  const v = /\s\s|[\t\n\r]/.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
  if (v === '') return undefined;
  // RSS writes RFC 822, which starts with a letter or a one- or two-digit day; ISO, four digits.
  // Its usual form first, by a pattern that cannot backtrack.
  let m = CANONICAL_822.exec(v);
  if (m && MONTHS[m[2]!.toLowerCase()] !== undefined) {
    return build({ year: Number(m[3]), month: MONTHS[m[2]!.toLowerCase()]!, day: Number(m[1]), hour: m[4], minute: m[5], second: m[6], offset: m[7] === 'GMT' || m[7] === 'UT' || m[7] === 'Z' ? 0 : isoOffset(m[7]) });
  }
  m = /^\d{4}/.test(v) ? null : RFC822.exec(v);
  if (m) {
    const month = MONTHS[m[2]!.toLowerCase()];
    if (month === undefined) return undefined;
    return build({ year: fullYear(m[3]!), month, day: Number(m[1]), hour: m[4], minute: m[5], second: m[6], meridiem: m[7], offset: zoneOffset(m[8], m[9], m[10], m[11]) });
  }
  const iso = parseItemDate(v);
  if (iso) return iso;
  m = ISO_LOOSE.exec(v) ?? ISO_BASIC.exec(v);
  if (m) {
    return build({ year: Number(m[1]), month: Number(m[2]) - 1, day: m[3] === undefined ? 1 : Number(m[3]), hour: m[4], minute: m[5], second: m[6], offset: isoOffset(m[7]) });
  }
  // Korean blogs' "2004년 05월 28일 01:31:15", in Korea's time.
  m = KOREAN.exec(v);
  if (m) return build({ year: Number(m[1]), month: Number(m[2]) - 1, day: Number(m[3]), hour: m[4], minute: m[5], second: m[6], offset: 540 });
  m = MONTH_FIRST.exec(v);
  if (m) {
    const month = MONTHS[m[1]!.toLowerCase()];
    const year = m[3] ?? m[8];
    if (month === undefined || year === undefined) return undefined;
    return build({ year: Number(year), month, day: Number(m[2]), hour: m[4], minute: m[5], second: m[6], meridiem: m[7], offset: zoneOffset(m[9], m[10], m[11], m[12]) });
  }
  return undefined;
}
