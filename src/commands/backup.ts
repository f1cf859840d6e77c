// `pactwatch backup PATH`: a consistent copy of the database, while the daemon runs.
import { existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Runtime } from '../config/settings.js';
import { StoreError, UsageError } from '../errors.js';
import { openStore } from '../store/open.js';
import { note } from './output.js';

export async function backup(runtime: Runtime, target: string): Promise<void> {
  const ledger = openStore(runtime.dbPath, 'read');
  try {
    prepareTarget(target, runtime.dbPath);
    try {
      await ledger.store.backup(target);
    } catch (err) {
      throw backupError(target, err);
    }
    note(`backup written to ${target}`);
  } finally {
    ledger.close();
  }
}

const cannot = (target: string, why: string) => `cannot write the backup to ${target}: ${why}`;

/** Creates the folders of `target` that are missing; refuses a target that is a folder or the database itself. */
function prepareTarget(target: string, dbPath: string): void {
  if (existsSync(target)) {
    if (statSync(target).isDirectory()) throw new UsageError(cannot(target, `it is a folder: give a file path, such as ${join(target, 'pactwatch.db')}`));
    if (realpathSync(target) === realpathSync(dbPath)) throw new UsageError(cannot(target, 'it is the database itself: give another path'));
    return;
  }
  const folder = dirname(target);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (err) {
    throw pathError(target, err);
  }
}

/** A part of the path that is a file, or a folder this user may not write: bad usage. */
function pathError(target: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    let upto = dirname(target);
    while (!existsSync(upto) && dirname(upto) !== upto) upto = dirname(upto);
    return new UsageError(cannot(target, `${upto} is a file, not a folder`));
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new UsageError(cannot(target, `a folder on its way is read-only to this user (${code}): give another path`));
  }
  return err;
}

/** Why SQLite could not write the copy: said in one line, never as a stack trace. */
function backupError(target: string, err: unknown): unknown {
  const code = String((err as { code?: unknown }).code ?? '');
  const folder = dirname(target);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return new StoreError('PW_BACKUP', cannot(target, 'the disk is full'), { cause: err });
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
    return new UsageError(cannot(target, `it or its folder ${folder} is read-only to this user: give another path, or make it writable`));
  }
  if (code.startsWith('SQLITE_')) return new StoreError('PW_BACKUP', cannot(target, `${(err as Error).message} (${code})`), { cause: err });
  return err;
}
