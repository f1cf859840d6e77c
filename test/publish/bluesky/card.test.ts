import type { LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchCard } from '../../../src/publish/bluesky/card.js';
import { internalKind } from '../../../src/http/address-guard.js';
import { Fetcher } from '../../../src/http/fetch.js';
import { startFixtureServer, staticBody, type FixtureServer } from '../../helpers/fixture-server.js';

let server: FixtureServer;
// The fixture server is on 127.0.0.1: these cards are allowed to reach it.
const fetcher = new Fetcher({ hostSpacingMs: 0, allowPrivateNetwork: true });
const head = '<head><title>Amazon joins CAISI testing</title><meta property="og:description" content="AWS signed."></head>';
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

beforeAll(async () => {
  server = await startFixtureServer();
  server.set('/plain', staticBody(`<!doctype html><html>${head}<body><p>text</p></body></html>`, 'text/html'));
  // As the source parsers do, a card refuses pages nested too deep to parse in time, and binary.
  server.set('/deep', staticBody(`<!doctype html><html>${head}<body>${'<div>'.repeat(100_000)}x</body></html>`, 'text/html'));
  server.set('/png', staticBody(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'text/html'));
  server.set('/thumb.png', staticBody(png, 'image/png'));
});
afterAll(async () => {
  await fetcher.close();
  await server.close();
});

describe('link cards', () => {
  it("read a page's title and description, and give up on a page too deep to parse or on binary", async () => {
    expect(await fetchCard(fetcher, server.url('/plain'))).toMatchObject({ title: 'Amazon joins CAISI testing', description: 'AWS signed.' });
    expect(await fetchCard(fetcher, server.url('/deep'))).toBeUndefined();
    expect(await fetchCard(fetcher, server.url('/png'))).toBeUndefined();
  });

  it('never fetch a page or an image on an internal address unless allowed: a page there has no card, an image there no thumbnail', async () => {
    const port = new URL(server.url('/')).port;
    // news.test stands in for a public site: it resolves to the fixture server, whose 127.0.0.1 counts as public here.
    const lookup: LookupFunction = (_h, o, cb) => (o.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4));
    const plain = new Fetcher({ hostSpacingMs: 0 });
    const guarded = new Fetcher({ hostSpacingMs: 0 }, { lookup, internalKind: (a) => (a === '127.0.0.1' ? undefined : internalKind(a)) });
    server.set('/with-internal-image', staticBody(`<!doctype html><html><head><meta property="og:title" content="Amazon joins CAISI testing"><meta property="og:image" content="http://127.0.0.2:${port}/thumb.png"></head></html>`, 'text/html'));
    server.set('/with-image', staticBody(`<!doctype html><html><head><meta property="og:title" content="Amazon joins CAISI testing"><meta property="og:image" content="/thumb.png"></head></html>`, 'text/html'));
    const before = server.log.length;
    try {
      expect(await fetchCard(plain, server.url('/plain'))).toBeUndefined();
      const card = await fetchCard(guarded, `http://news.test:${port}/with-internal-image`);
      expect(card).toEqual({ uri: `http://news.test:${port}/with-internal-image`, title: 'Amazon joins CAISI testing', description: '' });
      // The same page with its image on the public side has its thumbnail.
      expect((await fetchCard(guarded, `http://news.test:${port}/with-image`))?.image?.bytes).toEqual(png);
      expect(server.log.slice(before).map((l) => l.path)).toEqual(['/with-internal-image', '/with-image', '/thumb.png']);
    } finally {
      await Promise.all([plain.close(), guarded.close()]);
    }
  });
});
