// `pactwatch run` as a child process for the daemon's tests: started on a free port, ready once
// it logs that it listens.
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, ROOT } from './cli.js';

export interface Daemon {
  proc: ChildProcess;
  /** http://host:port, as the daemon logged it. */
  base: string;
  /** Its stderr so far: JSON log lines. */
  stderr: () => string;
  logs: () => string[];
}

/** Starts `pactwatch run` on a free port and waits until it listens. */
export async function startDaemon(env: Record<string, string>): Promise<Daemon> {
  const proc = spawn(process.execPath, [BIN, 'run'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', PACTWATCH_PORT: '0', ...env } });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const base = await new Promise<string>((ready, fail) => {
    const check = () => {
      const line = err.split('\n').find((l) => l.includes('"listening"'));
      if (line) return ready((JSON.parse(line) as { url: string }).url.replace(/\/$/, ''));
      if (proc.exitCode !== null) return fail(new Error(`daemon exited: ${err}`));
      setTimeout(check, 50);
    };
    check();
  });
  return { proc, base, stderr: () => err, logs: () => err.split('\n').filter(Boolean) };
}
