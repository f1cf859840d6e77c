// `pactwatch replay PATH`: stored items (JSON Lines) through the whole pipeline in item-date order.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { realDeps, type Deps } from '../app.js';
import { checkConfigApart } from '../config/check-patterns.js';
import { loadConfig } from '../config/load.js';
import { blueskySettings, type Runtime } from '../config/settings.js';
import { UsageError } from '../errors.js';
import { drain } from '../pipeline/drain.js';
import { processNext, type ItemResult } from '../pipeline/process.js';
import { dryRunText } from '../publish/dry-run.js';
import { readReplayInWorker } from '../replay/reader.js';
import { useBulkCache } from '../store/db.js';
import { openCommandApp } from './open.js';
import { note, transitionLine } from './output.js';

/**
 * Replay's items in one transaction: each item's effects stay together, and a batch commits
 * once. Every commit rewrites the index pages the batch touched, and random text-hash keys touch
 * most of them, so the bigger the batch, the fewer pages written an item (docs/performance.md).
 * A replay killed midway loses at most one batch, and running it again adds only what is missing.
 */
const REPLAY_BATCH = 5000;
/**
 * The reading worker sends items in chunks this size, a few chunks ahead of the store: a message
 * costs little next to its items' work, and a chunk stays small (docs/performance.md).
 */
const REPLAY_CHUNK = 500;
const CHUNKS_AHEAD = 4;

/**
 * Feeds `file` through the pipeline. A line marked fictional never causes a post (its alerts are
 * recorded as dry-run); while Bluesky credentials are set, a file with such lines is refused
 * before anything is written unless `allowFictional` says it was meant.
 */
export async function replay(runtime: Runtime, file: string, options: { seed: boolean; allowFictional?: boolean }, deps: Deps = realDeps()): Promise<void> {
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
    checkConfigApart(runtime.configDir);
    const config = loadConfig(runtime.configDir, { backtracking: false });
    // The worker indexes the second half of the file while this thread indexes the first; it
    // starts on the chunks asked for here as soon as it has joined the two, while this thread
    // opens the database. The database waits for the index, so a refused file writes nothing.
    const reader = readReplayInWorker(fd, file, config, deps.now());
    const ahead = Array.from({ length: CHUNKS_AHEAD }, () => reader.next(REPLAY_CHUNK));
    try {
      const found = await reader.index();
      if (found.firstFictional !== undefined && !options.allowFictional && blueskySettings(runtime.env).configured) {
        throw new UsageError(
          `${file}: line ${found.firstFictional} is marked "fictional" and Bluesky credentials are set (BSKY_IDENTIFIER): ` +
            'pass --allow-fictional to replay it anyway (its alerts are recorded as dry-run, never posted), or replay it without the credentials, into a database of its own',
        );
      }
      const app = openCommandApp(runtime, { writer: true, seed: options.seed, config }, deps);
      useBulkCache(app.store.db);
      try {
        for (const e of found.errors) note(`${file}: ${e}`);
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
            for (const t of result.transitions) note(transitionLine(t));
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
        note(
          `replay: ${found.count} items (${added} new, ${duplicates} already known), ${found.errors.length} bad lines, ${published} alerts published` +
            (fictional ? `, ${fictional} fictional alerts recorded as dry-run (not posted)` : ''),
        );
      } finally {
        await app.close();
      }
    } finally {
      await reader.close();
    }
  } finally {
    closeSync(fd);
  }
}
