// The firehose through the real daemon (prefilter, extractor, store): the world's Jetstream sends
// generated posts at a fixed rate to a daemon whose one source is a firehose-mode stream, and the
// daemon process's CPU is read from /proc over the steady window; then as fast as the socket takes
// them; then a burst of relevant posts during which the daemon is killed and restarted. How far
// the daemon has read is its stored cursor (the time_us of the last event fully processed), so
// every figure comes from outside the daemon.
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../src/config/load.js';
import { streamPrefilter } from '../src/pipeline/poll.js';
import { didOf } from '../world/appview.js';
import { cpuSeconds } from '../world/daemon.js';
import type { StreamPost } from '../world/jetstream.js';
import { storedCounts, streamCursors, streamsCaughtUp, streamsStarted } from '../world/stream-books.js';
import { permalink } from '../world/stream-world.js';
import { look, lookOnceMade, until } from '../world/torture.js';
import { corpusItems } from './corpus.js';
import type { WorldRun } from './world-run.js';

export const FIREHOSE_RATE = 2_000;
const WARM_S = 5;
const STEADY_S = 20;
const IDLE_S = 3;
const FASTEST_S = 10;
const BURST = 3_000;
// Relevant posts at half the firehose's rate: every one reaches extraction and the store.
const BURST_RATE = 1_000;
const DRAIN_TIMEOUT_MS = 180_000;

export interface FirehoseFigures {
  /** Cores the daemon used with the stream open and nothing on it. */
  idleCores: number;
  /** Cores over the steady window at FIREHOSE_RATE. */
  cores: number;
  sent: number;
  /** Events the daemon had processed once it caught up (all of them, when it keeps up). */
  processed: number;
  /** Seconds the daemon was behind the last post when the generator stopped, and how long it took to catch up. */
  lagAtStopSeconds: number;
  drainSeconds: number;
  /** Posts the prefilter lets through (they must be stored), how many were, and whether in the order sent. */
  mustStore: number;
  stored: number;
  lost: number;
  repeated: number;
  inOrder: boolean;
  /** As fast as the socket takes them: posts the daemon processed per second, and the cores it used. */
  fastestPerSec: number;
  fastestCores: number;
}

export interface RestartFigures {
  burst: number;
  /** Burst posts stored when the daemon was killed. */
  storedAtKill: number;
  lost: number;
  repeated: number;
}

const posters = Array.from({ length: 5_000 }, (_, i) => didOf(`poster${i}.bsky.social`));

/** Generated posts like the bench's feed corpus: `relevantShare` about the agreement, the rest naming nobody; each text unique (the store drops exact repeats). */
export function generatedPosts(count: number, relevantShare: number, tag: string, seed = 42): StreamPost[] {
  const out: StreamPost[] = [];
  let i = 0;
  for (const item of corpusItems(count, relevantShare, 0, seed)) {
    out.push({ did: posters[i % posters.length]!, rkey: `${tag}${String(i).padStart(7, '0')}`, text: `${item.title}. ${item.text} #${tag}${i}` });
    i++;
  }
  return out;
}

/** How many events the daemon has processed: those at or before its stored cursor. */
function processed(run: WorldRun, id: string): number {
  const cursor = look(run.dbPath, (db) => streamCursors(db, [id]).get(id));
  return cursor == null ? 0 : run.world.stream!.jetstream.countUpTo(cursor);
}

async function coresOver(run: WorldRun, seconds: number): Promise<number> {
  const c = cpuSeconds(run.daemon.pid);
  const t = performance.now();
  await sleep(seconds * 1000);
  return (cpuSeconds(run.daemon.pid) - c) / ((performance.now() - t) / 1000);
}

const caughtUp = (run: WorldRun) => look(run.dbPath, (db) => streamsCaughtUp(db, run.world.stream!));

/** Each post's stored count; lost (must be stored, is not) and repeated (stored more than once). */
function books(run: WorldRun, posts: readonly StreamPost[], mustStore: (p: StreamPost) => boolean) {
  const urls = posts.map((p) => permalink(p.did, p.rkey));
  const counts = look(run.dbPath, (db) => storedCounts(db, urls));
  let lost = 0;
  let repeated = 0;
  let stored = 0;
  posts.forEach((p, i) => {
    const n = counts.get(urls[i]!)!;
    stored += n;
    repeated += Math.max(0, n - 1);
    if (n === 0 && mustStore(p)) lost++;
  });
  return { lost, repeated, stored };
}

