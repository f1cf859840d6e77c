import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchCard } from '../../src/publish/card.js';
import { Fetcher } from '../../src/sources/fetch.js';
import { startFixtureServer, staticBody, type FixtureServer } from '../helpers/fixture-server.js';

let server: FixtureServer;
const fetcher = new Fetcher({ hostSpacingMs: 0 });
const head = '<head><title>Amazon joins CAISI testing</title><meta property="og:description" content="AWS signed."></head>';

beforeAll(async () => {
  server = await startFixtureServer();
  server.set('/plain', staticBody(`<!doctype html><html>${head}<body><p>text</p></body></html>`, 'text/html'));
  // As the source parsers do, a card refuses pages nested too deep to parse in time, and binary.
  server.set('/deep', staticBody(`<!doctype html><html>${head}<body>${'<div>'.repeat(100_000)}x</body></html>`, 'text/html'));
  server.set('/png', staticBody(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'text/html'));
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
});
