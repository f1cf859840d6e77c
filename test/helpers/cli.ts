// Runs the built `pactwatch` command as a user would, capturing its output and exit code.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { offlineConfig, ROOT } from './repo.js';

export { CONFIG, copyConfig, offlineConfig, ROOT } from './repo.js';
export const BIN = join(ROOT, 'dist/src/bin.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
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
