// A child for the crash-safety test: replays a file through the built pipeline and kills itself
// (SIGKILL, no clean-up) at the Nth step when asked. Usage: crash-child.mjs CONFIG DB FILE N
import { openSync } from 'node:fs';
import { openApp, realDeps } from '../../dist/src/app.js';
import { loadConfig } from '../../dist/src/config/load.js';
import { appSettings } from '../../dist/src/config/settings.js';
import { processBatch } from '../../dist/src/pipeline/process.js';
import { drainOutbox } from '../../dist/src/publish/outbox.js';
import { readReplay } from '../../dist/src/replay/replay.js';

const [configDir, dbPath, file, crashAt] = process.argv.slice(2);
const steps = [];
const probe = (name) => {
  steps.push(name);
  if (steps.length === Number(crashAt)) process.kill(process.pid, 'SIGKILL');
};
const config = loadConfig(configDir);
const settings = appSettings(config, { configDir, dbPath, env: { publishMode: 'dry-run' } });
const app = openApp({ config, settings, writer: true, seed: false }, realDeps());
app.probe = probe;
const items = [...readReplay(openSync(file, 'r'), file, app.config, new Date('2026-11-27T00:00:00Z')).items()];
// Small batches, so that kills land inside a batch as well as between batches.
for (let i = 0; i < items.length; i += 3) {
  processBatch(app, items.slice(i, i + 3));
  probe('batch committed');
  await drainOutbox(app.store, await app.publisher(), { probe });
}
app.close();
process.stdout.write(JSON.stringify(steps));
