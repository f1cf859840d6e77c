// Replay's reading half, in a worker thread (see readReplayInWorker): it indexes the second half
// of the file, joins the main thread's index of the first half to it, then reads the items a few
// chunks ahead of the main thread and works out what the store needs of each. Every message it
// gets is a ToReplayWorker, and every reply a ReplayMessage.
import { parentPort, workerData } from 'node:worker_threads';
import { UsageError } from '../errors.js';
import { compileConfig } from '../extract/compile.js';
import { createExtractor } from '../extract/extract.js';
import { extractItem } from '../pipeline/process.js';
import { textHash } from '../text/fingerprints.js';
import type { Chunk, ReplayMessage, ReplayWorkerData, ToReplayWorker } from './reader.js';
import { errorLines, indexReplay, joinIndexes, type ReplayIndex } from './first-pass.js';
import { replayItems, type Line } from './second-pass.js';
import type { Item } from '../model/item.js';

const data = workerData as ReplayWorkerData;
const port = parentPort!;
const extractor = createExtractor(compileConfig(data));
const post = (m: ReplayMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
const fail = (e: unknown) => post({ kind: 'error', message: e instanceof Error ? e.message : String(e), usage: e instanceof UsageError });

try {
  const second = indexReplay(data.fd, data.file, data, data.fetchedAt, data.from);
  let reading: { items: Iterator<{ item: Item; line: Line }>; index: ReplayIndex } | undefined;
  // Chunks asked for before the first part came wait for it.
  const asked: number[] = [];
  const send = (max: number) => {
    const { items, index } = reading!;
    const chunk = readChunk(items, index, max);
    // The buffers move to the main thread rather than being copied.
    post({ kind: 'chunk', chunk }, [chunk.bytes, chunk.hashes, chunk.ends.buffer, chunk.dates.buffer, chunk.numbers.buffer] as ArrayBuffer[]);
  };
  port.on('message', (m: ToReplayWorker) => {
    try {
      if (m.kind === 'first part') {
        const index = joinIndexes(m.index, second, data.fetchedAt);
        post({ kind: 'index', errors: errorLines(index), count: index.order.length, firstFictional: index.firstFictional || undefined });
        reading = { items: replayItems(index, data.fd, data.file, data, data.fetchedAt), index };
        for (const max of asked.splice(0)) send(max);
      } else if (reading) send(m.max);
      else asked.push(m.max);
    } catch (e) {
      fail(e);
    }
  });
} catch (e) {
  fail(e);
}

/**
 * The next `max` of `items` as a Chunk: each one's line, its assertions and its text hash. The hash is worked out here because extraction has just normalized the same text
 * (normalizeText remembers it); on the main thread it cost half again as much. The Chunk's
 * buffers are its own, for the message to transfer.
 */
function readChunk(items: Iterator<{ item: Item; line: Line }>, index: ReplayIndex, max: number): Chunk {
  let bytes = Buffer.from(new ArrayBuffer(64 << 10));
  let used = 0;
  const ends: number[] = [];
  const dates: number[] = [];
  const numbers: number[] = [];
  const publishers: string[] = [];
  const hashes = Buffer.from(new ArrayBuffer(max * 16));
  const assertions: Chunk['assertions'] = [];
  while (ends.length < max) {
    const next = items.next();
    if (next.done) break;
    const { item, line } = next.value;
    const { buf, start, end, i } = line;
    const claims = extractItem(extractor, item);
    textHash(item.title, item.text).copy(hashes, ends.length * 16);
    if (used + end - start > bytes.length) {
      const bigger = Buffer.from(new ArrayBuffer(Math.max(bytes.length * 2, used + end - start)));
      bytes.copy(bigger, 0, 0, used);
      bytes = bigger;
    }
    used += buf.copy(bytes, used, start, end);
    if (claims.length) assertions.push([ends.length, claims]);
    ends.push(used);
    dates.push(index.dates[i]!);
    numbers.push(index.numbers[i]!);
    publishers.push(item.publisher);
  }
  return {
    // (Transferred whole: the ends say how much of it is lines.)
    bytes: bytes.buffer,
    ends: Uint32Array.from(ends),
    dates: Float64Array.from(dates),
    numbers: Float64Array.from(numbers),
    publishers,
    hashes: hashes.buffer,
    assertions,
  };
}
