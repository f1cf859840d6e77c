// The meta table's rows are read and written through typed accessors, under the keys and in the
// text earlier versions used: a database they wrote keeps its session, budgets and pacing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';
import { writeMetaRow } from '../helpers/meta.js';

const freshStore = () => new Store(openDatabase(join(mkdtempSync(join(tmpdir(), 'pactwatch-meta-')), 'pactwatch.db')));
const rows = (store: Store) => Object.fromEntries((store.db.prepare('SELECT key, value FROM meta ORDER BY key').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));

const session = { did: 'did:plc:abc', handle: 'alerts.test', accessJwt: 'a.b.c', refreshJwt: 'd.e.f', active: true };

describe('the meta rows', () => {
  it('are written under the keys and in the text earlier versions wrote', () => {
    const store = freshStore();
    store.createdAt.set('2026-11-27T12:00:00.000Z');
    store.lastPost.set(1_764_244_800_000);
    store.session.set(session);
    store.botLabelled.set('did:plc:abc');
    store.budget.points.set([[1_764_244_800_000, 3]]);
    store.budget.logins.set([1_764_244_700_000, 1_764_244_800_000]);
    store.budget.rateLimitedUntil.set(1_764_248_400_000);
    expect(rows(store)).toEqual({
      created_at: '2026-11-27T12:00:00.000Z',
      outbox_last_post: '1764244800000',
      bluesky_session: JSON.stringify(session),
      bluesky_bot_label: 'did:plc:abc',
      bluesky_points: '[[1764244800000,3]]',
      bluesky_logins: '[1764244700000,1764244800000]',
      bluesky_retry_after: '1764248400000',
    });
    store.session.set(undefined);
    expect(rows(store).bluesky_session).toBe('');
    store.db.close();
  });

  it('written by an earlier version are read back, and missing ones read as nothing spent', () => {
    const store = freshStore();
    expect([store.createdAt.get(), store.lastPost.get(), store.session.get(), store.botLabelled.get()]).toEqual([undefined, 0, undefined, undefined]);
    expect([store.budget.points.get(), store.budget.logins.get(), store.budget.rateLimitedUntil.get()]).toEqual([[], [], undefined]);
    writeMetaRow(store, 'created_at', '2026-11-27T12:00:00.000Z');
    writeMetaRow(store, 'outbox_last_post', '1764244800000');
    writeMetaRow(store, 'bluesky_session', JSON.stringify(session));
    writeMetaRow(store, 'bluesky_bot_label', 'did:plc:abc');
    writeMetaRow(store, 'bluesky_points', '[[1764244800000,3]]');
    writeMetaRow(store, 'bluesky_logins', '[1764244800000]');
    writeMetaRow(store, 'bluesky_retry_after', 'Invalid Date');
    expect([store.createdAt.get(), store.lastPost.get(), store.session.get(), store.botLabelled.get()]).toEqual(['2026-11-27T12:00:00.000Z', 1_764_244_800_000, session, 'did:plc:abc']);
    // A corrupt wait is handed on as stored: the publisher bounds it.
    expect([store.budget.points.get(), store.budget.logins.get(), store.budget.rateLimitedUntil.get()]).toEqual([[[1_764_244_800_000, 3]], [1_764_244_800_000], 'Invalid Date']);
    writeMetaRow(store, 'bluesky_session', '');
    expect(store.session.get()).toBeUndefined();
    store.db.close();
  });
});
