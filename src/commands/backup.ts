// `pactwatch backup PATH`: a consistent copy of the database, while the daemon runs.
import type { Runtime } from '../config/settings.js';
import { openStore } from '../store/open.js';
import { note } from './output.js';

export async function backup(runtime: Runtime, target: string): Promise<void> {
  const ledger = openStore(runtime.dbPath, 'read');
  try {
    await ledger.store.backup(target);
    note(`backup written to ${target}`);
  } finally {
    ledger.close();
  }
}
