// The Bluesky publisher: posts each alert once, under the record key it was given when queued.
// After an uncertain write (a timeout, a 5xx) it reads the record back: there and identical →
// delivered; absent → retry later; there but different → held for a person. It logs in once,
// keeps the session in the database, resumes it on start, and counts its logins. A rate limit is
// waited out for as long as Bluesky asks, a day at most; a failed login is retried after a
// jittered back-off, within the daily login budget.
import { AtpAgent, RichText } from '@atproto/api';
import { ConfigError } from '../errors.js';
import type { AlertRow, Board, Retraction } from '../model/alert.js';
import type { Store } from '../store/store.js';
import type { Publisher, PublishResult } from './dry-run.js';
import type { Fetcher } from '../sources/fetch.js';
import { fetchWithSignals } from '../stop-signal.js';
import { fetchCard } from './card.js';
import { BlueskyLimits, POINTS } from './bluesky-limits.js';
import { MAX_IMAGE_BYTES, shrinkImage } from './image.js';

/** Bluesky app passwords look like xxxx-xxxx-xxxx-xxxx; an account password must never be used. */
export const APP_PASSWORD_SHAPE = /^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/;

export interface BlueskyCredentials {
  service: string;
  identifier: string;
  password: string;
}

export function checkCredentials(c: BlueskyCredentials): void {
  if (!APP_PASSWORD_SHAPE.test(c.password)) {
    throw new ConfigError([
      { file: 'BSKY_APP_PASSWORD', message: 'is not an app password (xxxx-xxxx-xxxx-xxxx); create one under Settings → Privacy and security → App passwords' },
    ]);
  }
}

/** The request never reached a server: refused, unresolvable or unreachable (somewhere in its causes). */
function neverConnected(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: string }).code;
    if (code && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'].includes(code)) return true;
  }
  return false;
}

function uncertain(err: unknown): boolean {
  const status = (err as { status?: number }).status;
  // No status: the request never got an answer (timeout, reset). 5xx: the server may have written.
  return status === undefined || status === 1 || status >= 500;
}

function message(err: unknown): string {
  const e = err as { status?: number; error?: string; message?: string };
  return `${e.status ? `${e.status} ` : ''}${e.error ? `${e.error}: ` : ''}${e.message ?? String(err)}`;
}

/** A request to Bluesky that takes longer than this has hung: the write is then uncertain. */
export const REQUEST_TIMEOUT_MS = 15_000;

export class BlueskyPublisher implements Publisher {
  readonly name = 'bluesky';
  private readonly agent: AtpAgent;
  private ready: Promise<void> | undefined;

  constructor(
    private readonly credentials: BlueskyCredentials,
    private readonly store: Store,
    options: {
      fetch?: typeof globalThis.fetch;
      now?: () => Date;
      timeoutMs?: number;
      botLabel?: boolean;
      pages?: Fetcher;
      /** The status board for an alert's tracker: the image a post carries when no card can be made. */
      board?: (alert: AlertRow) => Board | undefined;
      /** Reply to the party's previous alert. */
      thread?: boolean;
      /** Jitters the waits before a retry. */
      random?: () => number;
      /** The daemon's stop signal. */
      stop?: AbortSignal | undefined;
    } = {},
  ) {
    this.board = options.board;
    this.thread = options.thread ?? false;
    this.botLabel = options.botLabel ?? false;
    this.pages = options.pages;
    checkCredentials(credentials);
    this.now = options.now ?? (() => new Date());
    this.limits = new BlueskyLimits(store, this.now, options.random ?? Math.random);
    const base = options.fetch ?? globalThis.fetch;
    const timeout = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
    this.agent = new AtpAgent({
      service: credentials.service,
      // Every request has a deadline: a PDS that hangs must not hang the publisher.
      // The stop signal ends a request in flight when the daemon stops: the write is then
      // uncertain, and the next start reads it back like any other.
      fetch: fetchWithSignals(base, () => [AbortSignal.timeout(timeout)], options.stop),
      // Tokens live only in the database; never in a log line.
      persistSession: (_event, session) => this.store.session.set(session),
    });
  }

  private readonly now: () => Date;
  private readonly limits: BlueskyLimits;
  private readonly botLabel: boolean;
  /** Fetches the linked page for a card; without it posts carry no card. */
  private readonly pages: Fetcher | undefined;
  private readonly board: ((alert: AlertRow) => Board | undefined) | undefined;
  private readonly thread: boolean;

