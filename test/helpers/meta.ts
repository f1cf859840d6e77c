// The meta table's rows read and written as text, past the store's typed accessors: for rows
// written by an earlier version, corrupt ones, and writes that only show a transaction's reach.
import type { Store } from '../../src/store/store.js';

export function metaRow(store: Store, key: string): string | undefined {
  return (store.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function writeMetaRow(store: Store, key: string, value: string): void {
  store.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}
