// Finds dates in a sentence and when each ends, relative to the item's date; no clock.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = String.raw`(?:jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|aug(?:ust|\.)?|sep(?:t(?:ember)?)?\.?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)(?!\p{L})`;
const YEAR = String.raw`(?:19|20)\d\d`;
const NUMBER_WORDS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, several: 2 };

const DATE_RE = new RegExp(
  [
    String.raw`(?<iso>${YEAR})-(?<isoM>\d\d)-(?<isoD>\d\d)`,
    String.raw`(?<m1>${MONTH}) (?<d1>\d{1,2}),? (?<y1>${YEAR})`,
    String.raw`(?<d2>\d{1,2}) (?<m2>${MONTH}),? (?<y2>${YEAR})`,
    String.raw`(?<m3>${MONTH}),? (?<y3>${YEAR})`,
    String.raw`(?:in|since|during|from|until|throughout|early|late|mid-?|back in|in early|in late) (?<y4>${YEAR})`,
    String.raw`last (?<lastUnit>year|month|summer|spring|fall|autumn|winter)`,
    String.raw`last (?<lastMonth>${MONTH})`,
    String.raw`(?<agoN>\d{1,3}|a|an|one|two|three|four|five|several) (?<agoUnit>years?|months?) ago`,
    String.raw`(?:in|since|during|back in|early|late) (?<m5>${MONTH})(?! \d)`,
  ].join('|'),
  'giu',
);

export interface DateMention {
  start: number;
  end: number;
  text: string;
  /** The last moment the expression can refer to. */
  until: Date;
}

function monthIndex(word: string): number {
  return MONTHS.indexOf(word.slice(0, 3).toLowerCase());
}

function endOfMonth(year: number, month: number): Date {
  return new Date(Date.UTC(year, month + 1, 0, 23, 59, 59));
}

function endOfYear(year: number): Date {
  return new Date(Date.UTC(year, 11, 31, 23, 59, 59));
}

/** Dates in `text` that can be placed relative to `published`. */
export function findDates(text: string, published: Date): DateMention[] {
  const out: DateMention[] = [];
  const py = published.getUTCFullYear();
  const pm = published.getUTCMonth();
  DATE_RE.lastIndex = 0;
  for (let m = DATE_RE.exec(text); m !== null; m = DATE_RE.exec(text)) {
    const g = m.groups ?? {};
    let until: Date | undefined;
    if (g.iso) until = new Date(Date.UTC(+g.iso, +g.isoM! - 1, +g.isoD!, 23, 59, 59));
    else if (g.y1) until = new Date(Date.UTC(+g.y1, monthIndex(g.m1!), +g.d1!, 23, 59, 59));
    else if (g.y2) until = new Date(Date.UTC(+g.y2, monthIndex(g.m2!), +g.d2!, 23, 59, 59));
    else if (g.y3) until = endOfMonth(+g.y3, monthIndex(g.m3!));
    else if (g.y4) until = endOfYear(+g.y4);
    else if (g.lastUnit) {
      const unit = g.lastUnit.toLowerCase();
      if (unit === 'year') until = endOfYear(py - 1);
      else if (unit === 'month') until = endOfMonth(py, pm - 1);
      else until = endOfYear(py - 1); // "last summer": at most a year back; seasons are coarse
    } else if (g.lastMonth) {
      const mi = monthIndex(g.lastMonth);
      until = endOfMonth(mi < pm ? py : py - 1, mi);
    } else if (g.agoUnit) {
      const n = /^\d+$/.test(g.agoN!) ? +g.agoN! : (NUMBER_WORDS[g.agoN!.toLowerCase()] ?? 1);
      // A count said in round numbers: "two years ago" may be eighteen months, "three months ago" ten weeks.
      const d = new Date(published);
      if (g.agoUnit.toLowerCase().startsWith('year')) d.setUTCMonth(d.getUTCMonth() - 12 * n + 6);
      else d.setUTCDate(d.getUTCDate() - 30 * n + 15);
      until = d;
    } else if (g.m5) {
      const mi = monthIndex(g.m5);
      until = endOfMonth(mi <= pm ? py : py - 1, mi);
    }
    if (until && !Number.isNaN(until.getTime())) {
      out.push({ start: m.index, end: m.index + m[0].length, text: m[0], until });
    }
  }
  return out;
}

/** True when the date lies more than `days` before the item. */
export function isHistorical(date: DateMention, published: Date, days: number): boolean {
  return published.getTime() - date.until.getTime() > days * 86_400_000;
}
