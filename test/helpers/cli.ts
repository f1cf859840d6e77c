// Runs the built `pactwatch` command as a user would, capturing its output and exit code.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
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

export function pactwatch(args: string[], opts: { input?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '', ...opts.env },
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

/** A copy of the shipped config folder that a test may edit. */
export function copyConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pactwatch-config-'));
  cpSync(CONFIG, dir, { recursive: true });
  return dir;
}
