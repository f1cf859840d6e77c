// `pactwatch replay`: stored items (JSON Lines) as pipeline Items, in item-date order, without
// holding the file in memory. A first pass reads every line once and keeps only where each good
// line is and its time; the second reads the lines again in time order. A file of any size
// replays in the same memory (a 100k-line file held whole took over 300 MB). The command runs
// the passes in two threads (replay-reader.ts); this module is what both threads read with.
import { readSync } from 'node:fs';
import type { Config } from './config/types.js';
import { UsageError } from './errors.js';
import type { Item } from './model/item.js';
import { parseLine, sourceMap } from './replay-line.js';

/** What a replay file holds: its bad lines, and its good ones to read in item-date order. */
export interface Replay {
  /** Bad lines, each naming its line number. */
  errors: string[];
  /** How many lines are items. */
  count: number;
  /** The number of the first line marked `"fictional": true`, if any. */
  firstFictional: number | undefined;
  /** The items, in item-date order (an undated line counts as fetched now); ties keep file order. */
  items(): Generator<Item>;
}

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

const CHUNK = 1 << 20;
/**
 * How many bytes of lines the second pass holds at a time: 4 MB rather than 8 kept the same speed
 * on a 100k replay and took 6 MB off its peak.
 */
const SEGMENT_BYTES = 4 << 20;

/**
 * Indexes `file`, open as `fd`, and reads its items: see indexReplay and replayItems. Reading the
 * items reads the file again, so it must not change in between; a line that no longer parses
 * then is an error naming it.
 */
