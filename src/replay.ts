// `pactwatch replay`: stored items (JSON Lines) as pipeline Items, in item-date order, without
// holding the file in memory. A first pass reads every line once and keeps only where each good
// line is and its time; the second reads the lines again in time order. A file of any size
// replays in the same memory (a 100k-line file held whole took over 300 MB).
import { readSync } from 'node:fs';
import type { Config, Source } from './config/load.js';
import { TRUST_TIERS } from './config/schema.js';
import { UsageError } from './errors.js';
import type { Item } from './pipeline.js';
import type { Trust } from './status/reduce.js';
import { parseItemDate } from './item-date.js';

/** What a replay file holds: its bad lines, and its good ones to read in item-date order. */
export interface Replay {
  /** Bad lines, each naming its line number. */
  errors: string[];
  /** How many lines are items. */
  count: number;
  /** The items, in item-date order (an undated line counts as fetched now); ties keep file order. */
  items(): Generator<Item>;
}

const CHUNK = 1 << 20;
/** How many bytes of lines the second pass holds at a time. */
const SEGMENT_BYTES = 8 << 20;

/**
 * Indexes `file`, open as `fd`: every line parsed and checked once, bad lines reported. Reading
 * the items reads the file again, so it must not change in between; a line that no longer
 * parses then is an error naming it.
 */
export function readReplay(fd: number, file: string, config: Config, fetchedAt: Date): Replay {
  const sources = new Map(config.sources.map((s) => [s.id, s]));
  const errors: string[] = [];
  // Per good line: its date (NaN for none), its publisher (an index into `publishers`), where it
  // starts, its length in bytes and its number. The second pass takes the date and publisher
  // from here rather than parse them again.
  const dates: number[] = [];
  const publisherOf: number[] = [];
  const publishers: string[] = [];
  const publisherIndex = new Map<string, number>();
  const offsets: number[] = [];
  const lengths: number[] = [];
  const numbers: number[] = [];
  try {
    // (parseLine returns its complaints: what throws here is reading.)
    for (const l of lines(fd)) {
      const item = parseLine(l.text, sources, fetchedAt);
      if (typeof item === 'string') {
        if (item !== '') errors.push(`line ${l.number}: ${item}`);
        continue;
      }
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
    count: order.length,
    *items() {
      // A segment at a time: the next lines in date order, up to SEGMENT_BYTES of them, copied
      // in file order (forward through the file, a chunk per read) and then given in date order.
      // A file in date order is read once; a shuffled one once per segment, which costs far
      // less than a read per line. The bytes wait in one reused buffer, outside the JS heap.
      const at = new LineAt(fd);
      let held = Buffer.allocUnsafe(SEGMENT_BYTES);
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
          let filled = 0;
          for (const i of segment.slice().sort()) {
            position.set(i, filled);
            const copied = at.copy(offsets[i]!, lengths[i]!, held, filled);
            if (copied < lengths[i]!) throw new UsageError(`${file}: line ${numbers[i]} changed while it was replayed: the file is shorter`);
            filled += copied;
          }
        } catch (e) {
          throw e instanceof UsageError ? e : cannotRead(file, e);
        }
        for (const i of segment) {
          const from = position.get(i)!;
          const known = { date: dates[i]!, publisher: publishers[publisherOf[i]!]! };
          const item = parseLine(decode(held, from, from + lengths[i]!, offsets[i]!), sources, fetchedAt, known);
          if (typeof item === 'string') throw new UsageError(`${file}: line ${numbers[i]} changed while it was replayed${item ? `: ${item}` : ''}`);
          yield item;
        }
        start = end;
      }
    },
  };
}

function cannotRead(file: string, e: unknown): UsageError {
  return new UsageError(`cannot read ${file}: ${(e as Error).message}`);
}

/**
 * One line as an Item, or why it is not one ('' for a blank line). Checked in the order a
 * reader fixes them: JSON, then each field. A line read before comes with its date and
 * publisher, and only what the Item needs is checked again.
 */
