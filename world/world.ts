// A local news world on 127.0.0.1 for the whole daemon: the feed sites (feeds.ts) following the
// story (story.ts) on a simulated clock, an entryway that answers Bluesky searches and author
// feeds as an AppView would and passes everything else to a real local PDS (@atproto/dev-env),
// and a config folder whose sources point at all of it, each polled every second.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TestNetworkNoAppView } from '@atproto/dev-env';
import { loadConfig } from '../src/config/load.js';
import { answerAppView, json, type FixturePost } from './appview.js';
import { forward, readBody } from './forward.js';
import { DECOYS, FEED_WINDOW, SELECTORS, startFeedServer, type FeedServer } from './feeds.js';
import { prng } from './prng.js';
import { timeline, type Entry, type FeedId } from './story.js';
import { isStream, startStreamWorld, type StreamOptions, type StreamWorld } from './stream-world.js';

export const ROOT = resolve(import.meta.dirname, '..', import.meta.dirname.includes('/dist/') ? '..' : '.');
export const BOT_HANDLE = 'pactwatch.test';

export interface WorldOptions {
  /** Noise headlines per simulated hour. */
  noisePerHour: number;
  /** The last simulated minute with noise. */
  untilMinute: number;
  /** Include the CAISI story (false: noise only, for the latency and soak runs). */
  story?: boolean;
  /** The simulated minute the clock starts (paused) at. */
  startMinute?: number;
  seed?: number;
  /**
   * Add the decoy sources (feeds.ts): one that asks for an absurd wait, and one on an internal
   * address without permission. Then only the story's sources may reach 127.0.0.1
   * (`allowPrivateNetwork` on each), not every fetch: link cards, which point at this world's
   * pages, are refused, and posts carry the status board instead.
   */
  decoys?: boolean;
  /** Add a Bluesky stream (stream-world.ts); `only`: it and its accounts are the only sources. */
  stream?: (StreamOptions & { only?: boolean }) | undefined;
}

/** The simulated clock: paused, or running at `speed` simulated minutes per real second. */
export class Clock {
  private base: number;
  private since = 0;
  private speed = 0;
  constructor(startMinute: number) {
    this.base = startMinute;
  }
  minute(): number {
    return this.speed ? this.base + ((performance.now() - this.since) / 1000) * this.speed : this.base;
  }
  run(minutesPerSecond: number): void {
    this.base = this.minute();
    this.since = performance.now();
    this.speed = minutesPerSecond;
  }
  pause(): void {
    this.base = this.minute();
    this.speed = 0;
  }
  jump(toMinute: number): void {
    this.base = Math.max(toMinute, this.minute());
    this.since = performance.now();
  }
}

export interface World {
  clock: Clock;
  feeds: FeedServer;
  /** The entryway: AppView reads answered here, the rest proxied to the PDS. */
  bskyService: string;
  pds: TestNetworkNoAppView;
  botPassword: string;
  configDir: string;
  /** How many of the config's sources must poll successfully: all but the decoys and the streams (checked by loading it as the daemon will). */
  sourceCount: number;
  /** The Bluesky stream, when the world has one. */
  stream: StreamWorld | undefined;
  /** The item date of an entry (simulated time). */
  date(e: Entry): Date;
  /** Adds an entry that appears now, with its own page on the feed server; returns it. */
  publish(feed: FeedId, entry: Omit<Entry, 'at' | 'feed' | 'link'>): Entry;
  /** The environment for `pactwatch run` against this world. */
  env(dbPath: string, port?: number): Record<string, string>;
  /** The bot account's posts on the PDS. */
  posts(): Promise<{ uri: string; text: string }[]>;
  close(): Promise<void>;
}

const SIM_EPOCH = Date.parse('2026-12-01T00:00:00Z');

