import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drainOutbox } from '../../src/publish/outbox.js';
import type { Publisher } from '../../src/publish/dry-run.js';
import { openDatabase } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';
import { processItem } from '../../src/pipeline/process.js';
import type { AlertRow } from '../../src/model/alert.js';
import { freshApp, item } from '../helpers/ledger.js';

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
  it('does not post an alert taken back while the drain was posting the one before it', async () => {
    const store = storeWithQueued(2);
    const [first, second] = store.alerts('queued');
    const given: string[] = [];
    const publisher: Publisher = {
      name: 'recording',
      async publish(alert) {
        given.push(alert.text);
        // Meanwhile the pipeline withdraws the second alert's claim (pipeline/withdraw.ts).
        if (alert.id === first!.id) store.setAlertState(second!.id, 'retracted', { error: 'not posted: the claim was withdrawn' });
        return { state: 'sent', uri: `at://did:plc:test/app.bsky.feed.post/${alert.rkey}` };
      },
    };
    await drainOutbox(store, publisher);
    expect(given).toEqual(['alert 0']);
    expect(store.alert(second!.id)!.state).toBe('retracted');
  });

  it('never hands a fictional alert to the publisher, even one found queued', async () => {
    const app = freshApp();
    processItem(app, item({ text: 'Meta has signed the CAISI pre-release testing agreement.', trust: 'official', speaksFor: 'all', fictional: true }));
    processItem(app, item({ text: 'Amazon has signed the CAISI pre-release testing agreement.', trust: 'official', speaksFor: 'all' }));
    // As if the database had been edited by hand, past the store's own guard.
    app.store.db.prepare("UPDATE alerts SET state = 'queued' WHERE fictional = 1").run();
    expect(app.store.alerts('queued')).toHaveLength(2);
    const given: AlertRow[] = [];
    const publisher: Publisher = {
      name: 'recording',
      async publish(alert) {
        given.push(alert);
        return { state: 'sent', uri: `at://did:plc:test/app.bsky.feed.post/${alert.rkey}` };
      },
    };
    const done = await drainOutbox(app.store, publisher);
    expect(given.map((a) => a.party)).toEqual(['amazon']);
    expect(done.map((a) => `${a.party} ${a.state} ${a.lastError}`)).toEqual(['meta dry-run fictional: not posted', 'amazon sent null']);
  });

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
