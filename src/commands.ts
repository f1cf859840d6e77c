// The ledger commands: replay, status, status set, once, alerts. cli.ts parses and maps errors.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { userInfo } from 'node:os';
import { blueskyConfigured, openApp, databaseExists, type App } from './app.js';
import { loadConfig } from './config/load.js';
import { checkConfigApart } from './config/check-patterns.js';
import type { Env } from './config/env.js';
import { UsageError } from './errors.js';
import { processNext, setStatus, type ItemResult } from './pipeline.js';
import { dryRunText } from './publish/dry-run.js';
import { drainOutbox } from './publish/outbox.js';
import { readReplayInWorker } from './replay-reader.js';
import { openDatabase, useBulkCache } from './store/db.js';
import { Store } from './store/store.js';
import { formatStatus, statusSnapshot } from './status/snapshot.js';
import { FICTIONAL_NOTE, type AlertRow, type AlertState } from './model/alert.js';
import type { TransitionRow } from './model/ledger.js';
import { PARTY_STATUSES, type PartyStatus } from './model/party.js';

export interface Paths {
  configDir: string;
  dbPath: string;
  env: Env;
}

const err = (line: string) => process.stderr.write(`${line}\n`);

export function transitionJson(t: TransitionRow, app: Pick<App, 'store'>) {
  return {
    id: t.id,
    tracker: t.tracker,
    party: t.party,
    from: t.from,
    to: t.to,
    at: t.at,
    kind: t.kind,
    reason: t.reason,
    evidence: t.kind === 'manual' ? [{ url: t.evidenceUrl, publisher: 'maintainer', quote: t.note ?? '' }] : app.store.transitionEvidence(t.id).map((e) => ({ url: e.url, publisher: e.publisher, quote: e.quote })),
  };
}

export function alertJson(a: AlertRow) {
  return {
    id: a.id,
    tracker: a.tracker,
    party: a.party,
    status: a.status,
    state: a.state,
    text: a.text,
    createdAt: a.createdAt,
    ...(a.uri ? { uri: a.uri } : {}),
  };
}

/** One pass of the outbox, within the configured cap and spacing (a dry run needs no spacing). */
async function drain(app: App) {
  const publisher = await app.publisher();
  const p = app.config.settings.publish;
  return drainOutbox(app.store, publisher, { limit: p.maxPostsPerRun, spacingMs: publisher.name === 'dry-run' ? 0 : p.spacingSeconds * 1000 });
}

function describe(t: TransitionRow): string {
  return `${t.at.slice(0, 10)}  ${t.tracker}/${t.party}: ${t.from} → ${t.to} (${t.kind}; ${t.reason})`;
}

/**
 * Replay's items in one transaction: each item's effects stay together, and a batch commits
 * once. Every commit rewrites the index pages the batch touched, and random text-hash keys touch
 * most of them, so 5,000 items a commit write half the pages 1,000 did. A replay killed midway
 * loses at most one batch, and running it again adds only what is missing.
 */
const REPLAY_BATCH = 5000;
/**
 * The reading worker sends items in chunks this size, a few chunks ahead of the store: a chunk of
 * typical lines is about 200 KB, and a message costs little next to its items' work.
 */
const REPLAY_CHUNK = 500;
const CHUNKS_AHEAD = 4;

/**
 * Feeds `file` through the pipeline. A line marked fictional never causes a post (its alerts are
 * recorded as dry-run); while Bluesky credentials are set, a file with such lines is refused
 * before anything is written unless `allowFictional` says it was meant.
 */
