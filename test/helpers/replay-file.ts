// Replay files for tests: written to a temporary folder and opened, closed again by closeReplayFiles.
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, PACKAGED_CONFIG_DIR } from '../../src/config/load.js';

export const config = loadConfig(PACKAGED_CONFIG_DIR);
export const fetchedAt = new Date('2026-11-27T00:00:00Z');
const open: number[] = [];

/** Closes every file replayFile opened (call it after each test). */
export function closeReplayFiles(): void {
  open.splice(0).forEach((fd) => closeSync(fd));
}

/** A replay file holding `content`, open to read. */
export function replayFile(content: string | Buffer): { file: string; fd: number } {
  const file = join(mkdtempSync(join(tmpdir(), 'pw-replay-')), 'items.jsonl');
  writeFileSync(file, content);
  const fd = openSync(file, 'r');
  open.push(fd);
  return { file, fd };
}

/** One replay line, about story `id`. */
export const line = (id: string, published?: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id, text: `story ${id}`, url: `https://example.com/${id}`, trust: 'press', ...(published ? { published } : {}), ...extra });

/** Tracks a file descriptor a test opened itself, to be closed with the others. */
export function keepOpen(fd: number): number {
  open.push(fd);
  return fd;
}
