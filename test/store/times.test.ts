import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';

describe('stored times', () => {
  it("are Date#toISOString's text, whatever the year", () => {
    const store = new Store(openDatabase(join(mkdtempSync(join(tmpdir(), 'pactwatch-times-')), 'pactwatch.db')));
    const fetchedAt = new Date('2026-11-27T00:00:00.000Z');
    const times = [
      new Date('2026-06-01T09:05:03.007Z'),
      new Date('2026-12-31T23:59:59.999Z'),
      new Date(Date.UTC(1000, 0, 1)),
      new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)),
      new Date(Date.UTC(999, 11, 31, 23, 59, 59, 999)),
      new Date(Date.UTC(10000, 0, 1)),
      new Date(Date.UTC(-1, 5, 1)),
    ];
    times.forEach((publishedAt, i) => {
      const id = store.insertItem(
        { sourceId: 'test', guid: `g${i}`, text: `item ${i}`, textHash: Buffer.alloc(16, i), publisher: 'example.com', trust: 'press', speaksFor: null, publishedAt, fetchedAt, itemTime: publishedAt },
        0,
        undefined,
      );
      const row = store.db.prepare('SELECT published_at, fetched_at, item_time FROM items WHERE id = ?').get(id);
      expect(row).toEqual({ published_at: publishedAt.toISOString(), fetched_at: fetchedAt.toISOString(), item_time: publishedAt.toISOString() });
    });
    expect(() =>
      store.insertItem({ sourceId: 'test', text: 'bad', textHash: Buffer.alloc(16, 99), publisher: 'example.com', trust: 'press', speaksFor: null, fetchedAt, itemTime: new Date(NaN) }, 0, undefined),
    ).toThrow(RangeError);
    store.db.close();
  });
});

describe("a source's stored times", () => {
  it('are refused, naming the source and the field, when they are not times the store can compare', () => {
    const store = new Store(openDatabase(join(mkdtempSync(join(tmpdir(), 'pactwatch-times-')), 'pactwatch.db')));
    const state = { id: 'wire', kind: 'rss', url: null, etag: null, lastModified: null, cursor: null, lastSuccess: null, lastError: 'HTTP 429', lastErrorAt: '2026-11-27T12:00:00.000Z', failures: 1, nextPoll: null, gone: false, unreliableGuids: null, degraded: null };
    for (const nextPoll of ['Invalid Date', '+033715-01-01T00:00:00.000Z', '2026-13-45T00:00:00.000Z']) {
      expect(() => store.saveSourceState({ ...state, nextPoll })).toThrow(expect.objectContaining({ name: 'StoreError', message: `source wire: nextPoll is not a time: "${nextPoll}"` }));
    }
    expect(() => store.saveSourceState({ ...state, lastErrorAt: 'yesterday' })).toThrow(/source wire: lastErrorAt is not a time/);
    expect(store.sourceState('wire')).toBeUndefined();
    store.saveSourceState({ ...state, nextPoll: '2026-11-27T13:00:00.000Z' });
    expect(store.sourceState('wire')!.nextPoll).toBe('2026-11-27T13:00:00.000Z');
    store.db.close();
  });
});
