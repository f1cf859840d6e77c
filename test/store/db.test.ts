import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { acquireWriterLock, openDatabase, PAGE_SIZE, SCHEMA_VERSION, useBulkCache } from '../../src/store/db.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { Store } from '../../src/store/store.js';
import { metaRow, writeMetaRow } from '../helpers/meta.js';

const dbPath = () => join(mkdtempSync(join(tmpdir(), 'pactwatch-db-')), 'nested', 'pactwatch.db');

describe('openDatabase', () => {
  it('creates the folder, applies every migration and uses WAL', () => {
    const db = openDatabase(dbPath());
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // user_version counts MIGRATIONS whatever they hold: the schema itself shows they ran.
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['alerts', 'assertions', 'handles', 'items', 'meta', 'party_status', 'sources', 'transition_assertions', 'transitions']);
    const columns = (table: string) => db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all();
    // Each later migration's mark: the columns it added, and the index it replaced.
    expect(columns('items')).toEqual(expect.arrayContaining(['via', 'encoding', 'fictional', 'failed', 'langs']));
    expect(columns('alerts')).toEqual(expect.arrayContaining(['next_attempt', 'fictional']));
    expect(columns('sources')).toEqual(expect.arrayContaining(['unreliable_guids', 'degraded']));
    expect(db.prepare("SELECT name FROM pragma_index_info('items_text_hash')").pluck().all()).toEqual(['text_hash', 'trust']);
    db.close();
  });

  it("keeps SQLite's default page cache for the daemon and a bigger one for a bulk load", () => {
    const db = openDatabase(dbPath());
    expect(db.pragma('cache_size', { simple: true })).toBe(-2000);
    useBulkCache(db);
    expect(db.pragma('cache_size', { simple: true })).toBe(-8000);
    db.close();
  });

  it('creates a new database with 16 KB pages, and leaves an existing one at its own size', () => {
    const fresh = openDatabase(dbPath());
    expect(PAGE_SIZE).toBe(16384);
    expect(fresh.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    fresh.close();

    // A database an earlier version made, with SQLite's 4 KB pages and the first migration.
    const old = join(mkdtempSync(join(tmpdir(), 'pactwatch-db-')), 'old.db');
    const made = new Database(old);
    made.pragma('page_size = 4096');
    made.exec(MIGRATIONS[0]!);
    made.pragma('user_version = 1');
    made.pragma('journal_mode = WAL');
    made.close();
    const opened = openDatabase(old);
    expect(opened.pragma('page_size', { simple: true })).toBe(4096);
    expect(opened.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    opened.close();
  });

  it('refuses a database from a newer version, saying so', () => {
    const path = dbPath();
    const db = openDatabase(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openDatabase(path)).toThrow(new RegExp(`schema version ${SCHEMA_VERSION + 1}, written by a newer pactwatch; this one knows up to ${SCHEMA_VERSION}`));
  });

  it('upgrades a database from an older version in place', () => {
    const path = dbPath();
    const db = openDatabase(path);
    // Back to version 1: undo the columns that later migrations added (4 only remakes an index).
    db.exec('ALTER TABLE items DROP COLUMN via');
    db.exec('ALTER TABLE alerts DROP COLUMN next_attempt');
    db.exec('ALTER TABLE items DROP COLUMN encoding');
    db.exec('ALTER TABLE sources DROP COLUMN unreliable_guids');
    db.exec('ALTER TABLE items DROP COLUMN fictional');
    db.exec('ALTER TABLE alerts DROP COLUMN fictional');
    db.exec('ALTER TABLE items DROP COLUMN failed');
    db.exec('ALTER TABLE sources DROP COLUMN degraded');
    db.exec('ALTER TABLE items DROP COLUMN deleted_at');
    db.exec('DROP TABLE handles');
    db.exec('ALTER TABLE items DROP COLUMN langs');
    db.pragma('user_version = 1');
    db.close();
    const upgraded = openDatabase(path);
    expect(upgraded.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect((upgraded.prepare('PRAGMA table_info(items)').all() as { name: string }[]).map((c) => c.name)).toEqual(expect.arrayContaining(['via', 'failed', 'deleted_at']));
    expect((upgraded.prepare('PRAGMA table_info(alerts)').all() as { name: string }[]).map((c) => c.name)).toContain('next_attempt');
    expect((upgraded.prepare('PRAGMA table_info(items)').all() as { name: string }[]).map((c) => c.name)).toContain('encoding');
    expect((upgraded.prepare('PRAGMA table_info(sources)').all() as { name: string }[]).map((c) => c.name)).toEqual(expect.arrayContaining(['unreliable_guids', 'degraded']));
    expect((upgraded.prepare('PRAGMA table_info(items)').all() as { name: string }[]).map((c) => c.name)).toContain('fictional');
    expect((upgraded.prepare('PRAGMA table_info(alerts)').all() as { name: string }[]).map((c) => c.name)).toContain('fictional');
    expect((upgraded.prepare('PRAGMA table_info(handles)').all() as { name: string }[]).map((c) => c.name)).toEqual(['handle', 'did', 'resolved_at']);
    upgraded.close();
  });

  it('reopens an existing database without migrating again', () => {
    const path = dbPath();
    openDatabase(path).close();
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });
});

describe('the single-writer lock', () => {
  it('refuses a second writer while the first holds it, and frees it on release', () => {
    const path = dbPath();
    const release = acquireWriterLock(path);
    expect(() => acquireWriterLock(path)).toThrow(/in use by another pactwatch process/);
    release();
    acquireWriterLock(path)();
  });

  it('refuses a second writer that reaches the database through a symlink to the file or to its folder', () => {
    const path = dbPath();
    openDatabase(path).close();
    const links = mkdtempSync(join(tmpdir(), 'pactwatch-links-'));
    symlinkSync(path, join(links, 'link.db'));
    symlinkSync(dirname(path), join(links, 'folder'));
    const release = acquireWriterLock(path);
    expect(() => acquireWriterLock(join(links, 'link.db'))).toThrow(/in use by another pactwatch process/);
    expect(() => acquireWriterLock(join(links, 'folder', 'pactwatch.db'))).toThrow(/in use by another pactwatch process/);
    release();
    // And the other way round, before the database exists: the first writer came through a linked folder.
    const fresh = dbPath();
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'pactwatch-links-')), 'folder');
    acquireWriterLock(fresh)();
    symlinkSync(dirname(fresh), elsewhere);
    const first = acquireWriterLock(join(elsewhere, 'pactwatch.db'));
    expect(() => acquireWriterLock(fresh)).toThrow(/in use by another pactwatch process/);
    first();
  });
});

describe('Store.transactionAsync', () => {
  it('commits a body that awaits, with the calls inside it joining it, and rolls all of it back when the body fails', async () => {
    const db = openDatabase(dbPath());
    const store = new Store(db);
    const tick = () => new Promise((r) => setTimeout(r, 1));
    await store.transactionAsync(async () => {
      store.transaction(() => writeMetaRow(store, 'a', '1'));
      await tick();
      writeMetaRow(store, 'b', '2');
    });
    expect([metaRow(store, 'a'), metaRow(store, 'b')]).toEqual(['1', '2']);
    await expect(
      store.transactionAsync(async () => {
        store.transaction(() => writeMetaRow(store, 'c', '3'));
        await tick();
        throw new Error('stored half');
      }),
    ).rejects.toThrow('stored half');
    expect(metaRow(store, 'c')).toBeUndefined();
    expect(db.inTransaction).toBe(false);
    db.close();
  });
});
