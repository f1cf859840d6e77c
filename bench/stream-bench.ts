// The Bluesky stream through the real daemon, measured from outside it (issue 20): the firehose's
// CPU at 2,000 posts/s and its fastest rate (firehose-bench.ts); the time from an official
// account's post on the local Jetstream to the alert's post on the local PDS, in authors mode; and
// a restart in the middle of a burst. Each part has a world and a daemon of its own.
import { setTimeout as sleep } from 'node:timers/promises';
import { streamsStarted } from '../world/stream-books.js';
import { allPolledSince, lookOnceMade, until } from '../world/torture.js';
import type { WorldOptions } from '../world/world.js';
import { benchFirehose, benchRestart, FIREHOSE_RATE, type FirehoseFigures, type RestartFigures } from './firehose-bench.js';
import { percentile, timeToPost, withWorldDaemon } from './world-run.js';

const LATENCY_SAMPLES = 20;
/** Parties with no initial status, each with an official account that signs and withdraws in turn. */
const LATENCY_PARTIES = ['amazon', 'nvidia', 'thinking-machines', 'ssi'];

export const STREAM_TARGETS = { cores: 0.5, latencyP95Ms: 2_000 } as const;

export interface StreamFigures {
  firehose: FirehoseFigures;
  restart: RestartFigures;
  latency: { samplesMs: number[]; p95Ms: number; medianMs: number; maxMs: number };
}

const quietWorld = (stream: WorldOptions['stream']): WorldOptions => ({ noisePerHour: 0, untilMinute: 0, story: false, stream });

/** p95 of 20 alerts: each an official account's post that changes its party's status. */
async function benchStreamLatency(): Promise<StreamFigures['latency']> {
  return withWorldDaemon('stream-latency', quietWorld({ modes: ['authors'], accounts: LATENCY_PARTIES, only: true }), async (run) => {
    const stream = run.world.stream!;
    const warm = new Date().toISOString();
    await until('the accounts have polled once and the stream has its cursor', 60_000, () => allPolledSince(run.dbPath, warm, run.world.sourceCount) && lookOnceMade(run.dbPath, (db) => streamsStarted(db, stream), false));
    const samplesMs: number[] = [];
    for (let k = 0; k < LATENCY_SAMPLES; k++) {
      const account = stream.accounts[k % stream.accounts.length]!;
      // Each account signs, then withdraws, then signs again: every post is a change.
      const signs = Math.floor(k / stream.accounts.length) % 2 === 0;
      const text = signs ? `We have signed the CAISI pre-release testing agreement with the Commerce Department (note ${k}).` : `We have withdrawn from the CAISI pre-release testing agreement (note ${k}).`;
      // A random moment, as posts come.
      await sleep(1000 + Math.random() * 1000);
      samplesMs.push(await timeToPost(run, `${account.party} (sample ${k})`, () => stream.post({ did: account.did, rkey: `latency-${k}`, text }, true, 'latency sample')));
    }
    return { samplesMs, p95Ms: percentile(samplesMs, 95), medianMs: percentile(samplesMs, 50), maxMs: percentile(samplesMs, 100) };
  });
}

export async function benchStream(say: (line: string) => void = () => {}): Promise<StreamFigures> {
  const { firehose, restart } = await withWorldDaemon('firehose', quietWorld({ modes: ['firehose'], accounts: [], only: true }), async (run) => {
    say(`firehose at ${FIREHOSE_RATE} posts/s…`);
    const f = await benchFirehose(run);
    say('restart mid-burst…');
    return { firehose: f, restart: await benchRestart(run) };
  });
  say('stream alert latency…');
  const latency = await benchStreamLatency();
  return { firehose, restart, latency };
}

type Row = [name: string, value: string, target: string, ok: boolean | undefined];
const n = (x: number) => x.toLocaleString('en-US');

/** The bench's rows for the stream, each beside its target. */
export function streamRows(s: StreamFigures): Row[] {
  const { firehose: f, restart: r, latency: l } = s;
  const all = f.processed === f.sent && f.lost === 0 && f.repeated === 0 && f.inOrder;
  return [
    [`firehose CPU at ${n(FIREHOSE_RATE)} posts/s (cores)`, f.cores.toFixed(2), `< ${STREAM_TARGETS.cores}`, f.cores < STREAM_TARGETS.cores],
    ['  daemon idle, stream open (cores)', f.idleCores.toFixed(2), '(report)', true],
    ['  posts processed / sent', `${n(f.processed)} / ${n(f.sent)}`, 'all', f.processed === f.sent],
    ['  prefiltered stored / lost / twice', `${n(f.stored)} / ${f.lost} / ${f.repeated}`, '0 lost, 0 twice', f.lost === 0 && f.repeated === 0],
    ['  stored in the order sent', f.inOrder ? 'yes' : 'no', 'yes', f.inOrder],
    ['  lag when sending stopped (s)', f.lagAtStopSeconds.toFixed(2), '(report)', true],
    ['  caught up after (s)', f.drainSeconds.toFixed(2), '(report)', all],
    ['firehose max posts/s (as read)', n(f.fastestPerSec), '(report)', true],
    ['  CPU at that rate (cores)', f.fastestCores.toFixed(2), '(report)', true],
    [`stream alert latency ms, p95 of ${l.samplesMs.length}`, n(l.p95Ms), `≤ ${n(STREAM_TARGETS.latencyP95Ms)}`, l.p95Ms <= STREAM_TARGETS.latencyP95Ms],
    ['  median / worst', `${n(l.medianMs)} / ${n(l.maxMs)}`, '(report)', true],
    [`restart mid-burst (${n(r.burst)} posts)`, `lost ${r.lost}, repeated ${r.repeated}`, 'lost 0, repeated 0', r.lost === 0 && r.repeated === 0],
    ['  stored when killed', n(r.storedAtKill), '(report)', r.storedAtKill > 0 && r.storedAtKill < r.burst],
  ];
}

// Run alone: `node dist/bench/stream-bench.js` prints the stream's rows only.
if (process.argv[1]?.endsWith('/stream-bench.js')) {
  const figures = await benchStream((line) => process.stderr.write(`${line}\n`));
  for (const [name, value, target, ok] of streamRows(figures)) process.stderr.write(`${name.padEnd(40)}${value.padStart(20)}${target.padStart(20)}${ok === undefined ? '' : ok ? '  ok' : '  MISSED'}\n`);
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(figures)}\n`);
}