/** Entries of one feed that have appeared by `minute`, newest first. */
class FeedLog {
  private readonly byFeed = new Map<FeedId, Entry[]>();
  constructor(entries: Entry[]) {
    for (const e of entries) this.add(e);
  }
  add(e: Entry): void {
    const list = this.byFeed.get(e.feed) ?? [];
    // Kept in time order; a new entry is the newest.
    let i = list.length;
    while (i > 0 && list[i - 1]!.at > e.at) i--;
    list.splice(i, 0, e);
    this.byFeed.set(e.feed, list);
  }
  visible(feed: FeedId, minute: number, limit = FEED_WINDOW): Entry[] {
    const list = this.byFeed.get(feed) ?? [];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.at <= minute) lo = mid + 1;
      else hi = mid;
    }
    return list.slice(Math.max(0, lo - limit), lo).reverse();
  }
}

/** The decoy sources' ids. */
export const DECOY_SOURCES = { absurdWait: 'decoy-absurd-wait', internal: 'decoy-internal' } as const;

const EVERY_SECOND = "'* * * * * *'";

function sourcesYaml(feeds: string, decoys: boolean, stream: StreamWorld | undefined): string {
  const every = EVERY_SECOND;
  // Every site of this world is on 127.0.0.1: the story's sources may reach it.
  const local = 'allowPrivateNetwork: true';
  const port = new URL(feeds).port;
  return `# The local world's sources (world/world.ts): each polled every second.
sources:
  - { id: wire, kind: rss, url: '${feeds}/feeds/wire', trust: press, publisher: wirenews.example, schedule: ${every}, ${local} }
  - { id: herald, kind: rss, url: '${feeds}/feeds/herald', trust: press, publisher: herald.example, schedule: ${every}, ${local} }
  - { id: ledger, kind: rss, url: '${feeds}/feeds/ledger', trust: press, publisher: dailyledger.example, schedule: ${every}, ${local} }
  - { id: techmeme, kind: techmeme, url: '${feeds}/feeds/techmeme', trust: press, schedule: ${every}, ${local} }
  - { id: nist, kind: rss, url: '${feeds}/feeds/nist', trust: official, speaksFor: all, publisher: nist.example, schedule: ${every}, ${local} }
  - id: meta-newsroom
    kind: html
    url: '${feeds}/feeds/meta-newsroom'
    trust: official
    speaksFor: [meta]
    publisher: about.meta.example
    schedule: ${every}
    selectors: ${JSON.stringify(SELECTORS)}
    ${local}
  - { id: bsky-caisi, kind: bluesky-search, query: CAISI, trust: social, schedule: ${every} }
  - { id: bsky-meta, kind: bluesky-author, actor: meta.example, trust: official, speaksFor: [meta], schedule: ${every} }
  - { id: bsky-nvidia, kind: bluesky-author, actor: nvidia.example, trust: official, speaksFor: [nvidia], schedule: ${every} }
${stream?.yaml(every) ?? ''}${
  decoys
    ? `  - { id: ${DECOY_SOURCES.absurdWait}, kind: rss, url: '${feeds}${DECOYS.absurdWait}', trust: press, schedule: ${every}, ${local} }
  - { id: ${DECOY_SOURCES.internal}, kind: rss, url: 'http://localhost:${port}${DECOYS.internal}', trust: press, schedule: ${every} }
`
    : ''
}`;
}

// Every limit that exists for real sites' sake is lifted: one host serves every feed here.
const SETTINGS = `publish: { mode: auto, spacingSeconds: 0, maxPostsPerRun: 10 }
fetch: { deadlineSeconds: 2, connectTimeoutSeconds: 1, hostSpacingSeconds: 0 }
`;