export function readReplay(fd: number, file: string, config: Pick<Config, 'sources'>, fetchedAt: Date): Replay {
  const index = indexReplay(fd, file, config, fetchedAt);
  return {
    errors: errorLines(index),
    count: index.order.length,
    firstFictional: index.firstFictional || undefined,
    *items() {
      for (const { item } of replayItems(index, fd, file, config, fetchedAt)) yield item;
    },
  };
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

/** The second pass: the indexed lines as Items, in date order, each with its line (see replayLines). */
export function* replayItems(index: ReplayIndex, fd: number, file: string, config: Pick<Config, 'sources'>, fetchedAt: Date): Generator<{ item: Item; line: Line }> {
  const sources = sourceMap(config);
  for (const line of replayLines(index, fd, file)) {
    // The date and publisher come from the first pass rather than being parsed again.
    const known = { date: index.dates[line.i]!, publisher: index.publishers[index.publisherOf[line.i]!]! };
    const item = parseLine(line.buf.toString('utf8', line.start, line.end), sources, fetchedAt, known);
    if (typeof item === 'string') throw changed(file, index.numbers[line.i]!, item);
    yield { item, line };
  }
}

export function changed(file: string, line: number, why: string): UsageError {
  return new UsageError(`${file}: line ${line} changed while it was replayed${why ? `: ${why}` : ''}`);
}

/** A line's bytes, `buf` from `start` to `end` (valid until the next line is asked for), and its position `i` in the index. */
export interface Line {
  buf: Buffer;
  start: number;
  end: number;
  i: number;
}

/**
 * The indexed lines in date order.
 *
 * A segment at a time: the next lines in date order, up to SEGMENT_BYTES of them, read in file
 * order and then given in date order. The bytes wait in one reused buffer, outside the JS heap.
 */
function* replayLines(index: ReplayIndex, fd: number, file: string): Generator<Line> {
  const { order, offsets, lengths } = index;
  let held = Buffer.allocUnsafe(SEGMENT_BYTES);
  const scratch = Buffer.allocUnsafe(CHUNK);
  const position = new Map<number, number>();
  for (let start = 0; start < order.length; ) {
    let end = start;
    let bytes = 0;
    for (; end < order.length && (end === start || bytes + lengths[order[end]!]! <= SEGMENT_BYTES); end++) bytes += lengths[order[end]!]!;
    if (bytes > held.length) held = Buffer.allocUnsafe(bytes);
    const segment = order.subarray(start, end);
    position.clear();
    try {
      // Line indexes grow with the offset: sorted, they are in file order.
      readSegment(fd, file, index, segment.slice().sort(), held, scratch, position);
    } catch (e) {
      throw e instanceof UsageError ? e : cannotRead(file, e);
    }
    for (const i of segment) {
      const from = position.get(i)!;
      yield { buf: held, start: from + bomLength(held, from, offsets[i]!), end: from + lengths[i]!, i };
    }
    start = end;
  }
}

/** Lines with less than this between them are read together, gap and all: a read costs more than copying this much. */
const GAP_BYTES = 16 << 10;

/**
 * Copies the lines `sorted` (in file order) into `held`, one after another, noting where each
 * went. Lines close together are read in one read of up to CHUNK bytes (a file in date order is
 * read a chunk at a time); a line far from the next is read alone, so a shuffled file costs
 * about a read per line rather than a read of the whole file per segment.
 */
function readSegment(fd: number, file: string, index: ReplayIndex, sorted: Uint32Array, held: Buffer, scratch: Buffer, position: Map<number, number>): void {
  const { offsets, lengths, numbers } = index;
  let filled = 0;
  for (let k = 0; k < sorted.length; ) {
    const first = sorted[k]!;
    const from = offsets[first]!;
    let last = k;
    let to = from + lengths[first]!;
    while (last + 1 < sorted.length) {
      const next = sorted[last + 1]!;
      if (offsets[next]! - to > GAP_BYTES || offsets[next]! + lengths[next]! - from > scratch.length) break;
      last++;
      to = offsets[next]! + lengths[next]!;
    }
    // A line alone goes straight to its place; a run goes through the scratch buffer.
    const into = last === k ? held : scratch;
    const at = last === k ? filled : 0;
    const read = readSync(fd, into, at, to - from, from);
    for (let r = k; r <= last; r++) {
      const i = sorted[r]!;
      const rel = offsets[i]! - from;
      if (rel + lengths[i]! > read) throw changed(file, numbers[i]!, 'the file is shorter');
      if (into === scratch) scratch.copy(held, filled, rel, rel + lengths[i]!);
      position.set(i, filled);
      filled += lengths[i]!;
    }
    k = last + 1;
  }
}

export function cannotRead(file: string, e: unknown): UsageError {
  return new UsageError(`cannot read ${file}: ${(e as Error).message}`);
}

/** The file's lines, read a chunk at a time: each line's text, byte offset and length, and number. */
function* lines(fd: number, from = 0, to = Infinity): Generator<{ text: string; offset: number; length: number; number: number }> {
  let buf = Buffer.allocUnsafe(CHUNK);
  let filled = 0;
  // The file offset of buf[0].
  let base = from;
  let number = 0;
  for (;;) {
    const read = readSync(fd, buf, filled, buf.length - filled, base + filled);
    filled += read;
    const view = buf.subarray(0, filled);
    let start = 0;
    for (let nl = view.indexOf(10); nl !== -1; nl = view.indexOf(10, start)) {
      if (base + start >= to) return;
      yield { text: decode(view, start, nl, base + start), offset: base + start, length: nl - start, number: ++number };
      start = nl + 1;
    }
    if (read === 0) {
      if (start < filled && base + start < to) yield { text: decode(view, start, filled, base + start), offset: base + start, length: filled - start, number: ++number };
      return;
    }
    // The unfinished line moves to the front; a line longer than the buffer doubles it.
    buf.copy(buf, 0, start, filled);
    base += start;
    filled -= start;
    if (filled === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
  }
}

/** Where the first line that starts at or after `position` starts (the file's size if none does). */
export function lineStartFrom(fd: number, position: number): number {
  if (position <= 0) return 0;
  const buf = Buffer.allocUnsafe(64 << 10);
  for (let at = position - 1; ; at += buf.length) {
    const read = readSync(fd, buf, 0, buf.length, at);
    const nl = buf.subarray(0, read).indexOf(10);
    if (nl !== -1) return at + nl + 1;
    if (read < buf.length) return at + read;
  }
}

/** A line's text; a byte-order mark at the start of the file is not part of it. */
function decode(buf: Buffer, start: number, end: number, fileOffset: number): string {
  return buf.toString('utf8', start + bomLength(buf, start, fileOffset), end);
}

/** 3 for the UTF-8 byte-order mark at the start of the file, else 0. */
function bomLength(buf: Buffer, start: number, fileOffset: number): number {
  return fileOffset === 0 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf ? 3 : 0;
}

