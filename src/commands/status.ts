// `pactwatch status [--json]`: the current table, with the sources' state; creates no database.
import { loadConfig } from '../config/load.js';
import type { Runtime } from '../config/settings.js';
import { formatStatus, statusSnapshot } from '../status/snapshot.js';
import { readStoreIfAny } from '../store/open.js';

export function status(runtime: Runtime, options: { json?: boolean }): void {
  const config = loadConfig(runtime.configDir);
  const ledger = readStoreIfAny(runtime.dbPath);
  try {
    const snapshot = statusSnapshot(config, ledger?.store);
    process.stdout.write(options.json ? `${JSON.stringify(snapshot)}\n` : `${formatStatus(snapshot)}\n`);
  } finally {
    ledger?.close();
  }
}
