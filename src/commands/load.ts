// The config for the commands that read only rules (extract, explain, rules): its warnings said on stderr.
import { checkConfigFolder } from '../config/folder.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import type { Runtime } from '../config/settings.js';
import { formatProblem } from '../errors.js';
import { note } from './output.js';

export function loadConfigNoting(runtime: Runtime): Config {
  checkConfigFolder(runtime.configDir);
  const config = loadConfig(runtime.configDir);
  for (const w of config.warnings) note(`warning: ${formatProblem(w)}`);
  return config;
}
