// `pactwatch replay`: stored items (JSON Lines) as pipeline Items, in item-date order, without
// holding the file in memory. A first pass reads every line once and keeps only where each good
// line is and its time; the second reads the lines again in time order. A file of any size
// replays in the same memory (what holding it whole cost: docs/performance.md). The command runs
// the passes in two threads (reader.ts); this module is what both threads read with.
import type { Config } from '../config/types.js';
import type { Item } from '../model/item.js';
import { errorLines, indexReplay } from './first-pass.js';
import { replayItems } from './second-pass.js';

/** What a replay file holds: its bad lines, and its good ones to read in item-date order. */
export interface Replay {
  /** Bad lines, each naming its line number. */
  errors: string[];
  /** How many lines are items. */
  count: number;
  /** The number of the first line marked `"fictional": true`, if any. */
  firstFictional: number | undefined;
  /** The items, in item-date order (an undated line counts as fetched now); ties keep file order. */
  items(): Generator<Item>;
}

/**
 * Indexes `file`, open as `fd`, and reads its items: see indexReplay and replayItems. Reading the
 * items reads the file again, so it must not change in between; a line that no longer parses
 * then is an error naming it.
 */
export function readReplay(fd: number, file: string, config: Pick<Config, 'sources'>, fetchedAt: Date): Replay {
  const index = indexReplay(fd, file, config, fetchedAt);
  return {
    errors: errorLines(index),
    count: index.order.length,
    firstFictional: index.firstFictional || undefined,
    *items() {
      for (const { item } of replayItems(index, fd, file, config, fetchedAt)) yield item;
    },
  };
}
