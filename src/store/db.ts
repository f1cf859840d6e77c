// Opens the SQLite file: pragmas, migrations, the newer-version guard and the single-writer lock.
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StoreError } from '../errors.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The page size of a database this version creates. */
export const PAGE_SIZE = 16384;

/**
 * For a bulk load (replay): 8 MB of page cache keeps the dedupe indexes in memory. The daemon
 * keeps 2 MB (better-sqlite3 builds SQLite with 16 MB): it writes a few items a minute, and a
 * bigger cache would only fill up with pages and show as memory growth over the day.
 */
export function useBulkCache(db: Db): void {
  db.pragma('cache_size = -8000');
}

/** Errors of the disk, not of the code: they get a one-line message, never a stack trace. */
const ENVIRONMENT_CODES = /^(SQLITE_(CANTOPEN|READONLY|NOTADB|CORRUPT|FULL|IOERR|PERM|AUTH)|E(ACCES|PERM|ROFS|NOTDIR|EXIST|ISDIR|NOSPC|NOENT))/;

function isEnvironmentError(err: unknown): boolean {
  return ENVIRONMENT_CODES.test((err as { code?: unknown }).code?.toString() ?? '');
}

const writable = (folder: string) => {
  try {
    accessSync(folder, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * A database that cannot be opened or written, said in one line: which, why, and what to do.
 * Errors of the code (not of the disk) pass through untouched.
 */
export function databaseError(path: string, err: unknown): unknown {
  if (err instanceof StoreError || !isEnvironmentError(err)) return err;
  const code = String((err as { code: unknown }).code);
  const folder = dirname(path);
  const elsewhere = 'or set --db (PACTWATCH_DB) to another path';
  let why: string;
  if (code === 'ENOTDIR' || code === 'EEXIST') why = `${folder} is not a folder (it, or a part of its path, is a file): move that file, ${elsewhere}`;
  else if (existsSync(path) && statSync(path).isDirectory()) why = `it is a folder, not a file: set --db (PACTWATCH_DB) to a file, such as ${join(path, 'pactwatch.db')}`;
  else if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') why = `it is not a SQLite database, or it is damaged (${(err as Error).message}): restore a backup, or move it aside to start a new one`;
  else if (code === 'SQLITE_FULL' || code === 'ENOSPC') why = `the disk is full: free some space, ${elsewhere}`;
  else if (code === 'SQLITE_READONLY' || code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || !writable(existsSync(folder) ? folder : dirname(folder))) {
    why = `it or its folder ${folder} is read-only to this user (SQLite writes the file and, beside it, its -wal, -shm and .lock files): make them writable, ${elsewhere}`;
  } else if (!existsSync(path) && code === 'SQLITE_CANTOPEN') why = `it does not exist: check --db (PACTWATCH_DB)`;
  else why = `${(err as Error).message} (${code})`;
  return new StoreError('PW_DB_OPEN', `cannot use database ${path}: ${why}`, { cause: err });
}

/** Not there (a folder the user may not search is not "missing": SQLite says why it cannot open it). */
function isMissing(path: string): boolean {
  try {
    statSync(path);
    return false;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR';
  }
}

/**
 * A database to read that is not there, said in one line: a reader creates none, so a mistyped
 * path must not read as an empty, believable ledger.
 */
function missingDatabaseError(path: string): StoreError {
  let upto = dirname(path);
  while (!existsSync(upto) && dirname(upto) !== upto) upto = dirname(upto);
  const why = statSync(upto).isDirectory()
    ? 'it does not exist: check --db (PACTWATCH_DB); `pactwatch run`, `once`, `replay` or `status set` create it'
    : `${upto} is a file, not a folder: check --db (PACTWATCH_DB)`;
  return new StoreError('PW_DB_MISSING', `cannot use database ${path}: ${why}`);
}

/** For the commands that only change what is there (alerts review): refuses a database that is not there. */
export function requireDatabase(path: string): void {
  if (isMissing(path)) throw missingDatabaseError(path);
}

export function openDatabase(path: string, options: { readonly?: boolean } = {}): Db {
  if (options.readonly) requireDatabase(path);
  let db: Db;
  try {
    if (!options.readonly) mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false, timeout: 5000 });
  } catch (err) {
    throw databaseError(path, err);
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        'PW_DB_NEWER',
        `database ${path} has schema version ${version}, written by a newer pactwatch; this one knows up to ${SCHEMA_VERSION}. Upgrade pactwatch, or restore a backup.`,
      );
    }
    if (!options.readonly) {
      // A new database gets 16 KB pages (SQLite's default is 4 KB). Replay's cost is mostly
      // writing pages: each batch's random text-hash keys dirty most of that index's pages, and
      // every page is one write to the WAL and one more at checkpoint. Bigger pages carry the
      // same bytes in a quarter of the system calls, so replay is faster. The caches are sized in
      // bytes, so memory stays about the same; a small database takes more disk (the figures:
      // docs/performance.md, "Page size"). An existing file keeps its page size: the pragma
      // does nothing once the file has pages (and WAL mode fixes the size).
      if (version === 0) db.pragma(`page_size = ${PAGE_SIZE}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('cache_size = -2000');
      migrate(db, version);
    } else if (version < SCHEMA_VERSION) {
      throw new StoreError('PW_DB_OLD', `database ${path} has schema version ${version}; run a pactwatch command that writes (once, replay) to upgrade it`);
    }
    return db;
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    const known = databaseError(path, err);
    throw known instanceof StoreError ? known : new StoreError('PW_DB_OPEN', `cannot use database ${path}: ${(err as Error).message}`, { cause: err });
  }
}

function migrate(db: Db, from: number): void {
  for (let v = from; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

/**
 * Where the database really is: symlinks to it or to a folder on its way resolved, so that two
 * paths to one file name one lock. (A hard link still names a second one; SQLite cannot share a
 * WAL database through one either, since its -wal file is named by the path.)
 */
export function realDatabasePath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // Not created yet: its folder is (the caller made it).
    return join(realpathSync(dirname(path)), basename(path));
  }
}

/**
 * Holds the one-writer lock for `path` until the returned function is called or the process
 * dies. The lock is a second SQLite file in exclusive locking mode, so the operating system
 * releases it with the process: a crash never leaves a stale lock behind. It sits beside the
 * database's real path, whatever symlinks the caller came through. (A lock held inside the
 * database would shut out its readers too, status, backup and the web page: an exclusive
 * locking mode does that even in WAL mode.)
 */
export function acquireWriterLock(path: string): () => void {
  let lock: Db;
  try {
    mkdirSync(dirname(path), { recursive: true });
    lock = new Database(`${realDatabasePath(path)}.lock`, { timeout: 0 });
  } catch (err) {
    throw databaseError(path, err);
  }
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER, since TEXT)');
    lock.transaction(() => {
      lock.prepare('DELETE FROM holder').run();
      lock.prepare('INSERT INTO holder VALUES (?, ?)').run(process.pid, new Date().toISOString());
    }).exclusive();
  } catch (err) {
    lock.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new StoreError(
        'PW_DB_LOCKED',
        `database ${path} is in use by another pactwatch process (run, once or replay); only one may write at a time`,
        { cause: err },
      );
    }
    throw databaseError(path, err);
  }
  return () => lock.close();
}
