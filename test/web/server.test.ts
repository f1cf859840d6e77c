import { Agent, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/web/metrics.js';
import { createWebServer, health } from '../../src/web/server.js';
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

describe('the web server while the daemon stops', () => {
  it('keeps connections alive while running, and closes each one after its answer once stopping', async () => {
    const app = freshApp();
    let closing = false;
    const server = createWebServer(app, createMetrics('test'), { startedAt: new Date(), staleAfterMs: 60_000, closing: () => closing });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const agent = new Agent({ keepAlive: true });
    const ask = () =>
      new Promise<{ connection: string | undefined; closed: Promise<void> }>((done, fail) =>
        get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`, { agent }, (res) => {
          const closed = new Promise<void>((c) => res.socket.once('close', () => c()));
          res.resume();
          res.once('end', () => done({ connection: res.headers.connection, closed }));
        }).once('error', fail),
      );
    try {
      expect((await ask()).connection).toBe('keep-alive');
      closing = true;
      const last = await ask();
      expect(last.connection).toBe('close');
      // Closed by the server after its answer, not left for the keep-alive timeout.
      await last.closed;
    } finally {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
      app.store.db.close();
    }
  });
});