function parseLine(raw: string, sources: Map<string, Source>, fetchedAt: Date, known?: { date: number; publisher: string }): Item | string {
  if (raw.trim() === '') return '';
  let o: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'expected a JSON object';
    o = parsed as Record<string, unknown>;
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
  // Each field read by name: a lookup by a computed key is several times slower.
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  const id = typeof o.id === 'number' ? String(o.id) : str(o.id);
  if (!id) return '"id" is missing';
  const text = str(o.text);
  if (!text) return '"text" is missing';
  const title = str(o.title);
  const url = str(o.url);
  const sourceId = str(o.source);
  const source = sourceId ? sources.get(sourceId) : undefined;
  if (sourceId && !source) return `unknown source "${sourceId}" (not in sources.yaml)`;
  const trust = (source?.trust ?? str(o.trust)) as Trust | undefined;
  if (!trust || !(TRUST_TIERS as readonly string[]).includes(trust)) return `"trust" must be one of ${TRUST_TIERS.join(', ')} (or name a configured "source")`;
  const speaksFor = source ? (source.speaksFor ?? null) : o.speaksFor === 'all' ? 'all' : Array.isArray(o.speaksFor) ? (o.speaksFor as unknown[]).map(String) : null;
  if (known) {
    const publishedAt = Number.isNaN(known.date) ? undefined : new Date(known.date);
    return { id, sourceId: sourceId ?? 'replay', url, title, text, publishedAt, fetchedAt, trust, publisher: known.publisher, speaksFor };
  }
  if (!text.isWellFormed() || !(title?.isWellFormed() ?? true)) return 'text contains an unpaired UTF-16 surrogate';
  const published = str(o.published);
  const publishedAt = published ? parseItemDate(published) : undefined;
  if (published && !publishedAt) return `"published" is not an ISO date: ${published}`;
  let host: string | undefined;
  try {
    host = url ? new URL(url).hostname.replace(/^www\./, '') : undefined;
  } catch {
    return `"url" is not a URL: ${url}`;
  }
  const publisher = source?.publisher ?? str(o.publisher) ?? host;
  if (!publisher) return '"publisher" is missing, and there is no "url" to take it from';
  return { id, sourceId: sourceId ?? 'replay', url, title, text, publishedAt, fetchedAt, trust, publisher, speaksFor };
}

/** The file's lines, read a chunk at a time: each line's text, byte offset and length, and number. */
function* lines(fd: number): Generator<{ text: string; offset: number; length: number; number: number }> {
  let buf = Buffer.allocUnsafe(CHUNK);
  let filled = 0;
  // The file offset of buf[0].
  let base = 0;
  let number = 0;
  for (;;) {
    const read = readSync(fd, buf, filled, buf.length - filled, base + filled);
    filled += read;
    const view = buf.subarray(0, filled);
    let start = 0;
    for (let nl = view.indexOf(10); nl !== -1; nl = view.indexOf(10, start)) {
      yield { text: decode(view, start, nl, base + start), offset: base + start, length: nl - start, number: ++number };
      start = nl + 1;
    }
    if (read === 0) {
      if (start < filled) yield { text: decode(view, start, filled, base + start), offset: base + start, length: filled - start, number: ++number };
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

/** A line's text; a byte-order mark at the start of the file is not part of it. */
function decode(buf: Buffer, start: number, end: number, fileOffset: number): string {
  const text = buf.toString('utf8', start, end);
  return fileOffset === 0 && text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** Copies lines by offset, through a window of the file: a chunk per read, forward or back. */
class LineAt {
  private buf = Buffer.allocUnsafe(CHUNK);
  private start = 0;
  private filled = 0;

  constructor(private readonly fd: number) {}

  /** Copies the line at `offset` into `to` at `at`; the bytes copied (fewer if the file shrank). */
  copy(offset: number, length: number, to: Buffer, at: number): number {
    if (offset < this.start || offset + length > this.start + this.filled) {
      if (length > this.buf.length) this.buf = Buffer.allocUnsafe(length);
      this.start = offset;
      this.filled = readSync(this.fd, this.buf, 0, this.buf.length, offset);
    }
    return this.buf.copy(to, at, offset - this.start, Math.min(offset - this.start + length, this.filled));
  }
}
