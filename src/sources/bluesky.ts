// Bluesky as a source: searches (app.bsky.feed.searchPosts, which needs a login) and accounts'
// own posts (app.bsky.feed.getAuthorFeed). Remembers the newest post it has read, so each post
// is read once. A refusal (401/403) is an outcome with a clear message, never a crash; a 429
// leaves every Bluesky source alone for as long as it asks (a day at most).
import { AtpAgent } from '@atproto/api';
import type { Source } from '../config/types.js';
import type { BlueskyAccess } from '../config/settings.js';
import { aboutOf, type Item, type Trust } from '../model/item.js';
import type { SourceState } from '../model/ledger.js';
import { fetchWithSignals } from '../http/stop-signal.js';
import { blueskyWait, MAX_BLUESKY_WAIT_MS } from '../http/waits.js';
import { langsField } from '../text/langs.js';

const PAGE = 50;
const MAX_PAGES = 4;

interface PostView {
  uri: string;
  indexedAt: string;
  author: { did: string; handle: string };
  record: Record<string, unknown>;
}

/** A read from Bluesky that takes longer than this has hung (the fetch layer's deadline for feeds is 20 s too). */
export const READ_TIMEOUT_MS = 20_000;

/** A login that failed: the cause's status and headers kept (a 429 is waited out like any other). */
class LoginError extends Error {
  override name = 'LoginError';
  readonly status: number | undefined;
  readonly error: string | undefined;
  readonly headers: Record<string, string> | undefined;
  constructor(
    readonly identifier: string,
    cause: unknown,
  ) {
    const e = cause as { status?: number; error?: string; message?: string; headers?: Record<string, string> };
    super(e.message ?? String(cause), { cause });
    this.status = e.status;
    this.error = e.error;
    this.headers = e.headers;
  }
}

/** One agent per process: it logs in once, the first time a search needs it. */
export class BlueskyReader {
  private readonly agent: AtpAgent;
  private login: Promise<void> | undefined;
  /** Bluesky rate-limited us: no source reads from it before then (epoch ms). */
  heldUntil = 0;

  /**
   * `stop`: the daemon's stop signal, which ends a request in flight. `timeoutMs`: every request
   * has a deadline, so a search that hangs cannot block its source (whose runs never overlap)
   * until the daemon restarts.
   */
  constructor(
    private readonly access: BlueskyAccess,
    options: { stop?: AbortSignal | undefined; timeoutMs?: number; fetch?: typeof globalThis.fetch } = {},
  ) {
    const timeout = options.timeoutMs ?? READ_TIMEOUT_MS;
    this.agent = new AtpAgent({ service: access.service, fetch: fetchWithSignals(options.fetch ?? globalThis.fetch, () => [AbortSignal.timeout(timeout)], options.stop) });
  }

  get hasCredentials(): boolean {
    return this.access.identifier !== undefined && this.access.password !== undefined;
  }

  private async ready(): Promise<void> {
    if (!this.hasCredentials) return;
    this.login ??= this.agent.login({ identifier: this.access.identifier!, password: this.access.password! }).then(() => undefined);
    try {
      await this.login;
    } catch (err) {
      this.login = undefined;
      throw new LoginError(this.access.identifier!, err);
    }
  }

  async search(query: string, cursor?: string): Promise<{ posts: PostView[]; cursor?: string | undefined }> {
    await this.ready();
    const res = await this.agent.app.bsky.feed.searchPosts({ q: query, sort: 'latest', limit: PAGE, cursor });
    return { posts: res.data.posts as PostView[], cursor: res.data.cursor };
  }

  /**
   * The DID a handle names (com.atproto.identity.resolveHandle). Asked without logging in: a PDS
   * or an AppView answers anyone, and a failed login must not stop the stream following accounts.
   */
  async resolveHandle(handle: string): Promise<string> {
    const res = await this.agent.com.atproto.identity.resolveHandle({ handle });
    return res.data.did;
  }

  async authorFeed(actor: string, cursor?: string): Promise<{ posts: PostView[]; cursor?: string | undefined }> {
    await this.ready();
    const res = await this.agent.app.bsky.feed.getAuthorFeed({ actor, limit: PAGE, cursor, filter: 'posts_no_replies' });
    // An author feed holds the account's reposts (posts_no_replies keeps them): another author's
    // words, which must not carry this account's trust. Search and the stream never see reposts.
    const own = res.data.feed.filter((f) => (f.reason as { $type?: string } | undefined)?.$type !== 'app.bsky.feed.defs#reasonRepost');
    return { posts: own.map((f) => f.post as PostView), cursor: res.data.cursor };
  }
}

