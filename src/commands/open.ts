// How a command gets its app: the config folder loaded, the settings made, the ledger opened.
import { openApp, realDeps, type App, type Deps } from '../app.js';
import { checkConfigFolder } from '../config/folder.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { appSettings, type Runtime } from '../config/settings.js';

/**
 * The app over the command's database. `config`: when the command has loaded it already (run and
 * replay check it apart first); `writer`: hold the single-writer lock.
 */
export function openCommandApp(runtime: Runtime, open: { writer: boolean; seed?: boolean; config?: Config }, deps: Deps = realDeps()): App {
  if (!open.config) checkConfigFolder(runtime.configDir);
  const config = open.config ?? loadConfig(runtime.configDir);
  return openApp({ config, settings: appSettings(config, runtime), writer: open.writer, seed: open.seed }, deps);
}