  /** Reply references to the party's previous post (and its thread's root), when threading. */
  private async replyTo(repo: string, alert: AlertRow): Promise<Record<string, unknown> | undefined> {
    const previous = this.thread ? this.store.previousSent(alert) : undefined;
    if (!previous?.uri) return undefined;
    const rkey = previous.uri.split('/').pop()!;
    const parent = await this.agent.com.atproto.repo.getRecord({ repo, collection: 'app.bsky.feed.post', rkey });
    const parentRef = { uri: parent.data.uri, cid: parent.data.cid! };
    const root = (parent.data.value as { reply?: { root?: { uri: string; cid: string } } }).reply?.root ?? parentRef;
    return { root, parent: parentRef };
  }

  /** The status board as an image embed, with its alt text. */
  private async boardEmbed(alert: AlertRow): Promise<Record<string, unknown> | undefined> {
    const board = this.board?.(alert);
    if (!board) return undefined;
    // A tracker with a hundred-odd parties draws a board over the cap, and the PDS would refuse the whole post.
    const image = board.png.length <= MAX_IMAGE_BYTES ? { bytes: board.png, width: board.width, height: board.height } : await shrinkImage(board.png, MAX_IMAGE_BYTES);
    if (!image) return undefined;
    const blob = await this.agent.uploadBlob(image.bytes, { encoding: 'image/png' });
    return {
      $type: 'app.bsky.embed.images',
      images: [{ image: blob.data.blob, alt: board.alt, aspectRatio: { width: image.width, height: image.height } }],
    };
  }

  /** A link card for the post's last link: og: tags and thumbnail when the page can be had. */
  private async card(links: string[]): Promise<Record<string, unknown> | undefined> {
    const uri = links.at(-1);
    if (!uri || !this.pages) return undefined;
    const page = await fetchCard(this.pages, uri);
    if (!page) return undefined;
    const external: Record<string, unknown> = { uri: page.uri, title: page.title, description: page.description };
    if (page.image) {
      const blob = await this.agent.uploadBlob(page.image.bytes, { encoding: page.image.mimeType });
      external.thumb = blob.data.blob;
    }
    return { $type: 'app.bsky.embed.external', external };
  }

  /** Declares the account a bot, once: the 'bot' self-label on its profile record. */
  private async labelAsBot(repo: string): Promise<void> {
    if (!this.botLabel || this.store.botLabelled.get() === repo) return;
    let profile: Record<string, unknown> = { $type: 'app.bsky.actor.profile' };
    try {
      profile = (await this.agent.com.atproto.repo.getRecord({ repo, collection: 'app.bsky.actor.profile', rkey: 'self' })).data.value as Record<string, unknown>;
    } catch {
      // No profile yet: create one that says only this.
    }
    const labels = (profile.labels as { values?: { val: string }[] } | undefined)?.values ?? [];
    if (!labels.some((l) => l.val === 'bot')) {
      this.limits.spend(POINTS.update);
      await this.agent.com.atproto.repo.putRecord({
        repo,
        collection: 'app.bsky.actor.profile',
        rkey: 'self',
        record: { ...profile, labels: { $type: 'com.atproto.label.defs#selfLabels', values: [...labels, { val: 'bot' }] } },
      });
    }
    this.store.botLabelled.set(repo);
  }

  /** Resumes the stored session for this account, or logs in (within the daily budget). */
  private session(): Promise<void> {
    this.ready ??= (async () => {
      const session = this.store.session.get();
      if (session) {
        const mine = session.handle === this.credentials.identifier || session.did === this.credentials.identifier || session.email === this.credentials.identifier;
        if (mine) {
          try {
            await this.agent.resumeSession(session);
            return;
          } catch {
            // An expired or revoked session: log in again below.
          }
        }
      }
      const counted = this.limits.countLogin();
      try {
        await this.agent.login({ identifier: this.credentials.identifier, password: this.credentials.password });
      } catch (err) {
        if (neverConnected(err)) this.limits.uncountLogin(counted);
        throw err;
      }
    })();
    return this.ready.catch((err) => {
      this.ready = undefined;
      throw err;
    });
  }

