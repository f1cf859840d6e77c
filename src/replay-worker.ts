// Replay's reading half, in a worker thread (see readReplayInWorker): it indexes the file, then
// reads the items a few chunks ahead of the main thread and works out what the store needs of
// each. Each chunk is asked for by one message (its size); every reply is a ReplayMessage.
import { parentPort, workerData } from 'node:worker_threads';
import { UsageError } from './errors.js';
import { compileConfig } from './extract/compile.js';
import { createExtractor } from './extract/extract.js';
import { prepare } from './pipeline.js';
import { indexReplay, readChunk, replayLines, sourceMap, type ReplayMessage, type ReplayWorkerData } from './replay.js';

const data = workerData as ReplayWorkerData;
const port = parentPort!;
const post = (m: ReplayMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
const fail = (e: unknown) => post({ kind: 'error', message: e instanceof Error ? e.message : String(e), usage: e instanceof UsageError });

try {
  const index = indexReplay(data.fd, data.file, data, data.fetchedAt);
  post({ kind: 'index', errors: index.errors, count: index.order.length });
  const lines = replayLines(index, data.fd, data.file);
  const extractor = createExtractor(compileConfig(data));
  const reading = { index, sources: sourceMap(data), fetchedAt: data.fetchedAt, file: data.file };
  port.on('message', (max: number) => {
    try {
      const chunk = readChunk(lines, max, reading, (item) => prepare(extractor, item));
      // The buffers move to the main thread rather than being copied.
      post({ kind: 'chunk', chunk }, [chunk.bytes, chunk.hashes, chunk.ends.buffer, chunk.dates.buffer, chunk.numbers.buffer] as ArrayBuffer[]);
    } catch (e) {
      fail(e);
    }
  });
} catch (e) {
  fail(e);
}
