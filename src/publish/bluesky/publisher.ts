// The Bluesky publisher: posts each alert once, under the record key it was given when queued.
// After an uncertain write (a timeout, a 5xx) it reads the record back: there and identical →
// delivered; absent → retry later; there but different → held for a person. A rate limit is
// waited out for as long as Bluesky asks, a day at most; a failed login is retried after a
// jittered back-off, within the daily login budget.
import { RichText } from '@atproto/api';
import type { AlertRow, Board, Retraction } from '../../model/alert.js';
import type { Store } from '../../store/store.js';
import type { Publisher, PublishResult } from '../dry-run.js';
import type { Fetcher } from '../../http/fetch.js';
import { POINTS, WriteBudget } from './budget.js';
import { boardEmbed, cardEmbed, linksOf, type Embed } from './embeds.js';
import { LoginBudget } from './logins.js';
import { BlueskySession, REQUEST_TIMEOUT_MS, type BlueskyCredentials } from './session.js';

function uncertain(err: unknown): boolean {
  const status = (err as { status?: number }).status;
  // No status: the request never got an answer (timeout, reset). 5xx: the server may have written.
  return status === undefined || status === 1 || status >= 500;
}

function message(err: unknown): string {
  const e = err as { status?: number; error?: string; message?: string };
  return `${e.status ? `${e.status} ` : ''}${e.error ? `${e.error}: ` : ''}${e.message ?? String(err)}`;
}

export interface BlueskyOptions {
  fetch?: typeof globalThis.fetch;
  now?: () => Date;
  timeoutMs?: number;
  botLabel?: boolean;
  /** Fetches the linked page for a card; without it posts carry no card. */
  pages?: Fetcher;
  /** The status board for an alert's tracker: the image a post carries when no card can be made. */
  board?: (alert: AlertRow) => Board | undefined;
  /** Reply to the party's previous alert. */
  thread?: boolean;
  /** Jitters the waits before a retry. */
  random?: () => number;
  /** The daemon's stop signal. */
  stop?: AbortSignal | undefined;
}

export class BlueskyPublisher implements Publisher {
  readonly name = 'bluesky';
  private readonly now: () => Date;
  private readonly budget: WriteBudget;
  private readonly logins: LoginBudget;
  private readonly session: BlueskySession;

  constructor(
    credentials: BlueskyCredentials,
    private readonly store: Store,
    private readonly options: BlueskyOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    const random = options.random ?? Math.random;
    this.budget = new WriteBudget(store, this.now, random);
    this.logins = new LoginBudget(store, this.now, random);
    this.session = new BlueskySession(credentials, store, this.logins, {
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: options.timeoutMs ?? REQUEST_TIMEOUT_MS,
      stop: options.stop,
    });
  }

  private get agent() {
    return this.session.agent;
  }

  /** Reply references to the party's previous post (and its thread's root), when threading. */
  private async replyTo(repo: string, alert: AlertRow): Promise<Record<string, unknown> | undefined> {
    const previous = this.options.thread ? this.store.previousSent(alert) : undefined;
    if (!previous?.uri) return undefined;
    const rkey = previous.uri.split('/').pop()!;
    const parent = await this.agent.com.atproto.repo.getRecord({ repo, collection: 'app.bsky.feed.post', rkey });
    const parentRef = { uri: parent.data.uri, cid: parent.data.cid! };
    const root = (parent.data.value as { reply?: { root?: { uri: string; cid: string } } }).reply?.root ?? parentRef;
    return { root, parent: parentRef };
  }

  async publish(alert: AlertRow): Promise<PublishResult> {
    if (!alert.rkey) return { state: 'failed', error: 'the alert has no record key' };
    const until = this.budget.rateLimitedUntil();
    if (until !== undefined) return { state: 'retry', error: `rate-limited by Bluesky until ${new Date(until).toISOString()}`, retryAt: new Date(until) };
    try {
      await this.session.start();
    } catch (err) {
      return { state: 'retry', error: `Bluesky login: ${message(err)}`, ...this.logins.loginRetry(err, alert.attempts) };
    }
    const repo = this.session.did;
    const wait = this.budget.budgetWait(POINTS.create);
    if (wait) return { state: 'retry', error: `rate budget nearly spent; pausing until ${wait.toISOString()}`, retryAt: wait };
    try {
      await this.session.labelAsBot(this.budget, this.options.botLabel ?? false);
    } catch (err) {
      return { state: 'retry', error: `could not set the bot label: ${message(err)}` };
    }
    const rt = new RichText({ text: alert.text });
    rt.detectFacetsWithoutResolution();
    let embed: Embed | undefined;
    try {
      embed = (await cardEmbed(this.agent, this.options.pages, linksOf(rt))) ?? (await boardEmbed(this.agent, this.options.board?.(alert)));
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
      this.budget.spend(POINTS.create);
      const res = await this.agent.com.atproto.repo.createRecord({ repo, collection: 'app.bsky.feed.post', rkey: alert.rkey, record });
      return { state: 'sent', uri: res.data.uri };
    } catch (err) {
      const e = err as { status?: number; headers?: Record<string, string> };
      if (e.status === 429) {
        // Nothing was written: wait as asked (a day at most), or an hour or two when no wait is named.
        const { waitMs, why } = this.budget.limited(e.headers);
        return { state: 'retry', error: `rate-limited by Bluesky (429)${why}`, retryAt: new Date(this.now().getTime() + waitMs) };
      }
      if (!uncertain(err)) return { state: 'failed', error: `Bluesky refused the post: ${message(err)}` };
      return this.readBack(repo, alert, `uncertain write (${message(err)})`);
    }
  }

  /** Deletes a sent post, or answers it with a correction. */
  async retract(alert: AlertRow, how: Retraction): Promise<void> {
    await this.session.start();
    const repo = this.session.did;
    if (how === 'delete') {
      this.budget.spend(POINTS.delete);
      await this.agent.com.atproto.repo.deleteRecord({ repo, collection: 'app.bsky.feed.post', rkey: alert.rkey! });
      return;
    }
    const original = await this.agent.com.atproto.repo.getRecord({ repo, collection: 'app.bsky.feed.post', rkey: alert.rkey! });
    const ref = { uri: original.data.uri, cid: original.data.cid! };
    this.budget.spend(POINTS.create);
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
