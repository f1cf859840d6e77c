// A fixture XRPC server on 127.0.0.1 answering as Bluesky does for createSession, searchPosts
// (which, like the public service, refuses unauthenticated callers) and getAuthorFeed, with
// responses shaped like the lexicon. The local PDS has no AppView, so it cannot answer search.
// It also keeps posts written with createRecord (refusing a second write at one record key, as
// the PDS does) and reads them back with getRecord: thousands of posts, faster than a PDS.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerAppView, json as send, type FixturePost } from '../../world/appview.js';

export type { FixturePost };

/** One createRecord call: the record key asked for, when (by the server's clock), and whether it was written. */
export interface RecordWrite {
  rkey: string;
  at: number;
  written: boolean;
}

export interface XrpcServer {
  url: string;
  posts: FixturePost[];
  calls: string[];
  /** When set, searchPosts and getAuthorFeed answer 429 with these headers. */
  rateLimited: Record<string, string> | undefined;
  /** Posts written with createRecord, by record key. */
  records: Map<string, { text: string }>;
  writes: RecordWrite[];
  close(): Promise<void>;
}

const DID = 'did:plc:pactwatchbot';
/** A well-formed CID; the server does not hash what it stores. */
const CID = 'bafyreibqw5tl4retkfw6wuoor5fe6lkxcpcrom24tjyfqx7ecskvysjdou';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
}

export async function startXrpcServer(password = 'abcd-efgh-ijkl-mnop', options: { now?: () => number } = {}): Promise<XrpcServer> {
  const now = options.now ?? Date.now;
  const posts: FixturePost[] = [];
  const calls: string[] = [];
  const records = new Map<string, { text: string }>();
  const writes: RecordWrite[] = [];
  const access = `${b64({ alg: 'HS256', typ: 'at+jwt' })}.${b64({ scope: 'com.atproto.access', sub: 'did:plc:pactwatchbot', exp: Math.floor(Date.now() / 1000) + 7200 })}.c2ln`;
  const state = { rateLimited: undefined as Record<string, string> | undefined };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    calls.push(url.pathname);
    const json = (status: number, payload: unknown) => send(res, status, payload);
    if (state.rateLimited && url.pathname.startsWith('/xrpc/app.bsky.feed.')) {
      return void res.writeHead(429, { 'content-type': 'application/json', ...state.rateLimited }).end(JSON.stringify({ error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }));
    }
    switch (url.pathname) {
      case '/xrpc/com.atproto.server.createSession': {
        const b = await body(req);
        if (b.password !== password) return json(401, { error: 'AuthenticationRequired', message: 'Invalid identifier or password' });
        return json(200, { did: DID, handle: String(b.identifier), accessJwt: access, refreshJwt: access, active: true });
      }
      case '/xrpc/app.bsky.feed.searchPosts':
        // Like the public service, search refuses unauthenticated callers.
        if (req.headers.authorization !== `Bearer ${access}`) return json(403, { error: 'Forbidden', message: 'search requires authentication' });
        return void answerAppView(url, posts, res);
      case '/xrpc/app.bsky.feed.getAuthorFeed':
        return void answerAppView(url, posts, res);
      case '/xrpc/com.atproto.repo.createRecord': {
        if (req.headers.authorization !== `Bearer ${access}`) return json(401, { error: 'AuthenticationRequired', message: 'no session' });
        const b = (await body(req)) as { rkey: string; record: { text: string } };
        const written = !records.has(b.rkey);
        writes.push({ rkey: b.rkey, at: now(), written });
        // As the PDS answers a second write at one key: a generic 500.
        if (!written) return json(500, { error: 'InternalServerError', message: 'Internal Server Error' });
        records.set(b.rkey, { text: b.record.text });
        return json(200, { uri: `at://${DID}/app.bsky.feed.post/${b.rkey}`, cid: CID });
      }
      case '/xrpc/com.atproto.repo.getRecord': {
        const rkey = url.searchParams.get('rkey') ?? '';
        const record = records.get(rkey);
        if (!record) return json(400, { error: 'RecordNotFound', message: `Could not locate record: ${rkey}` });
        return json(200, { uri: `at://${DID}/app.bsky.feed.post/${rkey}`, cid: CID, value: { $type: 'app.bsky.feed.post', ...record } });
      }
      default:
        return json(404, { error: 'MethodNotImplemented', message: `${url.pathname} is not served here` });
    }
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    calls,
    get rateLimited() {
      return state.rateLimited;
    },
    set rateLimited(headers) {
      state.rateLimited = headers;
    },
    records,
    writes,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