export async function replay(paths: Paths, file: string, options: { seed: boolean; allowFictional?: boolean; now?: () => Date }): Promise<void> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
    if (!fstatSync(fd).isFile()) throw new Error('not a file');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    // As the daemon does: the backtracking check's automata stay resident where they are built,
    // so a child process makes the check and gives their memory back (replay's budget is 150 MB).
    checkConfigApart(paths.configDir);
    const config = loadConfig(paths.configDir, { backtracking: false });
    // The worker indexes the second half of the file while this thread indexes the first; it
    // starts on the chunks asked for here as soon as it has joined the two, while this thread
    // opens the database. The database waits for the index, so a refused file writes nothing.
    const reader = readReplayInWorker(fd, file, config, (options.now ?? (() => new Date()))());
    const ahead = Array.from({ length: CHUNKS_AHEAD }, () => reader.next(REPLAY_CHUNK));
    try {
      const found = await reader.index();
      if (found.firstFictional !== undefined && !options.allowFictional && blueskyConfigured(paths.env)) {
        throw new UsageError(
          `${file}: line ${found.firstFictional} is marked "fictional" and Bluesky credentials are set (BSKY_IDENTIFIER): ` +
            'pass --allow-fictional to replay it anyway (its alerts are recorded as dry-run, never posted), or replay it without the credentials, into a database of its own',
        );
      }
      const app = openApp({ ...paths, config, writer: true, useInitial: options.seed, now: options.now });
      useBulkCache(app.store.db);
      try {
        for (const e of found.errors) err(`${file}: ${e}`);
        let added = 0;
        let duplicates = 0;
        let published = 0;
        let fictional = 0;
        let ended = false;
        while (!ended) {
          const results = await app.store.transactionAsync(async () => {
            const batch: ItemResult[] = [];
            while (batch.length < REPLAY_BATCH && !ended) {
              const chunk = await ahead.shift()!;
              ahead.push(reader.next(REPLAY_CHUNK));
              // (Joins the open transaction.)
              batch.push(...processNext(app, chunk.items, chunk.length));
              ended = chunk.length < REPLAY_CHUNK;
            }
            return batch;
          }, { durable: true });
          const made: number[] = [];
          for (const result of results) {
            if (result.duplicate) duplicates++;
            else added++;
            for (const t of result.transitions) err(describe(t));
            made.push(...result.alerts);
          }
          // Published batch by batch, as the daemon publishes after each poll. Every batch
          // drains, so alerts that a killed replay queued but never published go out in order
          // with the first batch of the next run.
          published += (await drain(app)).length;
          // Fictional alerts were never queued: shown as the dry run shows a post, and counted apart.
          for (const id of made) {
            const alert = app.store.alert(id);
            if (!alert?.fictional) continue;
            fictional++;
            process.stderr.write(dryRunText(alert));
          }
        }
        err(
          `replay: ${found.count} items (${added} new, ${duplicates} already known), ${found.errors.length} bad lines, ${published} alerts published` +
            (fictional ? `, ${fictional} fictional alerts recorded as dry-run (not posted)` : ''),
        );
      } finally {
        app.close();
      }
    } finally {
      await reader.close();
    }
  } finally {
    closeSync(fd);
  }
}

function readStore(paths: Paths): { store: Store | undefined; close: () => void } {
  if (!databaseExists(paths.dbPath)) return { store: undefined, close: () => {} };
  const db = openDatabase(paths.dbPath, { readonly: true });
  return { store: new Store(db), close: () => db.close() };
}

export function status(paths: Paths, options: { json?: boolean }): void {
  const config = loadConfig(paths.configDir);
  const { store, close } = readStore(paths);
  try {
    const snapshot = statusSnapshot(config, store);
    process.stdout.write(options.json ? `${JSON.stringify(snapshot)}\n` : `${formatStatus(snapshot)}\n`);
  } finally {
    close();
  }
}

export function statusSet(paths: Paths, args: { tracker: string; party: string; status: string; evidence: string; note?: string }, now = () => new Date()): void {
  if (!(PARTY_STATUSES as readonly string[]).includes(args.status)) {
    throw new UsageError(`status must be one of ${PARTY_STATUSES.join(', ')}, not "${args.status}"`);
  }
  try {
    const u = new URL(args.evidence);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http');
  } catch {
    throw new UsageError(`--evidence must be an http(s) URL, not "${args.evidence}"`);
  }
  const app = openApp({ ...paths, writer: false, now });
  try {
    const tracker = app.config.trackers.find((t) => t.id === args.tracker);
    if (!tracker) throw new UsageError(`unknown tracker "${args.tracker}" (known: ${app.config.trackers.map((t) => t.id).join(', ')})`);
    if (!tracker.parties.some((p) => p.id === args.party)) {
      throw new UsageError(`unknown party "${args.party}" in ${tracker.id} (known: ${tracker.parties.map((p) => p.id).join(', ')})`);
    }
    const { transition, alert } = setStatus(app, {
      tracker: args.tracker,
      party: args.party,
      status: args.status as PartyStatus,
      evidence: args.evidence,
      note: args.note,
      actor: userInfo().username || 'maintainer',
      at: now(),
    });
    err(describe(transition));
    if (alert !== undefined) err(`alert ${alert} queued; the next \`pactwatch once\` or the running daemon publishes it`);
  } finally {
    app.close();
  }
}

