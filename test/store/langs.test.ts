import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase, SCHEMA_VERSION } from '../../src/store/db.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { Store } from '../../src/store/store.js';
import type { NewItem } from '../../src/model/ledger.js';

// A Bluesky post's language tags in the items table: what replay and the live path both read.
const dbPath = () => join(mkdtempSync(join(tmpdir(), 'pactwatch-langs-')), 'pactwatch.db');
const langsColumn = (db: Database.Database) => db.prepare("SELECT name FROM pragma_table_info('items') WHERE name = 'langs'").pluck().all();

function newItem(guid: string, langs?: string[]): NewItem {
  const at = new Date('2026-11-20T12:00:00Z');
  return { sourceId: 'firehose', guid, text: `post ${guid}`, textHash: Buffer.from(guid.padEnd(16, '.')), publisher: 'did:plc:someone', trust: 'social', speaksFor: null, fetchedAt: at, itemTime: at, langs };
}

describe("an item's language tags in the store", () => {
  it('a new database has the column, and an item keeps its tags (JSON, in their order), or NULL without any', () => {
    const path = dbPath();
    const store = new Store(openDatabase(path));
    store.insertItem(newItem('at://a', ['ja', 'en']), 0, undefined);
    store.insertItem(newItem('at://b'), 0, undefined);
    store.db.close();
    const db = new Database(path, { readonly: true });
    expect(langsColumn(db)).toEqual(['langs']);
    const rows = db.prepare('SELECT guid, langs FROM items ORDER BY id').all() as { guid: string; langs: string | null }[];
    expect(rows.map((r) => [r.guid, r.langs === null ? null : JSON.parse(r.langs)])).toEqual([
      ['at://a', ['ja', 'en']],
      ['at://b', null],
    ]);
    db.close();
  });

  it('a database from before the column is upgraded in place; its items have no tags', () => {
    const path = dbPath();
    const before = MIGRATIONS.findIndex((m) => /ADD COLUMN langs\b/.test(m));
    expect(before).toBeGreaterThan(0);
    const old = new Database(path);
    for (const m of MIGRATIONS.slice(0, before)) old.exec(m);
    old.pragma(`user_version = ${before}`);
    old.prepare("INSERT INTO items (source_id, guid, text, text_hash, publisher, trust, fetched_at, item_time) VALUES ('firehose', 'at://old', 'old post', x'00', 'p', 'social', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')").run();
    old.close();
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(langsColumn(db)).toEqual(['langs']);
    expect(db.prepare("SELECT langs FROM items WHERE guid = 'at://old'").pluck().get()).toBeNull();
    db.close();
  });
});
