// The one way to open the ledger: read-only, to write, or to write as the single writer.
import { existsSync } from 'node:fs';
import { acquireWriterLock, databaseError, openDatabase } from './db.js';
import { Store } from './store.js';

/**
 * `read`: read-only, and the file must exist (status, alerts list, backup); `write`: read-write,
 * created if missing (status set, alerts review); `writer`: read-write under the single-writer
 * lock (run, once, replay).
 */
export type StoreAccess = 'read' | 'write' | 'writer';

export interface OpenStore {
  store: Store;
  /** Closes the database, then lets go of the writer's lock. */
  close(): void;
}

export function openStore(path: string, access: StoreAccess, now?: () => Date): OpenStore {
  const release = access === 'writer' ? acquireWriterLock(path) : () => {};
  try {
    const db = openDatabase(path, { readonly: access === 'read' });
    return {
      store: new Store(db, now),
      close() {
        db.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw databaseError(path, err);
  }
}

/** The ledger to read, or undefined when there is no database yet (the commands that read create none). */
export function readStoreIfAny(path: string): OpenStore | undefined {
  return existsSync(path) ? openStore(path, 'read') : undefined;
}
