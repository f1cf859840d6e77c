import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';
import { metaRow, writeMetaRow } from '../helpers/meta.js';

const freshStore = () => new Store(openDatabase(join(mkdtempSync(join(tmpdir(), 'pactwatch-tx-')), 'pactwatch.db')));

// A body that awaits would run its first part inside the transaction and the rest after the
// commit, outside it. Every body's part before its first await is what these bodies write.
describe('a transaction body that returns a promise', () => {
  it('is refused, and what it wrote is rolled back', () => {
    const store = freshStore();
    expect(() =>
      store.transaction(async () => {
        writeMetaRow(store, 'before-await', 'x');
        await Promise.resolve();
      }),
    ).toThrow(TypeError);
    expect(metaRow(store, 'before-await')).toBeUndefined();
    store.db.close();
  });

  it('is refused inside another transaction too, rolling back the whole of it', () => {
    const store = freshStore();
    expect(() =>
      store.transaction(() => {
        writeMetaRow(store, 'outer', 'x');
        store.transaction(async () => {
          writeMetaRow(store, 'inner', 'x');
          await Promise.resolve();
        });
      }),
    ).toThrow(/returned a promise/);
    expect([metaRow(store, 'outer'), metaRow(store, 'inner')]).toEqual([undefined, undefined]);
    expect(store.db.inTransaction).toBe(false);
    store.db.close();
  });

  it('is refused inside transactionAsync (replay), which rolls back', async () => {
    const store = freshStore();
    await expect(
      store.transactionAsync(async () => {
        writeMetaRow(store, 'batch', 'x');
        store.transaction(async () => {
          writeMetaRow(store, 'item', 'x');
          await Promise.resolve();
        });
      }),
    ).rejects.toThrow(/returned a promise/);
    expect([metaRow(store, 'batch'), metaRow(store, 'item')]).toEqual([undefined, undefined]);
    expect(store.db.inTransaction).toBe(false);
    store.db.close();
  });

  it('a plain body still commits, nested or not', async () => {
    const store = freshStore();
    store.transaction(() => store.transaction(() => writeMetaRow(store, 'nested', 'x')));
    await store.transactionAsync(async () => store.transaction(() => writeMetaRow(store, 'in-async', 'x')));
    expect([metaRow(store, 'nested'), metaRow(store, 'in-async')]).toEqual(['x', 'x']);
    store.db.close();
  });
});
