// The database across processes: the writer lock when its holder dies, and what the command says
// about a database it cannot use.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireWriterLock } from '../../src/store/db.js';
import { copyConfig, pactwatch, type Run } from '../helpers/cli.js';

const dbPath = () => join(mkdtempSync(join(tmpdir(), 'pactwatch-db-')), 'nested', 'pactwatch.db');

describe('the single-writer lock across processes', () => {
  it('is freed by the operating system when its holder is killed', async () => {
    const path = dbPath();
    const lockModule = new URL('../../dist/src/store/db.js', import.meta.url).href;
    const child = spawn(process.execPath, [
      '--input-type=module',
      '-e',
      `const { acquireWriterLock } = await import(${JSON.stringify(lockModule)}); acquireWriterLock(${JSON.stringify(path)}); console.log('locked'); setInterval(() => {}, 1000);`,
    ]);
    await new Promise<void>((ready) => child.stdout.once('data', () => ready()));
    expect(() => acquireWriterLock(path)).toThrow(/in use by another pactwatch process/);
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));
    acquireWriterLock(path)();
  });
});

describe('a database pactwatch cannot use, at the command line', () => {
  /** Exit 1 and one line that names the database and says what to do; no stack trace. */
  function saysInOneLine(run: Run, path: string, what: RegExp) {
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(`pactwatch: cannot use database ${path}: `)]);
    expect(run.stderr).toMatch(what);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  }
  const folder = () => mkdtempSync(join(tmpdir(), 'pactwatch-bad-db-'));

  it('a corrupt file, to a writer and to a reader', async () => {
    const path = join(folder(), 'pactwatch.db');
    writeFileSync(path, randomBytes(64 * 1024));
    for (const command of ['once', 'status']) {
      saysInOneLine(await pactwatch([command, '--db', path]), path, /not a SQLite database, or it is damaged .*restore a backup, or move it aside/);
    }
  });

  it('a folder where the file should be', async () => {
    const path = join(folder(), 'pactwatch.db');
    mkdirSync(path);
    saysInOneLine(await pactwatch(['once', '--db', path]), path, /it is a folder, not a file: set --db \(PACTWATCH_DB\) to a file/);
  });

  it('a path whose folder is a file', async () => {
    const file = join(folder(), 'notes.txt');
    writeFileSync(file, 'not a folder\n');
    const path = join(file, 'pactwatch.db');
    saysInOneLine(await pactwatch(['once', '--db', path]), path, new RegExp(`${file} is not a folder .*set --db \\(PACTWATCH_DB\\) to another path`));
  });

  it('a read-only folder', async () => {
    // Root writes anywhere: as root, the command runs as the user nobody, for whom the folder is read-only.
    const asRoot = process.getuid?.() === 0;
    const user = asRoot ? { uid: 65534, gid: 65534 } : undefined;
    const top = folder();
    const config = copyConfig();
    for (const dir of [top, config]) chmodSync(dir, 0o755); // readable by that user
    const readOnly = join(top, 'data');
    mkdirSync(readOnly, { mode: 0o555 });
    chmodSync(readOnly, 0o555);
    const path = join(readOnly, 'pactwatch.db');
    saysInOneLine(await pactwatch(['once', '--db', path], { user, env: { PACTWATCH_CONFIG: config } }), path, /its folder .*data is read-only to this user .*make them writable, or set --db/);
  });
});
