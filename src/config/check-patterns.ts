// Loads a config folder with every check, in a process of its own, and says what is wrong: the
// daemon runs it before it loads the config itself without the backtracking check. That check
// builds automata for the patterns, and in the daemon the memory it took stayed resident, a
// share of its memory budget (docs/performance.md); a process that exits gives it all back.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigError, type ConfigProblem } from '../errors.js';
import { checkConfigFolder } from './folder.js';
import { loadConfig } from './load.js';

const SELF = fileURLToPath(import.meta.url);

/** Throws the ConfigError that loading `dir` gives, found in a child process; returns when there is none. */
export function checkConfigApart(dir: string): void {
  checkConfigFolder(dir);
  // The parent's node flags too (a loader, when run from source); the check's own work cap ends
  // it long before the timeout, which is only a safeguard.
  const child = spawnSync(process.execPath, [...process.execArgv, SELF, dir], { encoding: 'utf8', timeout: 60_000 });
  if (child.status === 0) return;
  if (child.status === 2) throw new ConfigError(JSON.parse(child.stdout) as ConfigProblem[]);
  throw new Error(`checking the config in ${dir} failed: ${child.error?.message ?? (child.stderr.trim() || `exit ${child.status ?? child.signal}`)}`);
}

if (process.argv[1] === SELF) {
  try {
    loadConfig(process.argv[2]!);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stdout.write(JSON.stringify(err.problems));
    process.exitCode = 2;
  }
}
