import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drainOutbox } from '../../src/publish/outbox.js';
import type { Publisher } from '../../src/publish/dry-run.js';
import { openDatabase } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';

function storeWithQueued(n: number): Store {
  const store = new Store(openDatabase(join(mkdtempSync(join(tmpdir(), 'pactwatch-outbox-')), 'pactwatch.db')));
  store.transaction(() => {
    for (let i = 0; i < n; i++) {
      store.insertAlert({ transitionId: null, reportedKey: `k${i}`, tracker: 'caisi', party: `p${i}`, status: 'signed', state: 'queued', text: `alert ${i}` });
    }
  }, { durable: true });
  return store;
}

describe('drainOutbox', () => {
  it('once the daemon is stopping, finishes the post under way, cuts the spacing short and begins no other', async () => {
    const store = storeWithQueued(3);
    const stopping = new AbortController();
    const posted: number[] = [];
    const publisher: Publisher = {
      name: 'test',
      async publish(alert) {
        posted.push(alert.id);
        stopping.abort(); // the stop comes while the first post is under way
        return { state: 'sent', uri: `at://did:plc:test/app.bsky.feed.post/${alert.rkey}` };
      },
    };
    // An hour between posts: only the stop can end the wait.
    const done = await drainOutbox(store, publisher, { spacingMs: 3_600_000, stopping: stopping.signal });
    expect(done.map((a) => a.state)).toEqual(['sent']);
    expect(posted).toHaveLength(1);
    expect(store.alerts('queued')).toHaveLength(2);
    store.db.close();
  });
});