function describe(err: unknown, kind: string): string {
  const e = err as { status?: number; error?: string; message?: string };
  // The credentials are set: say that they were refused, not that they are missing.
  if (err instanceof LoginError && (e.status === 400 || e.status === 401)) {
    return `Bluesky refused the login as ${err.identifier} (${e.status} ${e.error ?? ''}: ${e.message}): check BSKY_IDENTIFIER and BSKY_APP_PASSWORD (or BSKY_APP_PASSWORD_FILE)`.replace(' :', ':');
  }
  if (err instanceof LoginError) return `Bluesky login as ${err.identifier}: ${e.status ? `${e.status} ` : ''}${e.message}`;
  if (e.status === 401 || e.status === 403) {
    return `Bluesky refused the ${kind === 'bluesky-search' ? 'search' : 'request'} (${e.status} ${e.error ?? ''}): searching needs BSKY_IDENTIFIER and BSKY_APP_PASSWORD`.replace('  ', ' ');
  }
  return `Bluesky: ${e.status ? `${e.status} ` : ''}${e.message ?? String(err)}`;
}

/**
 * Reads new posts for a Bluesky source: newest first, page by page, until it reaches the post it
 * read last (the cursor is that post's indexedAt). Returns the items and the new cursor.
 */
export async function readBluesky(
  reader: BlueskyReader,
  source: Source,
  state: SourceState,
  accounts: Map<string, Source>,
  fetchedAt: Date,
  random: () => number,
): Promise<{ items: Item[]; cursor: string | null } | { error: string; retryAfterMs?: number; held?: boolean }> {
  const now = fetchedAt.getTime();
  // The limit is the service's, per address: every Bluesky source waits it out together.
  if (reader.heldUntil > now) return { error: 'Bluesky rate-limited an earlier request; every Bluesky source waits', retryAfterMs: reader.heldUntil - now, held: true };
  const seen = state.cursor;
  const fresh: PostView[] = [];
  let page: string | undefined;
  try {
    for (let n = 0; n < MAX_PAGES; n++) {
      const got = source.kind === 'bluesky-search' ? await reader.search(source.query!, page) : await reader.authorFeed(source.actor!, page);
      const newer = got.posts.filter((p) => seen === null || p.indexedAt > seen);
      fresh.push(...newer);
      // The first poll reads one page: catch-up, not the account's whole history.
      if (seen === null || newer.length < got.posts.length || !got.cursor) break;
      page = got.cursor;
    }
  } catch (err) {
    const e = err as { status?: number; headers?: Record<string, string> };
    if (e.status !== 429) return { error: describe(err, source.kind) };
    const { waitMs: wait, named, capped } = blueskyWait(e.headers, now, random);
    reader.heldUntil = now + wait;
    const why = !named ? ' (no wait named)' : capped ? ' (a day at most)' : '';
    return { error: `${describe(err, source.kind)}; every Bluesky source waits ${Math.round(wait / 1000)} s${why}`, retryAfterMs: wait };
  }
  // The cursor is the newest indexedAt read, compared as text: one days ahead of us (the client
  // checks that it is a datetime, not that it is believable) would hide every later post.
  const believable = (p: PostView) => Date.parse(p.indexedAt) <= now + MAX_BLUESKY_WAIT_MS;
  const newest = fresh.filter(believable).reduce<string | null>((max, p) => (max === null || p.indexedAt > max ? p.indexedAt : max), seen);
  const items = fresh.filter((p) => typeof p.record.text === 'string').map((p) => toItem(source, p, accounts, fetchedAt));
  return { items, cursor: newest };
}

function toItem(source: Source, p: PostView, accounts: Map<string, Source>, fetchedAt: Date): Item {
  // An account configured as a source speaks with its own trust wherever it is found; anyone
  // else found by a search is social.
  const account = source.kind === 'bluesky-author' ? source : accounts.get(p.author.handle) ?? accounts.get(p.author.did);
  const trust: Trust = account ? account.trust : 'social';
  const rkey = p.uri.split('/').pop();
  const created = typeof p.record.createdAt === 'string' ? new Date(p.record.createdAt) : new Date(p.indexedAt);
  return {
    id: p.uri,
    sourceId: source.id,
    url: `https://bsky.app/profile/${p.author.handle}/post/${rkey}`,
    text: p.record.text as string,
    author: p.author.handle,
    publishedAt: Number.isNaN(created.getTime()) ? new Date(p.indexedAt) : created,
    fetchedAt,
    trust,
    publisher: p.author.handle,
    speaksFor: account?.trust === 'official' ? (account.speaksFor ?? null) : null,
    ...langsField(p.record.langs),
    about: aboutOf(source, account),
  };
}
