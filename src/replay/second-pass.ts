// Replay's second pass: the lines the first pass indexed, read again in date order a segment
// at a time, as Items.
import { readSync } from 'node:fs';
import type { Config } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { Item } from '../model/item.js';
import type { ReplayIndex } from './first-pass.js';
import { parseLine, sourceMap } from './line.js';
import { bomLength, cannotRead, changed, CHUNK } from './lines.js';

/**
 * How many bytes of lines the second pass holds at a time: enough to read them in few reads, and
 * no more, since it adds to replay's peak (the sizes tried: docs/performance.md).
 */
const SEGMENT_BYTES = 4 << 20;

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
