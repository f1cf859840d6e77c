// The two AppView reads pactwatch makes, answered from a list of posts with responses shaped like
// the lexicon: app.bsky.feed.searchPosts and app.bsky.feed.getAuthorFeed. Used by the fixture
// XRPC server in the tests and by the local world's entryway (a local PDS has no AppView).
import type { ServerResponse } from 'node:http';

export interface FixturePost {
  handle: string;
  rkey: string;
  text: string;
  createdAt: string;
  /** Accounts (handles) that reposted it: their author feeds show it, marked as a repost. */
  repostedBy?: string[] | undefined;
  /** The record's language tags, as the writer gave them: ['en'] unless set; null for a record without them. */
  langs?: unknown;
}

/** A stable fake DID for a handle. */
export const didOf = (handle: string) => `did:plc:${handle.replace(/[^a-z0-9]/g, '').slice(0, 24).padEnd(24, 'x')}`;

function view(p: FixturePost) {
  return {
    uri: `at://${didOf(p.handle)}/app.bsky.feed.post/${p.rkey}`,
    cid: 'bafyreiaskvjxhncv2ev3c7ldf7p4gfefwpv5mmhbn4yue5ssxxhyndqfta',
    author: { did: didOf(p.handle), handle: p.handle, displayName: p.handle },
    record: { $type: 'app.bsky.feed.post', text: p.text, createdAt: p.createdAt, ...(p.langs === null ? {} : { langs: p.langs ?? ['en'] }) },
    replyCount: 0,
    repostCount: 0,
    likeCount: 0,
    quoteCount: 0,
    indexedAt: p.createdAt,
    labels: [],
  };
}

export function json(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
}

/** Answers a search or author-feed read from `posts`; false for any other path. */
export function answerAppView(url: URL, posts: readonly FixturePost[], res: ServerResponse): boolean {
  const page = (list: FixturePost[]) => {
    const sorted = [...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const from = Number(url.searchParams.get('cursor') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const slice = sorted.slice(from, from + limit);
    return { slice, cursor: from + limit < sorted.length ? String(from + limit) : undefined };
  };
  if (url.pathname === '/xrpc/app.bsky.feed.searchPosts') {
    const q = (url.searchParams.get('q') ?? '').toLowerCase();
    const { slice, cursor } = page(posts.filter((p) => p.text.toLowerCase().includes(q)));
    json(res, 200, { posts: slice.map(view), cursor, hitsTotal: slice.length });
    return true;
  }
  if (url.pathname === '/xrpc/app.bsky.feed.getAuthorFeed') {
    const actor = url.searchParams.get('actor') ?? '';
    const by = (handle: string) => handle === actor || didOf(handle) === actor;
    const { slice, cursor } = page(posts.filter((p) => by(p.handle) || p.repostedBy?.some(by)));
    // An author feed holds the account's reposts too, as the AppView's does (even with posts_no_replies).
    const reason = (p: FixturePost) => {
      const reposter = by(p.handle) ? undefined : p.repostedBy?.find(by);
      return reposter ? { reason: { $type: 'app.bsky.feed.defs#reasonRepost', by: { did: didOf(reposter), handle: reposter }, indexedAt: p.createdAt } } : {};
    };
    json(res, 200, { feed: slice.map((p) => ({ post: view(p), ...reason(p) })), cursor });
    return true;
  }
  return false;
}
