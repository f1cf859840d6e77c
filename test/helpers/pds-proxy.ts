// A proxy in front of the local PDS that misbehaves on createRecord, as a real network might:
// the write lands but the answer is a 500; a 500 before anything is written; a hang; a 429 with
// a sane wait, an absurd one (in Retry-After or in Bluesky's RateLimit-Reset), or none.
// It logs every XRPC method called through it, so a test can count what reached the PDS. A client
// killed mid-request (the exactly-once test kills its publishers) ends only that request.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forward, readBody } from '../../world/forward.js';

export type CreateFault = 'pass' | '500-after-write' | '500-no-write' | 'hang' | '429' | '429-absurd' | '429-reset-absurd' | '429-bare';

/** The headers of each 429: Retry-After in seconds, RateLimit-Reset in epoch seconds (as the PDS sends it). */
const LIMITED: Partial<Record<CreateFault, Record<string, string>>> = {
  '429': { 'retry-after': '120' },
  '429-absurd': { 'retry-after': '9999999999999' },
  '429-reset-absurd': { 'ratelimit-reset': '999999999999', 'ratelimit-limit': '5000', 'ratelimit-remaining': '0' },
  '429-bare': {},
};

export interface PdsProxy {
  url: string;
  fault: CreateFault;
  /** How many more createRecord calls get `fault` before the proxy passes them again (default: all). */
  times: number;
  /** XRPC methods called, in order (`com.atproto.server.createSession` …). */
  calls: string[];
  close(): Promise<void>;
}

export async function startPdsProxy(target: string): Promise<PdsProxy> {
  const proxy: PdsProxy = { url: '', fault: 'pass', times: Infinity, calls: [], close: async () => {} };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    proxy.calls.push(new URL(req.url ?? '/', 'http://x').pathname.replace('/xrpc/', ''));
    const body = await readBody(req);
    const isCreate = req.url?.startsWith('/xrpc/com.atproto.repo.createRecord') ?? false;
    const fault = isCreate && proxy.times > 0 ? proxy.fault : 'pass';
    if (isCreate && fault !== 'pass') proxy.times--;
    if (fault === 'hang') return; // never answers
    const limited = LIMITED[fault];
    if (limited) return void res.writeHead(429, { 'content-type': 'application/json', ...limited }).end(JSON.stringify({ error: 'RateLimitExceeded', message: 'slow down' }));
    if (fault === '500-no-write') return void res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'InternalServerError', message: 'boom' }));
    const upstream = await forward(target, req, body);
    if (fault === '500-after-write') return void res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'InternalServerError', message: 'lost after write' }));
    res.writeHead(upstream.status, { 'content-type': upstream.contentType }).end(upstream.payload);
  };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    });
  return proxy;
}
