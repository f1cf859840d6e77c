import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyConfig, pactwatch, ROOT, type Run } from '../helpers/cli.js';

const STORY = join(ROOT, 'fixtures/demo/caisi-story.jsonl');
const folder = () => mkdtempSync(join(tmpdir(), 'pactwatch-paths-'));
const jsonLines = (s: string) => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

/** One line on stderr that starts as `start` says, the exit code `code`, and no stack trace. */
function saysInOneLine(run: Run, code: number, start: string, what?: RegExp) {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(start)]);
  if (what) expect(run.stderr).toMatch(what);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stdout).toBe('');
}

/** A database with the demo story in it. */
async function storyDb(): Promise<string> {
  const db = join(folder(), 'pactwatch.db');
  expect((await pactwatch(['replay', STORY, '--db', db])).code).toBe(0);
  return db;
}

// As root, a command runs as the user nobody, whom permissions stop (they never stop root).
const asRoot = process.getuid?.() === 0;
const nobody = asRoot ? { uid: 65534, gid: 65534 } : undefined;

describe('pactwatch backup PATH', () => {
  it('creates the folders of PATH that do not exist yet', async () => {
    const db = await storyDb();
    const copy = join(folder(), 'backups', '2026', 'pactwatch.db');
    const run = await pactwatch(['backup', copy, '--db', db]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe(`backup written to ${copy}\n`);
    const original = (await pactwatch(['alerts', 'list', '--json', '--db', db])).stdout;
    expect(jsonLines(original)).toHaveLength(1);
    expect((await pactwatch(['alerts', 'list', '--json', '--db', copy])).stdout).toBe(original);
  });

  it('refuses a folder, a path through a file and the database itself as PATH: one line, exit 2', async () => {
    const db = await storyDb();
    const top = folder();
    const file = join(top, 'notes.txt');
    writeFileSync(file, 'a file\n');
    saysInOneLine(await pactwatch(['backup', top, '--db', db]), 2, `pactwatch: cannot write the backup to ${top}: it is a folder`, /give a file path, such as .*pactwatch\.db/);
    for (const through of [join(file, 'copy.db'), join(file, 'deeper', 'copy.db')]) {
      saysInOneLine(await pactwatch(['backup', through, '--db', db]), 2, `pactwatch: cannot write the backup to ${through}: `, new RegExp(`${file} is a file, not a folder`));
    }
    saysInOneLine(await pactwatch(['backup', db, '--db', db]), 2, `pactwatch: cannot write the backup to ${db}: it is the database itself`);
  });

  it('says in one line that the folder of PATH is read-only', async () => {
    const db = await storyDb();
    const top = folder();
    chmodSync(top, 0o755);
    // A reader of a WAL database writes its -shm file beside it.
    chmodSync(join(db, '..'), 0o777);
    const readOnly = join(top, 'locked');
    mkdirSync(readOnly, { mode: 0o555 });
    chmodSync(readOnly, 0o555);
    const config = copyConfig();
    chmodSync(config, 0o755);
    const copy = join(readOnly, 'copy.db');
    const run = await pactwatch(['backup', copy, '--db', db], { user: nobody, env: { PACTWATCH_CONFIG: config } });
    saysInOneLine(run, 2, `pactwatch: cannot write the backup to ${copy}: `, /read-only to this user/);
  });
});

describe('a database that does not exist', () => {
  it('status and alerts list say so for a --db or PACTWATCH_DB path, show no table and create nothing', async () => {
    const top = folder();
    const file = join(top, 'notes.txt');
    writeFileSync(file, 'a file\n');
    const paths = [join(top, 'pactwatch.db'), join(top, 'no-such-folder', 'pactwatch.db'), join(file, 'pactwatch.db')];
    for (const db of paths) {
      for (const args of [['status'], ['status', '--json'], ['alerts', 'list'], ['alerts', 'list', '--json']]) {
        saysInOneLine(await pactwatch([...args, '--db', db]), 1, `pactwatch: cannot use database ${db}: `, /does not exist|is a file, not a folder/);
      }
    }
    saysInOneLine(await pactwatch(['status'], { env: { PACTWATCH_DB: paths[0]! } }), 1, `pactwatch: cannot use database ${paths[0]}: it does not exist: check --db (PACTWATCH_DB)`);
    expect(readdirSync(top)).toEqual(['notes.txt']);
  });

  it('a folder given as --db is named as a folder by every reader', async () => {
    const top = folder();
    for (const args of [['status'], ['alerts', 'list'], ['backup', join(folder(), 'copy.db')]]) {
      saysInOneLine(await pactwatch([...args, '--db', top]), 1, `pactwatch: cannot use database ${top}: it is a folder, not a file`);
    }
  });

  it('alerts approve, reject and retract say so too, and create nothing', async () => {
    const top = folder();
    const db = join(top, 'pactwatch.db');
    for (const action of ['approve', 'reject', 'retract']) {
      saysInOneLine(await pactwatch(['alerts', action, '1', '--db', db]), 1, `pactwatch: cannot use database ${db}: it does not exist`);
    }
    expect(readdirSync(top)).toEqual([]);
  });

  it('at the default path before anything has run, status shows the config alone and says why', async () => {
    const cwd = folder();
    const run = await pactwatch(['status'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Meta\s+holdout\s+since 2026-06/);
    expect(run.stderr).toMatch(/^pactwatch: no database yet at data\/pactwatch\.db: .*pactwatch run/);
    const alerts = await pactwatch(['alerts', 'list'], { cwd });
    expect(alerts.code).toBe(0);
    expect(alerts.stdout).toBe('no alerts\n');
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('a path through a file', () => {
  it('replay and once say which part of --db is a file, in one line', async () => {
    const file = join(folder(), 'notes.txt');
    writeFileSync(file, 'a file\n');
    for (const db of [join(file, 'pactwatch.db'), join(file, 'data', 'pactwatch.db')]) {
      for (const args of [['replay', STORY], ['once'], ['status', 'set', 'caisi', 'meta', 'signed', '--evidence', 'https://about.fb.com/news/caisi']]) {
        saysInOneLine(await pactwatch([...args, '--db', db]), 1, `pactwatch: cannot use database ${db}: `, /is not a folder \(it, or a part of its path, is a file\)/);
      }
    }
  });
});

describe('a config folder pactwatch cannot read', () => {
  it('is bad config, said in one line that names it, for every command that reads it', async () => {
    const config = copyConfig();
    const db = join(folder(), 'pactwatch.db');
    chmodSync(join(db, '..'), 0o777);
    const cases: [string, (dir: string) => void][] = [
      [config, (dir) => chmodSync(dir, 0o000)],
      [join(config, 'trackers'), (dir) => (chmodSync(config, 0o755), chmodSync(dir, 0o000))],
    ];
    for (const [unreadable, lock] of cases) {
      lock(unreadable);
      for (const args of [['status'], ['explain', 'Meta signs the CAISI agreement'], ['rules', 'test'], ['once'], ['replay', STORY]]) {
        const run = await pactwatch([...args, '--config', config, '--db', db], { user: nobody });
        expect(run.code, `${args[0]}: ${run.stderr}`).toBe(2);
        expect(run.stderr).toContain(`${unreadable}: cannot read this folder: permission denied`);
        expect(run.stderr).not.toMatch(/^\s+at /m);
      }
    }
    chmodSync(join(config, 'trackers'), 0o755);
  });

  it('a file given as the config folder is named as a file', async () => {
    const file = join(folder(), 'pactwatch.yaml');
    writeFileSync(file, 'publish: {}\n');
    const run = await pactwatch(['status', '--config', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}: is a file, not a config folder`);
  });
});

describe('an empty --db or --config', () => {
  it('is bad usage, before anything is read or written', async () => {
    const cwd = folder();
    for (const args of [['status', '--db='], ['once', '--db', ''], ['replay', STORY, '--db='], ['status', '--config=']]) {
      saysInOneLine(await pactwatch(args, { cwd }), 2, `pactwatch: ${args.includes('--config=') ? '--config' : '--db'} needs a path, not an empty one`);
    }
    expect(readdirSync(cwd)).toEqual([]);
  });
});