export async function benchFirehose(run: WorldRun): Promise<FirehoseFigures> {
  const stream = run.world.stream!;
  const id = stream.sourceIds.firehose!;
  await until('the firehose stream has its cursor', 60_000, () => lookOnceMade(run.dbPath, (db) => streamsStarted(db, stream), false));
  const idleCores = await coresOver(run, IDLE_S);

  const posts = generatedPosts(FIREHOSE_RATE * (WARM_S + STEADY_S + 2), 0.02, 'p');
  const steady = stream.jetstream.generate(FIREHOSE_RATE, (i) => posts[i]!);
  await sleep(WARM_S * 1000);
  const cores = await coresOver(run, STEADY_S);
  const sent = steady.stop();
  const stopped = performance.now();
  const cursorAtStop = look(run.dbPath, (db) => streamCursors(db, [id]).get(id)) ?? 0;
  const lagAtStopSeconds = Math.max(0, (stream.jetstream.lastTimeUs()! - cursorAtStop) / 1e6);
  await until('the daemon has read the firehose to its last post', DRAIN_TIMEOUT_MS, () => caughtUp(run));
  const drainSeconds = (performance.now() - stopped) / 1000;
  // The log holds the steady posts alone so far.
  const steadyProcessed = processed(run, id);

  const made = posts.slice(0, sent);
  const prefilter = streamPrefilter({ config: loadConfig(run.world.configDir) });
  const must = (p: StreamPost) => prefilter(p.text);
  const { lost, repeated, stored } = books(run, made, must);
  const order = new Map(made.map((p, i) => [permalink(p.did, p.rkey), i]));
  const storedOrder = look(run.dbPath, (db) => (db.prepare('SELECT url FROM items WHERE source_id = ? ORDER BY id').all(id) as { url: string }[]).map((r) => order.get(r.url) ?? -1));
  const inOrder = storedOrder.every((n, i) => n >= 0 && (i === 0 || n > storedOrder[i - 1]!));

  // As fast as the socket takes them: each post made when the daemon's socket has room for it.
  const base = generatedPosts(10_000, 0.02, 'f', 7);
  const fast = stream.jetstream.generate('fastest', (i) => ({ ...base[i % base.length]!, rkey: `f${i}`, text: `${base[i % base.length]!.text} ${i}` }));
  await sleep(2_000);
  const n1 = processed(run, id);
  const c1 = cpuSeconds(run.daemon.pid);
  const t1 = performance.now();
  await sleep(FASTEST_S * 1000);
  const n2 = processed(run, id);
  const seconds = (performance.now() - t1) / 1000;
  const fastestCores = (cpuSeconds(run.daemon.pid) - c1) / seconds;
  fast.stop();
  await until('the daemon has read the fastest run to its last post', DRAIN_TIMEOUT_MS, () => caughtUp(run));

  return {
    idleCores: round2(idleCores),
    cores: round2(cores),
    sent,
    processed: steadyProcessed,
    lagAtStopSeconds: round2(lagAtStopSeconds),
    drainSeconds: round2(drainSeconds),
    mustStore: made.filter(must).length,
    stored,
    lost,
    repeated,
    inOrder,
    fastestPerSec: Math.round((n2 - n1) / seconds),
    fastestCores: round2(fastestCores),
  };
}

/**
 * A burst of relevant posts at BURST_RATE; the daemon is SIGKILLed once a third of it is stored,
 * then restarted. (Not all at once: `once`'s catch-up reads 5,000 items a run from 5 s before its
 * cursor, so over 5,000 prefiltered posts inside 5 s would stall it, each run reading the same.)
 */
export async function benchRestart(run: WorldRun): Promise<RestartFigures> {
  const stream = run.world.stream!;
  const id = stream.sourceIds.firehose!;
  const burst = generatedPosts(BURST, 1, 'b', 11);
  const before = look(run.dbPath, (db) => (db.prepare('SELECT coalesce(max(id), 0) AS n FROM items').get() as { n: number }).n);
  const storedSince = () => look(run.dbPath, (db) => (db.prepare('SELECT count(*) AS n FROM items WHERE source_id = ? AND id > ?').get(id, before) as { n: number }).n);
  const sending = stream.jetstream.generate(BURST_RATE, (i) => burst[i]!, BURST);
  await until('a third of the burst is stored', DRAIN_TIMEOUT_MS, () => storedSince() >= BURST / 3);
  await run.daemon.stop('SIGKILL');
  const storedAtKill = storedSince();
  run.restart();
  await until('the burst is sent and the restarted daemon has read it to its last post', DRAIN_TIMEOUT_MS, () => sending.made() === BURST && caughtUp(run));
  sending.stop();
  const { lost, repeated } = books(run, burst, () => true);
  return { burst: BURST, storedAtKill, lost, repeated };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
