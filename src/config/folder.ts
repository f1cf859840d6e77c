// Whether a config folder can be read at all, checked before it is loaded: the loader would take
// a folder it may not list for an empty one ("no tracker files"), or stop with a stack trace.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';

/** Throws a ConfigError (exit 2) naming the folder when it, or its trackers/, is a file or unreadable. */
export function checkConfigFolder(dir: string): void {
  for (const folder of [dir, join(dir, 'trackers')]) {
    try {
      readdirSync(folder);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') {
        throw new ConfigError([{ file: folder, message: folder === dir ? 'is a file, not a config folder: set --config (PACTWATCH_CONFIG) to a folder' : 'is a file, not a folder of tracker files' }]);
      }
      if (code === 'EACCES' || code === 'EPERM') {
        throw new ConfigError([{ file: folder, message: `cannot read this folder: permission denied (${code}): make it readable to this user, or set --config (PACTWATCH_CONFIG)` }]);
      }
      // Missing (or anything else): the loader says what is missing.
      return;
    }
  }
}
