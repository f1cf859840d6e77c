// A fresh ledger in a temporary folder, built from the shipped config; and what a ledger on disk holds.
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, realDeps, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import { appSettings } from '../../src/config/settings.js';
import type { Item } from '../../src/model/item.js';
import { offlineConfig } from './repo.js';

export function freshApp(options: { useInitial?: boolean; publishMode?: string; configDir?: string; now?: () => Date } = {}): App {
  const dir = mkdtempSync(join(tmpdir(), 'pactwatch-ledger-'));
  const configDir = options.configDir ?? offlineConfig();
  const config = loadConfig(configDir);
  const settings = appSettings(config, { configDir, dbPath: join(dir, 'pactwatch.db'), env: { publishMode: options.publishMode ?? 'dry-run' } });
  return openApp({ config, settings, writer: true, seed: options.useInitial }, realDeps(options.now ? { now: options.now } : {}));
}

let n = 0;
/** A press item about the agreement; override what the test is about. */
export function item(over: Partial<Item> & { text: string }): Item {
  n++;
  return {
    id: `item-${n}`,
    sourceId: 'test',
    url: `https://publisher${n}.example/story-${n}`,
    fetchedAt: new Date('2026-11-21T00:00:00Z'),
    publishedAt: new Date('2026-11-20T12:00:00Z'),
    trust: 'press',
    publisher: `publisher${n}.example`,
    speaksFor: null,
    ...over,
  };
}

/** What a crash must not change in the database at `db`: its integrity, items, transitions and alerts. */
export function ledgerSummary(db: string) {
  const d = new Database(db, { readonly: true });
  try {
    return {
      integrity: d.pragma('integrity_check', { simple: true }),
      transitions: (d.prepare("SELECT party, from_status || '→' || to_status AS change FROM transitions WHERE kind <> 'seed' ORDER BY id").all() as {
        party: string;
        change: string;
      }[]).map((t) => `${t.party} ${t.change}`),
      alerts: d.prepare('SELECT transition_id, state FROM alerts ORDER BY id').all() as { transition_id: number; state: string }[],
      items: (d.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n,
    };
  } finally {
    d.close();
  }
}
