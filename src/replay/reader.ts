// Replay's reading in two threads: the main thread's side (readReplayInWorker) and what the two
// threads say to each other. The worker's side is worker.ts.
import { fstatSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Config, Source } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { Extracted } from '../pipeline/process.js';
import { indexReplay, type ReplayIndex } from './first-pass.js';
import { parseLine, sourceMap } from './line.js';
import { cannotRead, changed, lineStartFrom } from './lines.js';
import type { Assertion } from '../model/assertion.js';

/** What the reading worker is given: the open file, where its part of the first pass starts, and the config. */
export interface ReplayWorkerData extends Pick<Config, 'sources' | 'trackers' | 'language'> {
  fd: number;
  file: string;
  from: number;
  fetchedAt: Date;
}

/** What the main thread tells the worker: its part of the first pass, then how many items each chunk it wants holds. */
export type ToReplayWorker = { kind: 'first part'; index: ReplayIndex } | { kind: 'chunk'; max: number };

/**
 * A chunk of items from the worker: each line's bytes (which this thread parses) and what the
 * first pass found of it, with what the store needs that takes the extractor to work out.
 */
export interface Chunk {
  /** The lines' UTF-8 bytes, one after another (and then unused space); line k ends at ends[k]. */
  bytes: ArrayBuffer;
  ends: Uint32Array;
  dates: Float64Array;
  publishers: string[];
  numbers: Float64Array;
  /** Each item's text hash, 16 bytes an item. */
  hashes: ArrayBuffer;
  /** The assertions of the few items that make any: [position in the chunk, assertions]. */
  assertions: [number, Assertion[]][];
}

/** What the reading worker says: the first pass's findings, a chunk, or why it stopped. */
export type ReplayMessage =
  | { kind: 'index'; errors: string[]; count: number; firstFictional: number | undefined }
  | { kind: 'chunk'; chunk: Chunk }
  | { kind: 'error'; message: string; usage: boolean };

/** A replay file read by a worker thread (see readReplayInWorker). */
export interface ReplayReader {
  /**
   * Indexes this thread's half of the file while the worker indexes the other, and gives the bad
   * lines, the count of items and the first line marked fictional once the worker has joined
   * the two.
   */
  index(): Promise<{ errors: string[]; count: number; firstFictional: number | undefined }>;
  /**
   * The next `max` items in date order (fewer at the end), with their assertions. Ask for the
   * next chunks before storing this one: the worker reads them meanwhile.
   */
  next(max: number): Promise<{ length: number; items: Generator<Extracted> }>;
  close(): Promise<void>;
}

/**
 * Replay's reading, and the work that needs no database, mostly in a worker thread. The first
 * pass is split: this thread indexes the first half of the file and the worker the second, and
 * the worker joins the two. The worker then reads the items a few chunks ahead of this thread,
 * extracts their assertions and hashes their text. It sends each chunk's line bytes rather than
 * the items: this thread parses them again as it stores them, which costs less than items sent
 * whole, and keeps no more than one item at a time. The worker's own memory is counted in
 * docs/performance.md.
 *
 * The worker's failures come back as this thread's: a bad file as a UsageError naming the line,
 * anything else as an Error. A file this thread cannot read throws here.
 */
export function readReplayInWorker(fd: number, file: string, config: Config, fetchedAt: Date): ReplayReader {
  let half: number;
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error('not a file');
    half = lineStartFrom(fd, Math.floor(stat.size / 2));
  } catch (e) {
    throw cannotRead(file, e);
  }
  const data: ReplayWorkerData = { fd, file, from: half, fetchedAt, sources: config.sources, trackers: config.trackers, language: config.language };
  const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: data });
  const tell = (m: ToReplayWorker, transfer: ArrayBuffer[] = []) => worker.postMessage(m, transfer);
  const sources = sourceMap(config);
  // Replies come in the order asked: the index first, then each chunk.
  const waiting: { resolve: (m: ReplayMessage) => void; reject: (e: Error) => void }[] = [];
  let failure: Error | undefined;
  let closed = false;
  const fail = (e: Error) => {
    failure ??= e;
    for (const w of waiting.splice(0)) w.reject(failure);
  };
  worker.on('message', (m: ReplayMessage) => {
    if (m.kind === 'error') fail(m.usage ? new UsageError(m.message) : new Error(`replay: ${m.message}`));
    else waiting.shift()?.resolve(m);
  });
  worker.on('error', (e) => fail(e));
  worker.on('exit', (code) => {
    if (!closed) fail(new Error(`replay: the reading thread stopped (exit code ${code})`));
  });
  const reply = <T>(read: (m: ReplayMessage) => T): Promise<T> => {
    const answer = new Promise<ReplayMessage>((resolve, reject) => (failure ? reject(failure) : waiting.push({ resolve, reject }))).then(read);
    // Rejections are for the caller who awaits; one left unawaited (a chunk asked for before a
    // failure elsewhere) must not end the process as an unhandled rejection.
    answer.catch(() => {});
    return answer;
  };
  const index = reply((m) => {
    const { errors, count, firstFictional } = m as Extract<ReplayMessage, { kind: 'index' }>;
    return { errors, count, firstFictional };
  });
  return {
    async index() {
      const first = indexReplay(fd, file, config, fetchedAt, 0, half);
      tell({ kind: 'first part', index: first }, [first.order, first.dates, first.publisherOf, first.offsets, first.lengths, first.numbers].map((a) => a.buffer as ArrayBuffer));
      return index;
    },
    next(max) {
      const chunk = reply((m) => {
        const { chunk } = m as Extract<ReplayMessage, { kind: 'chunk' }>;
        return { length: chunk.ends.length, items: chunkItems(chunk, sources, fetchedAt, file) };
      });
      tell({ kind: 'chunk', max });
      return chunk;
    },
    async close() {
      closed = true;
      await worker.terminate();
    },
  };
}

/** A chunk's items, parsed one at a time as they are stored. */
function* chunkItems(chunk: Chunk, sources: Map<string, Source>, fetchedAt: Date, file: string): Generator<Extracted> {
  const bytes = Buffer.from(chunk.bytes);
  const claims = new Map(chunk.assertions);
  for (let k = 0; k < chunk.ends.length; k++) {
    const text = bytes.toString('utf8', k === 0 ? 0 : chunk.ends[k - 1]!, chunk.ends[k]!);
    const item = parseLine(text, sources, fetchedAt, { date: chunk.dates[k]!, publisher: chunk.publishers[k]! });
    // (The worker parsed these very bytes.)
    if (typeof item === 'string') throw changed(file, chunk.numbers[k]!, item);
    yield { item, assertions: claims.get(k) ?? [], textHash: Buffer.from(chunk.hashes, k * 16, 16) };
  }
}
