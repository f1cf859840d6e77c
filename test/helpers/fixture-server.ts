// A fixture HTTP server on 127.0.0.1 (port 0) that serves the feeds in fixtures/ and misbehaves
// on request: 304, 429/503 with Retry-After (sane, absurd or missing), 500, 410, slow drips, truncated and oversized
// bodies, a gzip bomb, redirects and loops, wrong charsets, HTML where a feed was expected.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { FIXTURES } from './repo.js';

export { FIXTURES };

export interface FixtureServer {
  url: (path: string) => string;
  /** Requests seen, by path, with whether a body was sent. */
  log: { path: string; status: number; bodyBytes: number; ifNoneMatch?: string | undefined }[];
  /** Replaces what a path serves (for feeds that change between polls). */
  set(path: string, handler: Handler): void;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A static body with ETag and Last-Modified that answers conditional requests with 304. */
export function staticBody(body: Buffer | string, contentType = 'application/rss+xml; charset=utf-8', lastModified = 'Fri, 20 Nov 2026 15:00:00 GMT'): Handler {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const etag = `"${createHash('sha1').update(bytes).digest('hex').slice(0, 16)}"`;
  return (req, res) => {
    // RFC 9110: If-None-Match, when sent, decides alone.
    const inm = req.headers['if-none-match'];
    if (inm !== undefined ? inm === etag : req.headers['if-modified-since'] === lastModified) {
      res.writeHead(304, { etag, 'last-modified': lastModified }).end();
      return;
    }
    res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length, etag, 'last-modified': lastModified }).end(bytes);
  };
}

export function feed(name: string, contentType?: string): Handler {
  return staticBody(readFileSync(join(FIXTURES, 'feeds', name)), contentType);
}

const GZIP_BOMB = gzipSync(Buffer.alloc(64 * 1024 * 1024)); // 64 MiB of zeros in ~64 KiB

const MISBEHAVIOUR: Record<string, Handler> = {
  '/status/500': (_q, r) => void r.writeHead(500).end('oops'),
  '/status/503': (_q, r) => void r.writeHead(503, { 'retry-after': '120' }).end(),
  '/status/429-seconds': (_q, r) => void r.writeHead(429, { 'retry-after': '90' }).end(),
  '/status/429-date': (_q, r) => void r.writeHead(429, { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() }).end(),
  '/status/410': (_q, r) => void r.writeHead(410).end(),
  // Waits no server means: past what a Date can hold, the year 33715, the last day of 9999.
  '/status/429-absurd-seconds': (_q, r) => void r.writeHead(429, { 'retry-after': '9999999999999' }).end(),
  '/status/429-year-33715': (_q, r) => void r.writeHead(429, { 'retry-after': '999999999999' }).end(),
  '/status/429-far-date': (_q, r) => void r.writeHead(429, { 'retry-after': 'Fri, 31 Dec 9999 23:59:59 GMT' }).end(),
  '/status/429-bare': (_q, r) => void r.writeHead(429).end(),
  '/status/503-bare': (_q, r) => void r.writeHead(503).end(),
  '/slow': (_q, r) => {
    r.writeHead(200, { 'content-type': 'application/rss+xml' });
    const timer = setInterval(() => r.write('<'), 100);
    r.on('close', () => clearInterval(timer));
  },
  '/truncated': (_q, r) => {
    r.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': 5000 });
    r.write('<?xml version="1.0"?><rss version="2.0"><channel><title>cut');
    setTimeout(() => r.destroy(), 20);
  },
  '/oversized': (_q, r) => {
    r.writeHead(200, { 'content-type': 'application/rss+xml' });
    r.end(Buffer.alloc(3 * 1024 * 1024, 'a'));
  },
  '/gzip-bomb': (_q, r) => void r.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' }).end(GZIP_BOMB),
  '/loop': (_q, r) => void r.writeHead(302, { location: '/loop' }).end(),
  '/moved': (_q, r) => void r.writeHead(301, { location: '/feeds/rss2-caisi.xml' }).end(),
  '/html-page': (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body><h1>Not a feed</h1></body></html>'),
  '/json': (_q, r) => void r.writeHead(200, { 'content-type': 'application/json' }).end('{"items": []}'),
  '/empty': (_q, r) => void r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(),
  '/wrong-charset': staticBody(readFileSync(join(FIXTURES, 'feeds/windows-1252.xml')), 'application/rss+xml; charset=utf-8'),
  '/pages/newsroom': staticBody(readFileSync(join(FIXTURES, 'pages/newsroom.html')), 'text/html; charset=utf-8'),
};

/** `host` may be another loopback address (127.0.0.2), for a server that tests treat as internal. */
export async function startFixtureServer(host = '127.0.0.1'): Promise<FixtureServer> {
  const routes = new Map<string, Handler>(Object.entries(MISBEHAVIOUR));
  const log: FixtureServer['log'] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    let bodyBytes = 0;
    const write = res.write.bind(res);
    const end = res.end.bind(res);
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (chunk) bodyBytes += Buffer.byteLength(chunk as string);
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk && typeof chunk !== 'function') bodyBytes += Buffer.byteLength(chunk as string);
      return (end as (...a: unknown[]) => ServerResponse)(chunk, ...rest);
    }) as typeof res.end;
    res.on('close', () => log.push({ path, status: res.statusCode, bodyBytes, ifNoneMatch: req.headers['if-none-match'] as string | undefined }));
    const handler = routes.get(path) ?? (path.startsWith('/feeds/') ? feed(path.slice('/feeds/'.length)) : undefined);
    if (!handler) return void res.writeHead(404).end();
    try {
      handler(req, res);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ready) => server.listen(0, host, ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://${host}:${port}${path}`,
    log,
    set: (path, handler) => void routes.set(path, handler),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
