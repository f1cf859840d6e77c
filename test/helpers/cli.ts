// Runs the built `pactwatch` command as a user would, capturing its output and exit code.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'dist/src/bin.js');
export const CONFIG = join(ROOT, 'config');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

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

/** `user`: run as another user (the tests may run as root, whom no permission stops). */
export function pactwatch(args: string[], opts: { input?: string; env?: Record<string, string>; cwd?: string; user?: { uid: number; gid: number } } = {}): Promise<Run> {
  return runNode(BIN, args, { ...opts, env: { PATH: process.env.PATH ?? '', PACTWATCH_CONFIG: offlineConfig(), ...opts.env } });
}

/** Runs `script` with node, in exactly the environment `env` (default: none but PATH). */
export function runNode(script: string, args: string[], opts: { input?: string; env?: Record<string, string>; cwd?: string; user?: { uid: number; gid: number } } = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: opts.env ?? { PATH: process.env.PATH ?? '' },
      ...opts.user,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** A copy of the shipped config folder that a test may edit; its sources are emptied (offline). */
export function copyConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pactwatch-config-'));
  cpSync(CONFIG, dir, { recursive: true });
  writeFileSync(join(dir, 'sources.yaml'), 'sources: []\n');
  return dir;
}