export async function once(paths: Paths, options: { json?: boolean; now?: () => Date }): Promise<void> {
  const app = openApp({ ...paths, writer: true, now: options.now });
  try {
    const before = { transition: app.store.lastTransitionId(), alert: app.store.lastAlertId() };
    // Loaded here: replay, status and alerts need no network code (it is a third of their memory).
    const { blueskyReader, pollAll } = await import('./polling.js');
    const { nextRun } = await import('./scheduler.js');
    const bluesky = await blueskyReader(app, paths.env);
    const sources = await pollAll(
      app,
      { now: options.now ?? (() => new Date()), random: Math.random, force: true, bluesky, nextRun: (s) => nextRun(s.schedule) },
      { onRefused: (source, item, reason) => err(`warning: source ${source}: item ${item} recorded as failed, not read: ${reason}`) },
    );
    for (const s of sources) if (s.error) err(`source ${s.id}: ${s.outcome}: ${s.error}`);
    const published = await drain(app);
    app.store.prune(app.config.settings.retention.irrelevantItemDays);
    const transitions = app.store.transitions({ since: before.transition }).map((t) => transitionJson(t, app));
    // This pass's alerts: the ones it queued and the ones it published.
    const ids = new Set(published.map((a) => a.id));
    const alerts = app.store.alerts().filter((a) => a.id > before.alert || ids.has(a.id));
    if (options.json) process.stdout.write(`${JSON.stringify({ sources, transitions, alerts: alerts.map(alertJson) })}\n`);
    else err(`once: ${sources.length} sources, ${transitions.length} transitions, ${alerts.length} alerts`);
  } finally {
    app.close();
  }
}

export function alertsList(paths: Paths, options: { json?: boolean }): void {
  const { store, close } = readStore(paths);
  try {
    const alerts = store?.alerts() ?? [];
    if (options.json) {
      for (const a of alerts) process.stdout.write(`${JSON.stringify(alertJson(a))}\n`);
      return;
    }
    if (alerts.length === 0) process.stdout.write('no alerts\n');
    for (const a of alerts) {
      const fictional = a.fictional ? `  (${FICTIONAL_NOTE})` : '';
      process.stdout.write(`#${a.id}  ${a.state.padEnd(9)} ${a.createdAt.slice(0, 16)}  ${a.tracker}/${a.party} → ${a.status}${fictional}\n    ${a.text.replace(/\n/g, '\n    ')}\n`);
    }
  } finally {
    close();
  }
}

/**
 * approve: held → queued; reject: held or queued → rejected; retract: any alert not rejected →
 * retracted, and a sent post is deleted (or corrected, as `publish.retract` says) on Bluesky.
 */
export async function alertsReview(paths: Paths, action: 'approve' | 'reject' | 'retract', idText: string): Promise<void> {
  const id = Number(idText);
  if (!Number.isInteger(id) || id <= 0) throw new UsageError(`alert ID must be a positive number, not "${idText}"`);
  if (action === 'retract') {
    const app = openApp({ ...paths, writer: false });
    try {
      const alert = app.store.alert(id);
      if (alert?.state === 'sent') {
        const publisher = await app.publisher();
        if (!publisher.retract) throw new UsageError(`alert ${id} was posted; taking it back needs the Bluesky credentials`);
        await publisher.retract(alert, app.config.settings.publish.retract);
        // Durable: undone by a power cut, the alert would read as sent, and a second retract would post again.
        app.store.transaction(() => app.store.setAlertState(id, 'retracted'), { durable: true });
        err(`alert ${id}: sent → retracted (${app.config.settings.publish.retract === 'delete' ? 'post deleted' : 'correction posted'})`);
        return;
      }
    } finally {
      app.close();
    }
  }
  const db = openDatabase(paths.dbPath);
  try {
    const store = new Store(db);
    store.transaction(() => {
      const alert = store.alert(id);
      if (!alert) throw new UsageError(`no alert ${id}`);
      if (action === 'approve' && alert.fictional) throw new UsageError(`alert ${id} is ${alert.state} (${FICTIONAL_NOTE}); a fictional alert can never be approved`);
      const allowed: Record<typeof action, AlertState[]> = {
        approve: ['held'],
        reject: ['held', 'queued'],
        retract: ['held', 'queued', 'dry-run', 'failed'],
      };
      if (!allowed[action].includes(alert.state)) {
        throw new UsageError(`alert ${id} is ${alert.state}; cannot ${action} it`);
      }
      const next = action === 'approve' ? 'queued' : action === 'reject' ? 'rejected' : 'retracted';
      store.setAlertState(id, next);
      err(`alert ${id}: ${alert.state} → ${next}`);
    });
  } finally {
    db.close();
  }
}
