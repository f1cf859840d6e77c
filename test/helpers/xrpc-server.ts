// A fixture XRPC server on 127.0.0.1 answering as Bluesky does for createSession, searchPosts
// (which, like the public service, refuses unauthenticated callers) and getAuthorFeed, with
// responses shaped like the lexicon. The local PDS has no AppView, so it cannot answer search.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixturePost {
  handle: string;
  rkey: string;
  text: string;
  createdAt: string;
}

export interface XrpcServer {
  url: string;
  posts: FixturePost[];
  calls: string[];
  close(): Promise<void>;
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const did = (handle: string) => `did:plc:${handle.replace(/[^a-z0-9]/g, '').slice(0, 24).padEnd(24, 'x')}`;

function view(p: FixturePost) {
  return {
    uri: `at://${did(p.handle)}/app.bsky.feed.post/${p.rkey}`,
    cid: 'bafyreiaskvjxhncv2ev3c7ldf7p4gfefwpv5mmhbn4yue5ssxxhyndqfta',
    author: { did: did(p.handle), handle: p.handle, displayName: p.handle },
    record: { $type: 'app.bsky.feed.post', text: p.text, createdAt: p.createdAt, langs: ['en'] },
    replyCount: 0,
    repostCount: 0,
    likeCount: 0,
    quoteCount: 0,
    indexedAt: p.createdAt,
    labels: [],
  };
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
}

export async function startXrpcServer(password = 'abcd-efgh-ijkl-mnop'): Promise<XrpcServer> {
  const posts: FixturePost[] = [];
  const calls: string[] = [];
  const access = `${b64({ alg: 'HS256', typ: 'at+jwt' })}.${b64({ scope: 'com.atproto.access', sub: 'did:plc:pactwatchbot', exp: Math.floor(Date.now() / 1000) + 7200 })}.c2ln`;
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    calls.push(url.pathname);
    const json = (status: number, payload: unknown) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    const page = (list: FixturePost[]) => {
      const sorted = [...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      const from = Number(url.searchParams.get('cursor') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const slice = sorted.slice(from, from + limit);
      return { slice, cursor: from + limit < sorted.length ? String(from + limit) : undefined };
    };
    switch (url.pathname) {
      case '/xrpc/com.atproto.server.createSession': {
        const b = await body(req);
        if (b.password !== password) return json(401, { error: 'AuthenticationRequired', message: 'Invalid identifier or password' });
        return json(200, { did: 'did:plc:pactwatchbot', handle: String(b.identifier), accessJwt: access, refreshJwt: access, active: true });
      }
      case '/xrpc/app.bsky.feed.searchPosts': {
        if (req.headers.authorization !== `Bearer ${access}`) return json(403, { error: 'Forbidden', message: 'search requires authentication' });
        const q = (url.searchParams.get('q') ?? '').toLowerCase();
        const { slice, cursor } = page(posts.filter((p) => p.text.toLowerCase().includes(q)));
        return json(200, { posts: slice.map(view), cursor, hitsTotal: slice.length });
      }
      case '/xrpc/app.bsky.feed.getAuthorFeed': {
        const actor = url.searchParams.get('actor') ?? '';
        const { slice, cursor } = page(posts.filter((p) => p.handle === actor || did(p.handle) === actor));
        return json(200, { feed: slice.map((p) => ({ post: view(p) })), cursor });
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
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