export async function startWorld(options: WorldOptions): Promise<World> {
  const seed = options.seed ?? 1;
  const log = new FeedLog(timeline({ untilMinute: options.untilMinute, noisePerHour: options.noisePerHour, story: options.story, seed }));
  const clock = new Clock(options.startMinute ?? 0);
  const date = (e: Entry) => new Date(SIM_EPOCH + Math.round(e.at * 60_000));
  const pages = new Map<string, Entry>();
  const feeds = await startFeedServer((feed) => log.visible(feed, clock.minute()), date, prng(seed + 1), pages);

  const pds = await TestNetworkNoAppView.create({});
  const agent = pds.pds.getClient();
  await agent.createAccount({ handle: BOT_HANDLE, email: 'bot@example.test', password: 'account-password-not-used' });
  const botPassword = (await agent.com.atproto.server.createAppPassword({ name: 'pactwatch' })).data.password;
  const did = agent.session!.did;

  const blueskyPosts = (): FixturePost[] => log.visible('bsky', clock.minute()).map((e) => ({ handle: e.handle!, rkey: e.id, text: e.text, createdAt: date(e).toISOString() }));
  const entryway = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      if (answerAppView(url, blueskyPosts(), res)) return;
      const answer = await forward(pds.pds.url, req, await readBody(req));
      res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.payload);
    } catch (err) {
      json(res, 502, { error: 'UpstreamFailure', message: (err as Error).message });
    }
  });
  await new Promise<void>((ready) => entryway.listen(0, '127.0.0.1', ready));
  const bskyService = `http://127.0.0.1:${(entryway.address() as AddressInfo).port}`;

  const configDir = mkdtempSync(join(tmpdir(), 'pactwatch-world-'));
  cpSync(join(ROOT, 'config'), configDir, { recursive: true });
  const decoys = options.decoys ?? false;
  const stream = options.stream ? await startStreamWorld(options.stream) : undefined;
  const sources = stream && options.stream?.only ? `# The local world's stream and its accounts (world/stream-world.ts).\nsources:\n${stream.yaml(EVERY_SECOND)}` : sourcesYaml(feeds.url, decoys, stream);
  writeFileSync(join(configDir, 'sources.yaml'), sources);
  writeFileSync(join(configDir, 'pactwatch.yaml'), SETTINGS);
  const decoyIds: string[] = Object.values(DECOY_SOURCES);
  const sourceCount = loadConfig(configDir).sources.filter((s) => !decoyIds.includes(s.id) && !isStream(s)).length;

  return {
    clock,
    feeds,
    bskyService,
    pds,
    botPassword,
    configDir,
    sourceCount,
    stream,
    date,
    publish(feed, entry) {
      const e = { ...entry, feed, at: clock.minute(), link: `${feeds.url}/articles/${entry.id}` };
      pages.set(e.id, e);
      log.add(e);
      return e;
    },
    env: (dbPath, port = 0) => ({
      PACTWATCH_CONFIG: configDir,
      PACTWATCH_DB: dbPath,
      PACTWATCH_PORT: String(port),
      PACTWATCH_HOST: '127.0.0.1',
      PACTWATCH_PUBLISH_MODE: 'auto',
      // Every site of this world is on 127.0.0.1; with decoys, only the story's sources may reach it.
      ...(decoys ? {} : { PACTWATCH_ALLOW_PRIVATE_NETWORK: '1' }),
      BSKY_SERVICE: bskyService,
      BSKY_IDENTIFIER: BOT_HANDLE,
      BSKY_APP_PASSWORD: botPassword,
    }),
    async posts() {
      const out: { uri: string; text: string }[] = [];
      let cursor: string | undefined;
      do {
        const page = await agent.com.atproto.repo.listRecords({ repo: did, collection: 'app.bsky.feed.post', limit: 100, cursor });
        for (const r of page.data.records) out.push({ uri: r.uri, text: String((r.value as { text?: unknown }).text ?? '') });
        cursor = page.data.records.length === 100 ? page.data.cursor : undefined;
      } while (cursor);
      return out;
    },
    async close() {
      entryway.closeAllConnections();
      await new Promise((r) => entryway.close(r));
      await feeds.close();
      await stream?.close();
      await pds.close();
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}
