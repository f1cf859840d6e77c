// What loading a config folder says is wrong with it: one line per problem, none when it loads.
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

export function problemsOf(dir: string): string[] {
  try {
    loadConfig(dir);
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n');
    throw err;
  }
  return [];
}
