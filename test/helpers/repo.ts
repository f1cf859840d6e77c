// Where the repository's files are (its root, the shipped config, the fixtures), and copies of
// the shipped config that a test may edit. Starts nothing: a test that only needs these stays in
// the unit suite (vitest.config.ts).
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CONFIG = join(ROOT, 'config');
export const FIXTURES = join(ROOT, 'fixtures');

let offline: string | undefined;
/**
 * The shipped config with no sources: the shipped sources are real sites, and no test may reach
 * the internet. Every command a test runs uses it unless the test names another.
 */
export function offlineConfig(): string {
  if (!offline) {
    offline = copyConfig();
    writeFileSync(join(offline, 'sources.yaml'), 'sources: []\n');
  }
  return offline;
}

/** A copy of the shipped config folder that a test may edit; its sources are emptied (offline). */
export function copyConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pactwatch-config-'));
  cpSync(CONFIG, dir, { recursive: true });
  writeFileSync(join(dir, 'sources.yaml'), 'sources: []\n');
  return dir;
}

/** A copy of the shipped config with caisi.yaml edited by `edit`. */
export function withTracker(edit: (yaml: string) => string): string {
  const dir = copyConfig();
  const file = join(dir, 'trackers/caisi.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return dir;
}

/** The number (from 1) of the first line of caisi.yaml in `dir` that holds `needle`. */
export function lineOf(dir: string, needle: string): number {
  return readFileSync(join(dir, 'trackers/caisi.yaml'), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;
}
