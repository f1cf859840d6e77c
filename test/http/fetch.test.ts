import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { LookupFunction, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { internalKind } from '../../src/http/address-guard.js';
import { Fetcher } from '../../src/http/fetch.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

let server: FixtureServer;
let port: string;
const fetchers: Fetcher[] = [];
beforeAll(async () => {
  server = await startFixtureServer();
  port = new URL(server.url('/')).port;
});
afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
  server.log.length = 0;
});
afterAll(() => server.close());

/**
 * Tests cannot reach a public address, so this one pretends: the fixture server's 127.0.0.1
 * counts as public, and every other address is judged as in production (127.0.0.2 is loopback).
 */
const standIn = (address: string) => (address === '127.0.0.1' ? undefined : internalKind(address));

/** A resolver the test controls: each name answers from its list of addresses, one per call, the last repeating. */
function resolver(answers: Record<string, string[]>) {
  const asked: string[] = [];
  const lookup: LookupFunction = (hostname, options, callback) => {
    asked.push(hostname);
    const list = answers[hostname];
    if (!list) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
    const address = list.length > 1 ? list.shift()! : list[0]!;
    const family = address.includes(':') ? 6 : 4;
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
  return { lookup, asked };
}

/** Every TCP connection attempt this process makes while `run` runs, as "address:port". */
async function attempts(run: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const onSocket = (message: unknown) => {
    (message as { socket: Socket }).socket.on('connectionAttempt', (address: string, p: number) => seen.push(`${address}:${p}`));
  };
  subscribe('net.client.socket', onSocket);
  try {
    await run();
  } finally {
    unsubscribe('net.client.socket', onSocket);
  }
  return seen;
}

function fetcher(...args: ConstructorParameters<typeof Fetcher>): Fetcher {
  const f = new Fetcher({ hostSpacingMs: 0, ...args[0] }, args[1]);
  fetchers.push(f);
  return f;
}

const message = (got: Awaited<ReturnType<Fetcher['get']>>) => (got.kind === 'error' ? got.message : `no error: ${got.kind}`);

describe('internal addresses', () => {
  it('a loopback address in any notation is refused before any request reaches it', async () => {
    const f = fetcher();
    const cases: [string, string][] = [
      [`http://127.0.0.1:${port}/feeds/rss2-caisi.xml`, '127.0.0.1'],
      [`http://0x7f.0.0.1:${port}/feeds/rss2-caisi.xml`, '127.0.0.1'],
      [`http://2130706433:${port}/feeds/rss2-caisi.xml`, '127.0.0.1'],
      [`http://0177.0.0.1:${port}/feeds/rss2-caisi.xml`, '127.0.0.1'],
      [`http://127.1:${port}/feeds/rss2-caisi.xml`, '127.0.0.1'],
      [`http://[::ffff:127.0.0.1]:${port}/feeds/rss2-caisi.xml`, '::ffff:7f00:1'],
      [`http://[::1]:${port}/feeds/rss2-caisi.xml`, '::1'],
    ];
    const tried = await attempts(async () => {
      for (const [url, address] of cases) {
        const got = await f.get(url);
        expect(got.kind, url).toBe('error');
        expect(message(got), url).toBe(
          `refused to connect to ${address} (loopback address) for ${url}; allow it with allowPrivateNetwork: true on the source or PACTWATCH_ALLOW_PRIVATE_NETWORK=1`,
        );
      }
    });
    expect(tried).toEqual([]);
    expect(server.log).toEqual([]);
  });

  it('0.0.0.0, which reaches this machine, is refused as unspecified', async () => {
    const got = await fetcher().get(`http://0.0.0.0:${port}/feeds/rss2-caisi.xml`);
    expect(message(got)).toMatch(/^refused to connect to 0\.0\.0\.0 \(unspecified address\)/);
    expect(server.log).toEqual([]);
  });

  it('a name is checked on what it resolves to: localhost is loopback', async () => {
    const got = await fetcher().get(`http://localhost:${port}/feeds/rss2-caisi.xml`);
    expect(message(got)).toMatch(/^refused to connect to (127\.0\.0\.1|::1) \(loopback address; localhost resolves to it\) for http:\/\/localhost:/);
    expect(server.log).toEqual([]);
  });

  it('is allowed by the Fetcher setting, or per request, and a request allowed once leaves no open door behind', async () => {
    const url = server.url('/feeds/rss2-caisi.xml');
    expect((await fetcher({ allowPrivateNetwork: true }).get(url)).kind).toBe('ok');
    const f = fetcher();
    expect((await f.get(url, {}, { allowPrivateNetwork: true })).kind).toBe('ok');
    // The allowed request's connection stays open in its own pool; this one must not use it.
    expect(message(await f.get(url))).toMatch(/^refused to connect to 127\.0\.0\.1 \(loopback address\)/);
    expect(server.log.map((l) => l.path)).toEqual(['/feeds/rss2-caisi.xml', '/feeds/rss2-caisi.xml']);
  });

  it('a redirect to a private or link-local address is refused before connecting there', async () => {
    const { lookup, asked } = resolver({ 'news.test': ['127.0.0.1'], 'intranet.test': ['10.0.0.5'] });
    const f = fetcher({}, { lookup, internalKind: standIn });
    server.set('/to-metadata', (_q, r) => void r.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end());
    server.set('/to-private', (_q, r) => void r.writeHead(301, { location: 'http://10.0.0.5/feed' }).end());
    server.set('/to-intranet', (_q, r) => void r.writeHead(302, { location: 'http://intranet.test/feed' }).end());
    server.set('/to-mapped', (_q, r) => void r.writeHead(302, { location: `http://[::ffff:a9fe:a9fe]/` }).end());
    server.set('/to-loopback', (_q, r) => void r.writeHead(307, { location: `http://127.0.0.2:${port}/feeds/rss2-caisi.xml` }).end());
    const start = (path: string) => `http://news.test:${port}${path}`;
    const tried = await attempts(async () => {
      expect(message(await f.get(start('/to-metadata')))).toBe(
        `refused to connect to 169.254.169.254 (link-local address) for http://169.254.169.254/latest/meta-data/ (redirected from ${start('/to-metadata')}); allow it with allowPrivateNetwork: true on the source or PACTWATCH_ALLOW_PRIVATE_NETWORK=1`,
      );
      expect(message(await f.get(start('/to-private')))).toMatch(/^refused to connect to 10\.0\.0\.5 \(private address\) for http:\/\/10\.0\.0\.5\/feed \(redirected from /);
      expect(message(await f.get(start('/to-intranet')))).toMatch(/^refused to connect to 10\.0\.0\.5 \(private address; intranet\.test resolves to it\) for http:\/\/intranet\.test\/feed /);
      expect(message(await f.get(start('/to-mapped')))).toMatch(/^refused to connect to ::ffff:a9fe:a9fe \(link-local address\)/);
      expect(message(await f.get(start('/to-loopback')))).toMatch(/^refused to connect to 127\.0\.0\.2 \(loopback address\)/);
    });
    // Every first hop reached the server; no connection was tried anywhere else.
    expect(server.log.map((l) => l.path)).toEqual(['/to-metadata', '/to-private', '/to-intranet', '/to-mapped', '/to-loopback']);
    expect(tried.length).toBeGreaterThan(0);
    expect(tried.filter((t) => t !== `127.0.0.1:${port}`)).toEqual([]);
    expect(asked.filter((name) => name !== 'news.test')).toEqual(['intranet.test']);
  });

  it('a name that resolves to an allowed address and then to an internal one is refused at the second connection (DNS rebinding)', async () => {
    const { lookup, asked } = resolver({ 'rebind.test': ['127.0.0.1', '127.0.0.2'] });
    const f = fetcher({}, { lookup, internalKind: standIn });
    // Closing each connection makes every request connect, and so resolve, again.
    server.set('/close', (_q, r) => void r.writeHead(200, { 'content-type': 'text/plain', connection: 'close' }).end('first'));
    const url = `http://rebind.test:${port}/close`;
    const tried = await attempts(async () => {
      expect((await f.get(url)).kind).toBe('ok');
      expect(message(await f.get(url))).toMatch(/^refused to connect to 127\.0\.0\.2 \(loopback address; rebind\.test resolves to it\) for http:\/\/rebind\.test:\d+\/close;/);
    });
    expect(asked).toEqual(['rebind.test', 'rebind.test']);
    expect(tried).toEqual([`127.0.0.1:${port}`]);
    expect(server.log.map((l) => l.path)).toEqual(['/close']);
  });

  it('a name with one internal address among its answers is refused', async () => {
    const lookup: LookupFunction = (_h, options, callback) =>
      options.all
        ? callback(null, [
            { address: '127.0.0.1', family: 4 },
            { address: 'fd00::1', family: 6 },
          ])
        : callback(null, '127.0.0.1', 4);
    const got = await fetcher({}, { lookup, internalKind: standIn }).get(`http://mixed.test:${port}/feeds/rss2-caisi.xml`);
    expect(message(got)).toMatch(/^refused to connect to fd00::1 \(unique-local address; mixed\.test resolves to it\)/);
    expect(server.log).toEqual([]);
  });
});