  async publish(alert: AlertRow): Promise<PublishResult> {
    if (!alert.rkey) return { state: 'failed', error: 'the alert has no record key' };
    const until = this.limits.rateLimitedUntil();
    if (until !== undefined) return { state: 'retry', error: `rate-limited by Bluesky until ${new Date(until).toISOString()}`, retryAt: new Date(until) };
    try {
      await this.session();
    } catch (err) {
      return { state: 'retry', error: `Bluesky login: ${message(err)}`, ...this.limits.loginRetry(err, alert.attempts) };
    }
    const repo = this.agent.session!.did;
    const wait = this.limits.budgetWait(POINTS.create);
    if (wait) return { state: 'retry', error: `rate budget nearly spent; pausing until ${wait.toISOString()}`, retryAt: wait };
    try {
      await this.labelAsBot(repo);
    } catch (err) {
      return { state: 'retry', error: `could not set the bot label: ${message(err)}` };
    }
    const rt = new RichText({ text: alert.text });
    rt.detectFacetsWithoutResolution();
    const links = (rt.facets ?? []).flatMap((f) => f.features.map((x) => (x as { uri?: string }).uri)).filter((u): u is string => typeof u === 'string');
    let embed: Record<string, unknown> | undefined;
    try {
      embed = (await this.card(links)) ?? (await this.boardEmbed(alert));
    } catch {
      embed = undefined; // an embed is a nicety: post without it rather than not at all
    }
    let reply: Record<string, unknown> | undefined;
    try {
      reply = await this.replyTo(repo, alert);
    } catch {
      reply = undefined; // the previous post is gone: post on its own
    }
    const record = {
      $type: 'app.bsky.feed.post',
      text: rt.text,
      facets: rt.facets,
      langs: ['en'],
      createdAt: alert.createdAt,
      ...(embed ? { embed } : {}),
      ...(reply ? { reply } : {}),
    };
    try {
      this.limits.spend(POINTS.create);
      const res = await this.agent.com.atproto.repo.createRecord({ repo, collection: 'app.bsky.feed.post', rkey: alert.rkey, record });
      return { state: 'sent', uri: res.data.uri };
    } catch (err) {
      const e = err as { status?: number; headers?: Record<string, string> };
      if (e.status === 429) {
        // Nothing was written: wait as asked (a day at most), or an hour or two when no wait is named.
        const { waitMs, why } = this.limits.limited(e.headers);
        return { state: 'retry', error: `rate-limited by Bluesky (429)${why}`, retryAt: new Date(this.now().getTime() + waitMs) };
      }
      if (!uncertain(err)) return { state: 'failed', error: `Bluesky refused the post: ${message(err)}` };
      return this.readBack(repo, alert, `uncertain write (${message(err)})`);
    }
  }

  /** Deletes a sent post, or answers it with a correction. */
  async retract(alert: AlertRow, how: Retraction): Promise<void> {
    await this.session();
    const repo = this.agent.session!.did;
    if (how === 'delete') {
      this.limits.spend(POINTS.delete);
      await this.agent.com.atproto.repo.deleteRecord({ repo, collection: 'app.bsky.feed.post', rkey: alert.rkey! });
      return;
    }
    const original = await this.agent.com.atproto.repo.getRecord({ repo, collection: 'app.bsky.feed.post', rkey: alert.rkey! });
    const ref = { uri: original.data.uri, cid: original.data.cid! };
    this.limits.spend(POINTS.create);
    await this.agent.com.atproto.repo.createRecord({
      repo,
      collection: 'app.bsky.feed.post',
      record: {
        $type: 'app.bsky.feed.post',
        text: 'Correction: the post above was wrong, and we have withdrawn it. Our status table has the corrected entry.',
        reply: { root: ref, parent: ref },
        langs: ['en'],
        createdAt: this.now().toISOString(),
      },
    });
  }

  /** After an uncertain write: what is at the alert's record key now? */
  private async readBack(repo: string, alert: AlertRow, why: string): Promise<PublishResult> {
    try {
      const got = await this.agent.com.atproto.repo.getRecord({ repo, collection: 'app.bsky.feed.post', rkey: alert.rkey! });
      const text = (got.data.value as { text?: unknown }).text;
      if (text === alert.text) return { state: 'sent', uri: got.data.uri };
      return { state: 'held', error: `${why}; a different post is already at record key ${alert.rkey}` };
    } catch (err) {
      const e = err as { status?: number; error?: string };
      if (e.status === 400 && e.error === 'RecordNotFound') return { state: 'retry', error: `${why}; not posted, will retry` };
      return { state: 'retry', error: `${why}; reading it back failed too (${message(err)})` };
    }
  }
}
