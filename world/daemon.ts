// The real daemon (`pactwatch run`, the built dist/src/bin.js) as a child process: started with
// the daemon's V8 flags and a world's environment, its log appended to a file, stopped with SIGTERM or killed with SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAEMON_NODE_FLAGS } from '../src/node-flags.js';
import { ROOT } from './world.js';

export const BIN = join(ROOT, 'dist/src/bin.js');

export interface Daemon {
  proc: ChildProcess;
  pid: number;
  /** Resolves with the exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startDaemon(env: Record<string, string>, logFile: string): Daemon {
  const fd = openSync(logFile, 'a');
  const proc = spawn(process.execPath, [...DAEMON_NODE_FLAGS, BIN, 'run'], { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => proc.on('exit', (code, signal) => done({ code, signal })));
  return {
    proc,
    pid: proc.pid!,
    exited,
    stop(signal) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** The resident set size of a process, in MB (Linux). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

// /proc reports utime and stime in clock ticks of USER_HZ, which Linux fixes at 100 for userspace.
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far (Linux). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}
