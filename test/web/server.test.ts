import { describe, expect, it } from 'vitest';
import { health } from '../../src/web/server.js';
import { freshApp } from '../helpers/ledger.js';

describe('health', () => {
  it('is healthy with no sources when the database answers, and names the reason when polls go stale', () => {
    const app = freshApp();
    const start = new Date('2026-11-27T00:00:00Z');
    expect(health(app, start, start, 60_000)).toEqual({ healthy: true, reason: 'database answers; no sources to poll' });
    const withSource = { ...app, config: { ...app.config, sources: [{ id: 's', kind: 'rss' as const, url: 'https://x.example/f', trust: 'press' as const, publisher: 'x.example', where: { file: 't' } }] } };
    expect(health(withSource, start, new Date(start.getTime() + 30_000), 60_000)).toMatchObject({ healthy: true, reason: expect.stringMatching(/^starting/) });
    app.store.saveSourceState({ id: 's', kind: 'rss', url: null, etag: null, lastModified: null, cursor: null, lastSuccess: '2026-11-27T00:00:10.000Z', lastError: null, lastErrorAt: null, failures: 0, nextPoll: null, gone: false, unreliableGuids: null });
    expect(health(withSource, start, new Date(start.getTime() + 50_000), 60_000).healthy).toBe(true);
    expect(health(withSource, start, new Date(start.getTime() + 300_000), 60_000)).toEqual({ healthy: false, reason: 'no poll for 290 s' });
    app.store.db.close();
    expect(health(withSource, start, start, 60_000)).toMatchObject({ healthy: false, reason: expect.stringMatching(/^database: /) });
  });
});
