// The whole daemon under fire: the real `pactwatch run` against the local world, killed with
// SIGKILL at random moments and restarted, while the feeds fail at random (500s, 429s, hangs,
// cut-off bodies, one GUID on every item) and two decoy sources are hostile every time (an
// absurd Retry-After; an internal address). At the end the books must balance: every transition
// the story implies is in the store exactly once, every alert is on the PDS exactly once, nothing
// else was posted, the database passes its integrity check, the internal address was never
// requested, and the absurd wait was clamped and not hammered.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { startDaemon, type Daemon } from './daemon.js';
import { prng } from './prng.js';
import { EXPECTED, QUIET_UNTIL, STORY, STORY_END, UNCHANGED } from './story.js';
import { DECOYS } from './feeds.js';
import { DECOY_SOURCES, startWorld, type World } from './world.js';
import { auditStream, streamsCaughtUp, streamsStarted } from './stream-books.js';
import { STREAM_SIGNER, streamExpected } from './stream-world.js';

export interface TortureOptions {
  kills: number;
  /** Chance that a feed request fails. */
  faultRate?: number;
  noisePerHour?: number;
  seed?: number;
  /** Progress lines go here. */
  say?: (line: string) => void;
}

export interface TortureReport {
  kills: number;
  problems: string[];
  transitions: number;
  alerts: number;
  posts: number;
  items: number;
  /** The stream's posts: made, that had to be stored, stored. */
  stream: { posts: number; mustStore: number; stored: number } | undefined;
  faults: Record<string, number>;
  seconds: number;
  /** From SIGTERM to the last daemon's exit. */
  stopSeconds: number;
  logFile: string;
}

// A kill comes 0.2–4 s after a start: a quarter land in start-up (about a second), the rest
// mid-poll, mid-post or idle.
const KILL_AFTER_S = [0.2, 4] as const;
const MEAN_CYCLE_S = (KILL_AFTER_S[0] + KILL_AFTER_S[1]) / 2;

/** A read-only look at the daemon's database (WAL lets it read while the daemon writes). */
export function look<T>(dbPath: string, read: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** `look`, or `otherwise` while the daemon has not made its database (file and tables) yet. */
export function lookOnceMade<T>(dbPath: string, read: (db: Database.Database) => T, otherwise: T): T {
  try {
    return look(dbPath, read);
  } catch {
    return otherwise;
  }
}

/** True once every source has polled successfully since `since` (an ISO time). */
export function allPolledSince(dbPath: string, since: string, sources: number): boolean {
  try {
    return look(dbPath, (db) => (db.prepare('SELECT count(*) AS n FROM sources WHERE last_success >= ?').get(since) as { n: number }).n >= sources);
  } catch {
    return false; // not created yet
  }
}

/** Every polled source has polled since `since`, and every stream has started (or read all it was sent). */
export function worldRead(world: World, dbPath: string, since: string, streams: 'started' | 'caught-up'): boolean {
  if (!allPolledSince(dbPath, since, world.sourceCount)) return false;
  const stream = world.stream;
  if (!stream) return true;
  return look(dbPath, (db) => (streams === 'started' ? streamsStarted(db, stream) : streamsCaughtUp(db, stream)));
}

export function pendingAlerts(dbPath: string): number {
  return look(dbPath, (db) => (db.prepare("SELECT count(*) AS n FROM alerts WHERE state <> 'sent'").get() as { n: number }).n);
}

export async function until(what: string, timeoutMs: number, test: () => boolean): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!test()) {
    if (performance.now() > end) throw new Error(`timed out waiting until ${what}`);
    await sleep(200);
  }
}


