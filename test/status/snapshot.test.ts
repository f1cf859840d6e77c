import { describe, expect, it } from 'vitest';
import { formatStatus, statusSnapshot } from '../../src/status/snapshot.js';
import { freshApp } from '../helpers/ledger.js';
import { feedSource, streamSource } from '../helpers/stream-status.js';

describe('a stream in the status table', () => {
  it('gives a stream nextPoll null whatever is stored, and says it reads continuously; a feed keeps its next poll', () => {
    const app = freshApp();
    const config = { ...app.config, sources: [feedSource('wire'), streamSource('firehose')] };
    const state = { url: null, etag: null, lastModified: null, cursor: null, lastError: null, lastErrorAt: null, failures: 0, gone: false, unreliableGuids: null, degraded: null };
    app.store.saveSourceState({ ...state, id: 'wire', kind: 'rss', lastSuccess: '2026-11-27T00:00:00.000Z', nextPoll: '2026-11-27T00:15:00.000Z' });
    // A daemon's scheduler may have stored a next time for it: a stream still has none.
    app.store.saveSourceState({ ...state, id: 'firehose', kind: 'bluesky-stream', cursor: '1764201600000000', lastSuccess: '2026-11-27T00:00:05.000Z', nextPoll: '2026-11-27T00:15:00.000Z' });
    try {
      const snapshot = statusSnapshot(config, app.store);
      expect(snapshot.sources).toEqual([
        { id: 'wire', kind: 'rss', lastSuccess: '2026-11-27T00:00:00.000Z', lastError: null, nextPoll: '2026-11-27T00:15:00.000Z' },
        { id: 'firehose', kind: 'bluesky-stream', lastSuccess: '2026-11-27T00:00:05.000Z', lastError: null, nextPoll: null },
      ]);
      const text = formatStatus(snapshot).split('\n');
      expect(text).toContain('  wire (rss): last success 2026-11-27T00:00:00.000Z; last error none; next poll 2026-11-27T00:15:00.000Z');
      expect(text).toContain('  firehose (bluesky-stream): last event 2026-11-27T00:00:05.000Z; last error none; reads continuously');
    } finally {
      app.store.db.close();
    }
  });
});
