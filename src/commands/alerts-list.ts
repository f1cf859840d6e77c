// `pactwatch alerts list [--json]`: every alert in every state; creates no database.
import { DEFAULT_DB_PATH, type Runtime } from '../config/settings.js';
import { FICTIONAL_NOTE } from '../model/alert.js';
import { noDatabaseYet, readStoreIfAny } from '../store/open.js';
import { alertJson, note } from './output.js';

export function alertsList(runtime: Runtime, options: { json?: boolean }): void {
  const ledger = readStoreIfAny(runtime.dbPath, { mayBeMissing: runtime.dbPath === DEFAULT_DB_PATH });
  if (!ledger) note(noDatabaseYet(runtime.dbPath));
  try {
    const alerts = ledger?.store.alerts() ?? [];
    if (options.json) {
      for (const a of alerts) process.stdout.write(`${JSON.stringify(alertJson(a))}\n`);
      return;
    }
    if (alerts.length === 0) process.stdout.write('no alerts\n');
    for (const a of alerts) {
      const fictional = a.fictional ? `  (${FICTIONAL_NOTE})` : '';
      process.stdout.write(`#${a.id}  ${a.state.padEnd(9)} ${a.createdAt.slice(0, 16)}  ${a.tracker}/${a.party} → ${a.status}${fictional}\n    ${a.text.replace(/\n/g, '\n    ')}\n`);
    }
  } finally {
    ledger?.close();
  }
}
