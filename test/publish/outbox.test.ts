import { describe, expect, it } from 'vitest';
import { processItem } from '../../src/pipeline.js';
import { drainOutbox } from '../../src/publish/outbox.js';
import type { Publisher } from '../../src/publish/dry-run.js';
import type { AlertRow } from '../../src/store/store.js';
import { freshApp, item } from '../helpers/ledger.js';

describe('drainOutbox', () => {
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
});
