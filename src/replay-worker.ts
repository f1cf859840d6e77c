// Replay's reading half, in a worker thread (see readReplayInWorker): it indexes the second half
// of the file, joins the main thread's index of the first half to it, then reads the items a few
// chunks ahead of the main thread and works out what the store needs of each. Every message it
// gets is a ToReplayWorker, and every reply a ReplayMessage.
import { parentPort, workerData } from 'node:worker_threads';
import { UsageError } from './errors.js';
import { compileConfig } from './extract/compile.js';
import { createExtractor } from './extract/extract.js';
import { prepare } from './pipeline.js';
import {
  errorLines,
  indexReplay,
  joinIndexes,
  readChunk,
  replayLines,
  sourceMap,
  type Line,
  type ReplayIndex,
  type ReplayMessage,
  type ReplayWorkerData,
  type ToReplayWorker,
} from './replay.js';

const data = workerData as ReplayWorkerData;
const port = parentPort!;
const post = (m: ReplayMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
const fail = (e: unknown) => post({ kind: 'error', message: e instanceof Error ? e.message : String(e), usage: e instanceof UsageError });

try {
  const second = indexReplay(data.fd, data.file, data, data.fetchedAt, data.from);
  const extractor = createExtractor(compileConfig(data));
  const sources = sourceMap(data);
  let reading: { lines: Iterator<Line>; index: ReplayIndex } | undefined;
  // Chunks asked for before the first part came wait for it.
  const asked: number[] = [];
  const send = (max: number) => {
    const { lines, index } = reading!;
    const chunk = readChunk(lines, max, { index, sources, fetchedAt: data.fetchedAt, file: data.file }, (item) => prepare(extractor, item));
    // The buffers move to the main thread rather than being copied.
    post({ kind: 'chunk', chunk }, [chunk.bytes, chunk.hashes, chunk.ends.buffer, chunk.dates.buffer, chunk.numbers.buffer] as ArrayBuffer[]);
  };
  port.on('message', (m: ToReplayWorker) => {
    try {
      if (m.kind === 'first part') {
        const index = joinIndexes(m.index, second, data.fetchedAt);
        post({ kind: 'index', errors: errorLines(index), count: index.order.length });
        reading = { lines: replayLines(index, data.fd, data.file), index };
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
