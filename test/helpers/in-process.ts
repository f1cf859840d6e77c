// The unit suite's guard (see test/suites.ts): a unit test that starts a child process, a server
// or a worker thread fails at once, saying why, rather than slowing the edit-test loop unseen.
import { createRequire, syncBuiltinESMExports } from 'node:module';

const require = createRequire(import.meta.url);
// A plain function, so `new` reaches the throw too.
const refuse = (what: string) =>
  function refused(): never {
    throw new Error(
      `${what} in the unit suite: test/suites.ts puts a test file in the integration suite when it, or a test helper it imports, ` +
        'names node:child_process, node:http, node:net, node:worker_threads, @atproto/dev-env, @atproto/pds, playwright or a built file under dist/; ' +
        'import what starts it through such a module',
    );
  };

const childProcess = require('node:child_process') as Record<string, unknown>;
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) childProcess[name] = refuse(`child_process.${name}`);
const net = require('node:net') as typeof import('node:net');
net.Server.prototype.listen = refuse('a server listening') as typeof net.Server.prototype.listen;
const workerThreads = require('node:worker_threads') as Record<string, unknown>;
workerThreads.Worker = refuse('a worker thread');
// ESM imports of these modules see the replacements too.
syncBuiltinESMExports();
