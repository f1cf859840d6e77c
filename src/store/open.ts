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

/**
 * The ledger to read, for the commands that create none. Undefined only when `mayBeMissing` (the
 * default path, before anything has run) and there is no file; a missing file elsewhere is an
 * error that names it, since a path the user gave and mistyped must not read as an empty ledger.
 */
export function readStoreIfAny(path: string, options: { mayBeMissing: boolean }): OpenStore | undefined {
  return options.mayBeMissing && !existsSync(path) ? undefined : openStore(path, 'read');
}

/** Said on stderr when `readStoreIfAny` finds no database at the default path. */
export function noDatabaseYet(path: string): string {
  return `pactwatch: no database yet at ${path}: nothing has run here (\`pactwatch run\`, \`once\` or \`replay\` create it)`;
}