export async function runTorture(options: TortureOptions): Promise<TortureReport> {
  const say = options.say ?? (() => {});
  const started = performance.now();
  const random = prng(options.seed ?? 42);
  const dir = mkdtempSync(join(tmpdir(), 'pactwatch-torture-'));
  const dbPath = join(dir, 'pactwatch.db');
  const logFile = join(dir, 'daemon.log');
  // The story should unfold over the kills: from the end of the quiet time to its last step.
  const minutesPerSecond = (STORY_END - QUIET_UNTIL + 20) / (options.kills * MEAN_CYCLE_S * 0.8);
  const world = await startWorld({
    noisePerHour: options.noisePerHour ?? 300,
    untilMinute: STORY_END + 60,
    startMinute: QUIET_UNTIL - 10,
    seed: options.seed,
    decoys: true,
    stream: { modes: ['authors', 'firehose'], accounts: [STREAM_SIGNER], story: true },
  });
  const problems: string[] = [];
  let daemon: Daemon | undefined;
  try {
    // Warm-up: every source's first poll is silent catch-up, so the story waits until all have one.
    const warm = new Date().toISOString();
    daemon = startDaemon(world.env(dbPath), logFile);
    await until('every source has polled once and every stream has its cursor', 60_000, () => worldRead(world, dbPath, warm, 'started'));
    say(`warm: every source polled; the story runs at ${minutesPerSecond.toFixed(1)} simulated minutes a second`);
    world.clock.run(minutesPerSecond);
    world.stream!.start(world.clock);
    world.feeds.faultRate = options.faultRate ?? 0.15;

    for (let kill = 1; kill <= options.kills; kill++) {
      // A random moment: during start-up, mid-poll, mid-post, or idle.
      await sleep((KILL_AFTER_S[0] + random() * (KILL_AFTER_S[1] - KILL_AFTER_S[0])) * 1000);
      const end = await daemon.stop('SIGKILL');
      if (end.signal !== 'SIGKILL') problems.push(`kill ${kill}: the daemon had already exited (${JSON.stringify(end)}); see ${logFile}`);
      if (kill % 10 === 0 || kill === options.kills) say(`kill ${kill}/${options.kills} at simulated minute ${world.clock.minute().toFixed(0)}`);
      daemon = startDaemon(world.env(dbPath), logFile);
    }

    // Calm: the rest of the story at once, no faults; the last daemon must catch up and post.
    world.feeds.faultRate = 0;
    world.clock.jump(STORY_END + 10);
    world.stream!.stop(world.clock);
    const calm = new Date().toISOString();
    await until('every source has polled after the story ended, every stream has read all it was sent, and the outbox is empty', 90_000, () => worldRead(world, dbPath, calm, 'caught-up') && pendingAlerts(dbPath) === 0);
    await sleep(1500); // one more poll of everything: nothing new may appear
    const stopAt = performance.now();
    const stopped = await daemon.stop('SIGTERM');
    const stopSeconds = (performance.now() - stopAt) / 1000;
    if (stopped.code !== 0) problems.push(`the last daemon did not stop cleanly on SIGTERM: ${JSON.stringify(stopped)}`);
    daemon = undefined;
    auditDecoys(world, dbPath, options.kills + 2, problems);
    return { ...(await audit(world, dbPath, problems)), kills: options.kills, faults: Object.fromEntries(world.feeds.served), seconds: (performance.now() - started) / 1000, stopSeconds, logFile };
  } finally {
    if (daemon) await daemon.stop('SIGKILL');
    await world.close();
    if (problems.length === 0 && !process.env.PACTWATCH_KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The decoys' checks: the internal address was refused without a request, and the absurd wait
 * was clamped to a day and asked for at most once per daemon start (`starts`). Adds to `problems`.
 */
export function auditDecoys(world: World, dbPath: string, starts: number, problems: string[]): void {
  const state = look(dbPath, (db) => db.prepare('SELECT id, last_error AS lastError, next_poll AS nextPoll FROM sources WHERE id IN (?, ?)').all(DECOY_SOURCES.internal, DECOY_SOURCES.absurdWait)) as {
    id: string;
    lastError: string | null;
    nextPoll: string | null;
  }[];
  const internal = state.find((s) => s.id === DECOY_SOURCES.internal);
  const reached = world.feeds.served.get(DECOYS.internal) ?? 0;
  if (reached > 0) problems.push(`the internal-address decoy was requested ${reached} times; it must be refused before connecting`);
  if (!/^refused to connect to \S+ \(loopback address/.test(internal?.lastError ?? '')) problems.push(`the internal-address decoy's last error is ${JSON.stringify(internal?.lastError)}, not a refusal`);
  const absurd = state.find((s) => s.id === DECOY_SOURCES.absurdWait);
  const next = Date.parse(absurd?.nextPoll ?? '');
  if (!(next > Date.now() && next <= Date.now() + 86_400_000)) problems.push(`the absurd-wait decoy's next poll is ${JSON.stringify(absurd?.nextPoll)}, not within a day`);
  const asked = world.feeds.served.get(DECOYS.absurdWait) ?? 0;
  if (asked < 1 || asked > starts) problems.push(`the absurd-wait decoy was requested ${asked} times over ${starts} daemon starts`);
}

/** The end-of-run checks. Adds to `problems`; returns the counts. */
export async function audit(world: World, dbPath: string, problems: string[]) {
  const db = new Database(dbPath, { readonly: true });
  const expected = [...EXPECTED, ...(world.stream ? streamExpected() : [])];
  const unchanged = UNCHANGED.filter((party) => !expected.some((e) => e.party === party));
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const news = db.prepare("SELECT id, party, from_status AS 'from', to_status AS 'to', evidence_url AS evidence FROM transitions WHERE kind = 'news' ORDER BY id").all() as { id: number; party: string; from: string; to: string; evidence: string }[];
    for (const want of expected) {
      const got = news.filter((t) => t.party === want.party && t.from === want.from && t.to === want.to);
      if (got.length !== 1) problems.push(`transition ${want.party} ${want.from} → ${want.to}: recorded ${got.length} times, expected once`);
      else if (got[0]!.evidence !== want.evidence) problems.push(`transition ${want.party} → ${want.to}: evidence ${got[0]!.evidence}, expected ${want.evidence}`);
    }
    for (const t of news) if (!expected.some((w) => w.party === t.party && w.from === t.from && w.to === t.to)) problems.push(`unexpected transition ${t.party} ${t.from} → ${t.to} (evidence ${t.evidence})`);
    const status = db.prepare("SELECT party, status FROM party_status WHERE tracker = 'caisi'").all() as { party: string; status: string }[];
    const seeded = db.prepare("SELECT party, to_status AS status FROM transitions WHERE kind <> 'news'").all() as { party: string; status: string }[];
    for (const party of unchanged) {
      const now = status.find((s) => s.party === party)?.status;
      const initial = seeded.filter((s) => s.party === party).at(-1)?.status ?? 'unknown';
      if (now !== initial) problems.push(`${party} changed from ${initial} to ${now}, which nothing in the story says`);
    }

    const alerts = db.prepare('SELECT a.id, a.party, a.state, a.rkey, a.uri, a.transition_id FROM alerts a ORDER BY a.id').all() as { id: number; party: string; state: string; rkey: string | null; uri: string | null; transition_id: number | null }[];
    for (const t of news) {
      const mine = alerts.filter((a) => a.transition_id === t.id);
      if (mine.length !== 1 || mine[0]!.state !== 'sent') problems.push(`transition ${t.party} → ${t.to}: ${mine.length} alerts (${mine.map((a) => a.state).join(', ')}), expected one sent`);
    }
    if (alerts.length !== news.length) problems.push(`${alerts.length} alerts for ${news.length} transitions`);
    const posts = await world.posts();
    for (const a of alerts) {
      const n = posts.filter((p) => a.rkey !== null && p.uri.endsWith(`/${a.rkey}`)).length;
      if (n !== 1) problems.push(`alert ${a.id} (${a.party}) is on the PDS ${n} times`);
    }
    if (posts.length !== alerts.length) problems.push(`${posts.length} posts on the PDS for ${alerts.length} alerts: ${posts.map((p) => p.text.slice(0, 60)).join(' | ')}`);

    // Nothing lost: every step of the story was read (the social ones by their post's address).
    const urls = new Set((db.prepare('SELECT url FROM items').all() as { url: string | null }[]).map((r) => r.url));
    for (const e of STORY) {
      const url = e.feed === 'bsky' ? `https://bsky.app/profile/${e.handle}/post/${e.id}` : e.link;
      if (!urls.has(url)) problems.push(`story step "${e.id}" (${e.role}) was never read: no item has ${url}`);
    }
    const stream = world.stream ? auditStream(db, world.stream, problems) : undefined;
    const items = (db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n;
    return { problems, transitions: news.length, alerts: alerts.length, posts: posts.length, items, stream };
  } finally {
    db.close();
  }
}
