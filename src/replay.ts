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

/**
 * Indexes `file`, open as `fd`: every line parsed and checked once, bad lines reported. Reading
 * the items reads the file again, so it must not change in between; a line that no longer
 * parses then is an error naming it.
 */
export function readReplay(fd: number, file: string, config: Config, fetchedAt: Date): Replay {
  const sources = new Map(config.sources.map((s) => [s.id, s]));
  const errors: string[] = [];
  // Per good line: its time, where it starts, its length in bytes and its number.
  const times: number[] = [];
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
      times.push((item.publishedAt ?? fetchedAt).getTime());
      offsets.push(l.offset);
      lengths.push(l.length);
      numbers.push(l.number);
    }
  } catch (e) {
    throw cannotRead(file, e);
  }
  const order = Uint32Array.from(times.keys()).sort((a, b) => times[a]! - times[b]! || a - b);
  return {
    errors,
    count: order.length,
    *items() {
      const at = new LineAt(fd);
      for (const i of order) {
        let raw: string;
        try {
          raw = at.read(offsets[i]!, lengths[i]!);
        } catch (e) {
          throw cannotRead(file, e);
        }
        const item = parseLine(raw, sources, fetchedAt);
        if (typeof item === 'string') throw new UsageError(`${file}: line ${numbers[i]} changed while it was replayed${item ? `: ${item}` : ''}`);
        yield item;
      }
    },
  };
}

function cannotRead(file: string, e: unknown): UsageError {
  return new UsageError(`cannot read ${file}: ${(e as Error).message}`);
}

/**
 * One line as an Item, or why it is not one ('' for a blank line). Checked in the order a
 * reader fixes them: JSON, then each field.
 */
function parseLine(raw: string, sources: Map<string, Source>, fetchedAt: Date): Item | string {
  if (raw.trim() === '') return '';
  let o: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'expected a JSON object';
    o = parsed as Record<string, unknown>;
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
  const str = (k: string) => (typeof o[k] === 'string' && (o[k] as string).trim() !== '' ? (o[k] as string) : undefined);
  const id = typeof o.id === 'number' ? String(o.id) : str('id');
  if (!id) return '"id" is missing';
  const text = str('text');
  if (!text) return '"text" is missing';
  const title = str('title');
  if (!text.isWellFormed() || !(title?.isWellFormed() ?? true)) return 'text contains an unpaired UTF-16 surrogate';
  const published = str('published');
  const publishedAt = published ? parseItemDate(published) : undefined;
  if (published && !publishedAt) return `"published" is not an ISO date: ${published}`;
  const url = str('url');
  const sourceId = str('source');
  const source = sourceId ? sources.get(sourceId) : undefined;
  if (sourceId && !source) return `unknown source "${sourceId}" (not in sources.yaml)`;
  const trust = (source?.trust ?? str('trust')) as Trust | undefined;
  if (!trust || !(TRUST_TIERS as readonly string[]).includes(trust)) return `"trust" must be one of ${TRUST_TIERS.join(', ')} (or name a configured "source")`;
  let host: string | undefined;
  try {
    host = url ? new URL(url).hostname.replace(/^www\./, '') : undefined;
  } catch {
    return `"url" is not a URL: ${url}`;
  }
  const publisher = source?.publisher ?? str('publisher') ?? host;
  if (!publisher) return '"publisher" is missing, and there is no "url" to take it from';
  const speaksFor = source
    ? (source.speaksFor ?? null)
    : o.speaksFor === 'all'
      ? 'all'
      : Array.isArray(o.speaksFor)
        ? (o.speaksFor as unknown[]).map(String)
        : null;
  return {
    id,
    sourceId: sourceId ?? 'replay',
    url,
    title,
    text,
    publishedAt,
    fetchedAt,
    trust,
    publisher,
    speaksFor,
  };
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
      yield {
        text: decode(view, start, nl, base + start),
        offset: base + start,
        length: nl - start,
        number: ++number,
      };
      start = nl + 1;
    }
    if (read === 0) {
      if (start < filled)
        yield {
          text: decode(view, start, filled, base + start),
          offset: base + start,
          length: filled - start,
          number: ++number,
        };
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

/**
 * Reads lines by offset. A line that follows the one before (a file already in date order) is
 * read through a window of the file, one read per chunk; any other is read alone, so a shuffled
 * file costs one small read per line rather than a chunk per line.
 */
class LineAt {
  private buf = Buffer.allocUnsafe(CHUNK);
  private start = 0;
  private filled = 0;
  private next = 0;

  constructor(private readonly fd: number) {}

  read(offset: number, length: number): string {
    if (offset < this.start || offset + length > this.start + this.filled) {
      const size = offset === this.next ? Math.max(CHUNK, length) : length;
      if (size > this.buf.length) this.buf = Buffer.allocUnsafe(size);
      this.start = offset;
      this.filled = readSync(this.fd, this.buf, 0, size, offset);
    }
    // The line after this one starts after its newline.
    this.next = offset + length + 1;
    return decode(this.buf, offset - this.start, Math.min(offset - this.start + length, this.filled), offset);
  }
}
