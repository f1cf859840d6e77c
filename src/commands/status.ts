// `pactwatch status [--json]`: the current table, with the sources' state; creates no database.
import { checkConfigFolder } from '../config/folder.js';
import { loadConfig } from '../config/load.js';
import { DEFAULT_DB_PATH, type Runtime } from '../config/settings.js';
import { formatStatus, statusSnapshot } from '../status/snapshot.js';
import { noDatabaseYet, readStoreIfAny } from '../store/open.js';

export function status(runtime: Runtime, options: { json?: boolean }): void {
  checkConfigFolder(runtime.configDir);
  const config = loadConfig(runtime.configDir);
  const ledger = readStoreIfAny(runtime.dbPath, { mayBeMissing: runtime.dbPath === DEFAULT_DB_PATH });
  if (!ledger) process.stderr.write(`${noDatabaseYet(runtime.dbPath)}; the table is the config's initial statuses\n`);
  try {
    const snapshot = statusSnapshot(config, ledger?.store);
    process.stdout.write(options.json ? `${JSON.stringify(snapshot)}\n` : `${formatStatus(snapshot)}\n`);
  } finally {
    ledger?.close();
  }
}
