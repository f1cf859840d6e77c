// Replay's first pass: every line of the file (or of a part of it) parsed and checked once, and
// kept only as where it is, its date and its publisher, so the second pass can read the lines
// again in date order without the file in memory.
import type { Config } from '../config/types.js';
import { parseLine, sourceMap } from './line.js';
import { cannotRead, lines } from './lines.js';

/**
 * The first pass's findings over the file or a part of it: bad lines, how many lines there are,
 * and per good line (in file order) its date (NaN for none), its publisher (an index into
 * `publishers`), where it starts, its length in bytes and its number; `order` lists the good
 * lines in date order. Typed arrays, so the index is small and crosses to another thread as a
 * few buffers.
 */
export interface ReplayIndex {
  errors: { line: number; message: string }[];
  lines: number;
  /** The number of the first line marked fictional; 0 for none. */
  firstFictional: number;
  order: Uint32Array;
  dates: Float64Array;
  publisherOf: Uint32Array;
  publishers: string[];
  offsets: Float64Array;
  lengths: Uint32Array;
  numbers: Float64Array;
}

/** The bad lines, each as "line N: what is wrong". */
export function errorLines(index: ReplayIndex): string[] {
  return index.errors.map((e) => `line ${e.line}: ${e.message}`);
}

/**
 * The first pass over the lines that start at `from` or later and before `to`: every one parsed
 * and checked once, bad lines reported. Lines are numbered from 1 at `from` (see joinIndexes).
 */
export function indexReplay(fd: number, file: string, config: Pick<Config, 'sources'>, fetchedAt: Date, from = 0, to = Infinity): ReplayIndex {
  const sources = sourceMap(config);
  const errors: ReplayIndex['errors'] = [];
  const dates: number[] = [];
  const publisherOf: number[] = [];
  const publishers: string[] = [];
  const publisherIndex = new Map<string, number>();
  const offsets: number[] = [];
  const lengths: number[] = [];
  const numbers: number[] = [];
  let count = 0;
  let firstFictional = 0;
  try {
    // (parseLine returns its complaints: what throws here is reading.)
    for (const l of lines(fd, from, to)) {
      count = l.number;
      const item = parseLine(l.text, sources, fetchedAt);
      if (typeof item === 'string') {
        if (item !== '') errors.push({ line: l.number, message: item });
        continue;
      }
      if (item.fictional && firstFictional === 0) firstFictional = l.number;
      dates.push(item.publishedAt?.getTime() ?? NaN);
      let p = publisherIndex.get(item.publisher);
      if (p === undefined) publisherIndex.set(item.publisher, (p = publishers.push(item.publisher) - 1));
      publisherOf.push(p);
      offsets.push(l.offset);
      lengths.push(l.length);
      numbers.push(l.number);
    }
  } catch (e) {
    throw cannotRead(file, e);
  }
  const fetched = fetchedAt.getTime();
  const time = (i: number) => (Number.isNaN(dates[i]) ? fetched : dates[i]!);
  const order = Uint32Array.from(dates.keys()).sort((a, b) => time(a) - time(b) || a - b);
  return {
    errors,
    lines: count,
    firstFictional,
    order,
    dates: Float64Array.from(dates),
    publisherOf: Uint32Array.from(publisherOf),
    publishers,
    offsets: Float64Array.from(offsets),
    lengths: Uint32Array.from(lengths),
    numbers: Float64Array.from(numbers),
  };
}

/** The index of two parts of a file, `first` (from its start) and `second` (from where first ends), as one. */
export function joinIndexes(first: ReplayIndex, second: ReplayIndex, fetchedAt: Date): ReplayIndex {
  const n = first.order.length;
  // One array after the other, the second's values mapped.
  const join = <T extends Float64Array | Uint32Array>(a: T, b: T, make: new (length: number) => T, map = (v: number) => v): T => {
    const out = new make(a.length + b.length);
    out.set(a);
    for (let i = 0; i < b.length; i++) out[a.length + i] = map(b[i]!);
    return out;
  };
  const publishers = [...first.publishers];
  const publisherIndex = new Map(publishers.map((p, i) => [p, i]));
  const renamed = second.publishers.map((p) => publisherIndex.get(p) ?? publishers.push(p) - 1);
  const dates = join(first.dates, second.dates, Float64Array);
  // Both orders are sorted: merged, a tie keeps the first part's line first, as file order does.
  const fetched = fetchedAt.getTime();
  const time = (i: number) => (Number.isNaN(dates[i]!) ? fetched : dates[i]!);
  const order = new Uint32Array(dates.length);
  for (let k = 0, a = 0, b = 0; k < order.length; k++) {
    const fromFirst = b === second.order.length || (a < n && time(first.order[a]!) <= time(n + second.order[b]!));
    order[k] = fromFirst ? first.order[a++]! : n + second.order[b++]!;
  }
  return {
    errors: [...first.errors, ...second.errors.map((e) => ({ line: e.line + first.lines, message: e.message }))],
    lines: first.lines + second.lines,
    firstFictional: first.firstFictional || (second.firstFictional && second.firstFictional + first.lines),
    order,
    dates,
    publisherOf: join(first.publisherOf, second.publisherOf, Uint32Array, (p) => renamed[p]!),
    publishers,
    offsets: join(first.offsets, second.offsets, Float64Array),
    lengths: join(first.lengths, second.lengths, Uint32Array),
    numbers: join(first.numbers, second.numbers, Float64Array, (line) => line + first.lines),
  };
}
