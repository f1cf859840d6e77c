// The commits a power cut must not undo (an alert queued, a post recorded as sent) are synced to
// disk: they run at synchronous = FULL, the rest of the ledger's writes at NORMAL. A power cut
// cannot be staged in a test; what can be observed is the level each commit runs at. SQLite
// refuses to change the level inside a transaction, so the level read inside one, on the
// connection the pipeline uses, is the level its commit uses.
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/pipeline/poll.js';
import { drainOutbox } from '../../src/publish/outbox.js';
import { initialState } from '../../src/sources/poll.js';
import type { Source } from '../../src/config/types.js';
import { freshApp, item } from '../helpers/ledger.js';

const FULL = 2;
const NORMAL = 1;

describe('durable commits', () => {
  it('a poll that queues an alert and the post recorded as sent commit at FULL; a poll with nothing new and other writes at NORMAL', async () => {
    const app = freshApp({ publishMode: 'auto' });
    const { store } = app;
    const level = () => store.db.pragma('synchronous', { simple: true }) as number;
    const seen: Record<string, number[]> = {};
    const spy = (name: string, target: object, method: string) => {
      const methods = target as Record<string, (...args: unknown[]) => unknown>;
      const original = methods[method]!.bind(target);
      methods[method] = (...args: unknown[]) => {
        (seen[name] ??= []).push(level());
        return original(...args);
      };
    };
    for (const name of ['insertAlert', 'setAlertState', 'saveSourceState'] as const) spy(name, store, name);
    spy('lastPost.set', store.lastPost, 'set');

    const source: Source = { id: 'wire', kind: 'rss', url: 'https://wire.example/feed', trust: 'official', speaksFor: 'all', publisher: 'wire.example', where: { file: 'test' } };
    const news = item({ sourceId: 'wire', text: 'Nvidia has signed the CAISI pre-release testing agreement.', trust: 'official', speaksFor: 'all' });
    const { results } = ingest(app, { outcome: 'ok', items: [news], state: initialState(source), first: false });
    expect(results[0]!.alerts).toHaveLength(1);
    expect(seen.insertAlert).toEqual([FULL]);
    expect(seen.saveSourceState).toEqual([FULL]); // the same transaction as the alert

    const sent = await drainOutbox(store, { name: 'test', publish: async (a) => ({ state: 'sent', uri: `at://did:plc:test/app.bsky.feed.post/${a.rkey}` }) });
    expect(sent.map((a) => a.state)).toEqual(['sent']);
    expect(seen.setAlertState).toEqual([FULL]);

    // Between these commits the connection is back at NORMAL, and writes that cannot repeat a
    // post do not wait for the disk.
    expect(level()).toBe(NORMAL);
    ingest(app, { outcome: 'not-modified', items: [], state: initialState(source), first: false });
    store.lastPost.set(1);
    expect(seen.saveSourceState).toEqual([FULL, NORMAL]);
    expect(seen['lastPost.set']).toEqual([NORMAL]);
    store.db.close();
  });

  it('refuses an alert queued in a transaction that is not durable', () => {
    const app = freshApp();
    expect(() =>
      app.store.transaction(() =>
        app.store.insertAlert({ transitionId: null, reportedKey: 'k', tracker: 'caisi', party: 'meta', status: 'signed', state: 'queued', text: 'Meta signed' }),
      ),
    ).toThrow(/caisi\/meta queued in a transaction that is not durable/);
    expect(app.store.alerts()).toEqual([]);
    app.store.db.close();
  });
});
