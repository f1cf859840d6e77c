// A fresh ledger in a temporary folder, built from the shipped config.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, realDeps, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import { appSettings } from '../../src/config/settings.js';
import type { Item } from '../../src/model/item.js';
import { offlineConfig } from './cli.js';

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
