import Database from 'better-sqlite3';
import { Agent, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { setStatus } from '../../src/pipeline/manual.js';
import { createMetrics } from '../../src/web/metrics.js';
import { createWebServer, health, type Served } from '../../src/web/server.js';
import { freshApp } from '../helpers/ledger.js';
import { feedSource, streamSource, streamStatus } from '../helpers/stream-status.js';

describe('health', () => {
  it('is healthy with no sources when the database answers, and names the reason when polls go stale', () => {
    const app = freshApp();
    const start = new Date('2026-11-27T00:00:00Z');
    expect(health(app, start, start, 60_000)).toEqual({ healthy: true, reason: 'database answers; no sources to poll' });
    const withSource = { ...app, config: { ...app.config, sources: [{ id: 's', kind: 'rss' as const, url: 'https://x.example/f', trust: 'press' as const, publisher: 'x.example', where: { file: 't' } }] } };
    expect(health(withSource, start, new Date(start.getTime() + 30_000), 60_000)).toMatchObject({ healthy: true, reason: expect.stringMatching(/^starting/) });
    app.store.saveSourceState({ id: 's', kind: 'rss', url: null, etag: null, lastModified: null, cursor: null, lastSuccess: '2026-11-27T00:00:10.000Z', lastError: null, lastErrorAt: null, failures: 0, nextPoll: null, gone: false, unreliableGuids: null, degraded: null });
    expect(health(withSource, start, new Date(start.getTime() + 50_000), 60_000).healthy).toBe(true);
    expect(health(withSource, start, new Date(start.getTime() + 300_000), 60_000)).toEqual({ healthy: false, reason: 'no poll for 290 s' });
    app.store.db.close();
    expect(health(withSource, start, start, 60_000)).toMatchObject({ healthy: false, reason: expect.stringMatching(/^database: /) });
  });

  it('counts the start-up polls: once one lands after the start, polls are recent, not "not yet due"', () => {
    const app = freshApp();
    const withSource = { ...app, config: { ...app.config, sources: [{ id: 's', kind: 'rss' as const, url: 'https://x.example/f', trust: 'press' as const, publisher: 'x.example', where: { file: 't' } }] } };
    const start = new Date('2026-11-27T00:00:00Z');
    // A poll from before this start (the last run) does not count as this run's first.
    app.store.saveSourceState({ id: 's', kind: 'rss', url: null, etag: null, lastModified: null, cursor: null, lastSuccess: '2026-11-26T23:00:00.000Z', lastError: null, lastErrorAt: null, failures: 0, nextPoll: null, gone: false, unreliableGuids: null, degraded: null });
    expect(health(withSource, start, new Date(start.getTime() + 5_000), 2 * 3_600_000)).toEqual({ healthy: true, reason: 'starting: the start-up polls are under way' });
    app.store.saveSourceState({ ...app.store.sourceState('s')!, lastSuccess: '2026-11-27T00:00:03.000Z' });
    expect(health(withSource, start, new Date(start.getTime() + 5_000), 2 * 3_600_000)).toEqual({ healthy: true, reason: 'database answers; polls are recent' });
  });
});

describe('health with live streams', () => {
  const start = new Date('2026-11-27T00:00:00Z');
  const later = (s: number) => new Date(start.getTime() + s * 1000);

  it('fails while a stream lags more than its maxLag, naming the stream and both figures', () => {
    const app = freshApp();
    const withStream = { ...app, config: { ...app.config, sources: [streamSource('firehose')] }, streams: () => [streamStatus({ sourceId: 'firehose', phase: 'catching-up', lagSeconds: 412.4 })] };
    expect(health(withStream, start, later(3_600), 7_200_000)).toEqual({ healthy: false, reason: 'stream firehose is 412 s behind (maxLag 300 s)' });
    const current = { ...withStream, streams: () => [streamStatus({ sourceId: 'firehose', lagSeconds: 299 })] };
    expect(health(current, start, later(3_600), 7_200_000)).toEqual({ healthy: true, reason: 'database answers; every stream is within its maxLag' });
    app.store.db.close();
  });

  it('stays healthy with only a live stream that has had no event for hours (an authors stream whose accounts are quiet)', () => {
    const app = freshApp();
    const withStream = { ...app, config: { ...app.config, sources: [streamSource('labs', 'authors')] }, streams: () => [streamStatus({ sourceId: 'labs', lastEventAt: '2026-11-26T00:00:00.000Z' })] };
    app.store.saveSourceState({ id: 'labs', kind: 'bluesky-stream', url: null, etag: null, lastModified: null, cursor: '1', lastSuccess: '2026-11-26T00:00:00.000Z', lastError: null, lastErrorAt: null, failures: 0, nextPoll: null, gone: false, unreliableGuids: null, degraded: null });
    expect(health(withStream, start, later(5 * 3_600), 7_200_000)).toEqual({ healthy: true, reason: 'database answers; every stream is within its maxLag' });
    app.store.db.close();
  });

  it('still judges the polled sources by their polls: a current stream does not hide a stale feed', () => {
    const app = freshApp();
    const both = { ...app, config: { ...app.config, sources: [feedSource('wire'), streamSource('firehose')] }, streams: () => [streamStatus({ sourceId: 'firehose' })] };
    app.store.saveSourceState({ id: 'wire', kind: 'rss', url: null, etag: null, lastModified: null, cursor: null, lastSuccess: later(10).toISOString(), lastError: null, lastErrorAt: null, failures: 0, nextPoll: null, gone: false, unreliableGuids: null, degraded: null });
    // The stream's stored last event is recent; it says nothing of the feed.
    app.store.saveSourceState({ id: 'firehose', kind: 'bluesky-stream', url: null, etag: null, lastModified: null, cursor: '1', lastSuccess: later(299).toISOString(), lastError: null, lastErrorAt: null, failures: 0, nextPoll: null, gone: false, unreliableGuids: null, degraded: null });
    expect(health(both, start, later(300), 60_000)).toEqual({ healthy: false, reason: 'no poll for 290 s' });
    expect(health(both, start, later(50), 60_000)).toEqual({ healthy: true, reason: 'database answers; polls are recent; every stream is within its maxLag' });
    app.store.db.close();
  });

  it('answers /healthz with 503 and the reason while a stream lags', async () => {
    const app = freshApp();
    let lag = 412;
    const web = await serve({ ...app, config: { ...app.config, sources: [streamSource('firehose')] }, streams: () => [streamStatus({ sourceId: 'firehose', lagSeconds: lag })] });
    try {
      const behind = await web.get('/healthz');
      expect(behind.status).toBe(503);
      expect(await behind.json()).toEqual({ status: 'unhealthy', reason: 'stream firehose is 412 s behind (maxLag 300 s)' });
      lag = 2;
      expect((await web.get('/healthz')).status).toBe(200);
    } finally {
      await web.close();
      app.store.db.close();
    }
  });
});

describe('/metrics for live streams', () => {
  it('reads each stream’s figures at scrape time: events, lag, reconnects, the prefilter’s posts and hits, connected and paused', async () => {
    const app = freshApp();
    let firehose = streamStatus({ sourceId: 'firehose', lagSeconds: 2.5, events: 1234, reconnects: 3, prefiltered: 1000, prefilterHits: 12 });
    const labs = streamStatus({ sourceId: 'labs', phase: 'waiting', lagSeconds: 40, events: 7, paused: false, retryAt: '2026-11-27T00:01:00.000Z', lastError: 'connection refused' });
    const web = await serve({ ...app, config: { ...app.config, sources: [streamSource('firehose'), streamSource('labs', 'authors')] }, streams: () => [firehose, labs] });
    try {
      const first = await (await web.get('/metrics')).text();
      for (const line of [
        'pactwatch_stream_events_total{source="firehose"} 1234',
        'pactwatch_stream_events_total{source="labs"} 7',
        'pactwatch_stream_lag_seconds{source="firehose"} 2.5',
        'pactwatch_stream_lag_seconds{source="labs"} 40',
        'pactwatch_stream_reconnects_total{source="firehose"} 3',
        'pactwatch_stream_prefilter_posts_total{source="firehose"} 1000',
        'pactwatch_stream_prefilter_hits_total{source="firehose"} 12',
        'pactwatch_stream_connected{source="firehose"} 1',
        'pactwatch_stream_connected{source="labs"} 0',
        'pactwatch_stream_paused{source="firehose"} 0',
        '# TYPE pactwatch_stream_events_total counter',
        '# TYPE pactwatch_stream_lag_seconds gauge',
      ]) {
        expect(first.split('\n'), line).toContain(line);
      }
      expect(first).toMatch(/# HELP pactwatch_stream_prefilter_hits_total .*hit-rate/);
      firehose = { ...firehose, events: 1300, paused: true, phase: 'catching-up' };
      const second = (await (await web.get('/metrics')).text()).split('\n');
      expect(second).toContain('pactwatch_stream_events_total{source="firehose"} 1300');
      expect(second).toContain('pactwatch_stream_paused{source="firehose"} 1');
      expect(second).toContain('pactwatch_stream_connected{source="firehose"} 1');
    } finally {
      await web.close();
      app.store.db.close();
    }
  });
});

describe('the sources page while a stream runs', () => {
  it('shows a new phase at once and new counts within a minute, though the store has not changed', async () => {
    const app = freshApp();
    let at = new Date('2026-11-27T14:00:10Z');
    let status = streamStatus({ sourceId: 'firehose', events: 10 });
    const web = await serve({ ...app, config: { ...app.config, sources: [streamSource('firehose')] }, streams: () => [status] }, () => at);
    try {
      expect(await (await web.get('/sources')).text()).toContain('10 events since start');
      status = { ...status, events: 20 };
      at = new Date('2026-11-27T14:01:10Z');
      expect(await (await web.get('/sources')).text()).toContain('20 events since start');
      status = { ...status, phase: 'waiting', retryAt: '2026-11-27T14:02:00.000Z', lastError: 'connection refused' };
      expect(await (await web.get('/sources')).text()).toContain('reconnecting at');
    } finally {
      await web.close();
      app.store.db.close();
    }
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

/** A web server over `app` on 127.0.0.1, with a fixed clock; closed by `close`. */
async function serve(app: Served, now = () => new Date('2026-11-27T00:00:00Z')) {
  const server = createWebServer(app, createMetrics('test'), { startedAt: now(), staleAfterMs: 60_000, now });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    get: (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}

describe('the status pages over HTTP', () => {
  it('serve the front page, a page per party, the sources page and the board image; anything else is 404', async () => {
    const app = freshApp();
    const web = await serve(app);
    try {
      for (const path of ['/', '/p/caisi/meta', '/p/caisi/google-deepmind', '/sources']) {
        const res = await web.get(path);
        expect(res.status, path).toBe(200);
        expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
        expect(await res.text()).toMatch(/^<!doctype html>/);
      }
      const meta = await (await web.get('/p/caisi/meta')).text();
      expect(meta).toContain('<h1>Meta</h1>');
      expect(meta).toContain(`<meta property="og:image" content="${web.base}/board/caisi.png">`);
      const board = await web.get('/board/caisi.png');
      expect(board.status).toBe(200);
      expect(board.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await board.arrayBuffer()).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      for (const path of ['/p/caisi/nobody', '/p/nothing/meta', '/p/caisi', '/p/caisi/meta/x', '/board/nothing.png', '/sources/x']) {
        expect((await web.get(path)).status, path).toBe(404);
      }
    } finally {
      await web.close();
      app.store.db.close();
    }
  });

  it('answers a client that holds the current page with 304, and a new ETag once the data changes, here or from another process', async () => {
    const app = freshApp();
    const web = await serve(app);
    try {
      for (const path of ['/', '/p/caisi/meta', '/sources', '/board/caisi.png']) {
        const first = await web.get(path);
        const etag = first.headers.get('etag')!;
        expect(etag, path).toMatch(/^"[\w-]+"$/);
        expect(first.headers.get('cache-control')).toBe('no-cache');
        const again = await web.get(path, { 'if-none-match': etag });
        expect(again.status, path).toBe(304);
        expect(await again.text()).toBe('');
        expect((await web.get(path, { 'if-none-match': `"other", W/${etag}` })).status).toBe(304);
        expect((await web.get(path, { 'if-none-match': '"other"' })).status).toBe(200);
      }
      const before = (await web.get('/p/caisi/meta')).headers.get('etag')!;
      setStatus(app, { tracker: 'caisi', party: 'meta', status: 'signed', evidence: 'https://about.fb.com/news/caisi', actor: 'test', at: new Date('2026-11-26T00:00:00Z') });
      const after = await web.get('/p/caisi/meta', { 'if-none-match': before });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(before);
      // `pactwatch status set` beside the daemon writes through a connection of its own.
      const seen = after.headers.get('etag')!;
      const other = new Database(app.settings.dbPath);
      other.prepare("UPDATE party_status SET status = 'declined' WHERE tracker = 'caisi' AND party = 'meta'").run();
      other.close();
      const changed = await web.get('/p/caisi/meta', { 'if-none-match': seen });
      expect(changed.status).toBe(200);
      expect(await changed.text()).toContain('<span class="badge declined">Declined</span>');
    } finally {
      await web.close();
      app.store.db.close();
    }
  });

  it('renders a page once while the data stays the same', async () => {
    const app = freshApp();
    let reads = 0;
    const store = new Proxy(app.store, {
      get(target, name, receiver) {
        if (name === 'transitions') reads++;
        const value = Reflect.get(target, name, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const web = await serve({ ...app, store } as typeof app);
    try {
      const bodies = [await (await web.get('/')).text(), await (await web.get('/')).text()];
      expect(bodies[1]).toBe(bodies[0]);
      expect(reads).toBe(1);
    } finally {
      await web.close();
      app.store.db.close();
    }
  });

  it('keeps the JSON and the feed as they were: no ETag, no caching, the contract shape', async () => {
    const app = freshApp();
    const web = await serve(app);
    try {
      const json = await web.get('/api/status.json');
      expect(json.headers.get('cache-control')).toBe('no-store');
      expect(json.headers.get('etag')).toBeNull();
      const body = (await json.json()) as { trackers: { parties: Record<string, unknown>[] }[]; sources: unknown[] };
      expect(Object.keys(body)).toEqual(['trackers', 'sources']);
      expect(Object.keys(body.trackers[0]!.parties[0]!)).toEqual(['id', 'name', 'status', 'since', 'reported', 'evidence']);
      expect(body.trackers[0]!.parties[0]!.evidence).toEqual([
        { url: 'https://www.nist.gov/news-events/news/2024/08/us-ai-safety-institute-signs-agreements-regarding-ai-safety-research', publisher: 'config', quote: 'agreement with the U.S. AI Safety Institute, now CAISI', published: '2024-08-29', status: 'signed' },
      ]);
      expect((await web.get('/feed.atom')).headers.get('cache-control')).toBe('no-store');
    } finally {
      await web.close();
      app.store.db.close();
    }
  });
});
