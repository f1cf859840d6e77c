import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, realDeps, type App } from '../src/app.js';
import { loadConfig } from '../src/config/load.js';
import { appSettings, runtimeOf } from '../src/config/settings.js';
import { setStatus } from '../src/pipeline/manual.js';
import { drainOutbox } from '../src/publish/outbox.js';
import { startFixtureServer, staticBody, type FixtureServer } from './helpers/fixture-server.js';
import { startLocalBluesky, type LocalBluesky } from './helpers/local-bluesky.js';
import { offlineConfig } from './helpers/repo.js';

// The publisher as openApp builds it from the settings: its link cards fetched through the app's
// own fetcher, its board drawn from the ledger's statuses. Posts go to a real local PDS.
let bluesky: LocalBluesky;
let pages: FixtureServer;
let appPassword: string;
const handle = 'factory.test';

beforeAll(async () => {
  bluesky = await startLocalBluesky();
  ({ appPassword } = await bluesky.account(handle));
  pages = await startFixtureServer();
  pages.set(
    '/amazon-joins',
    staticBody(
      '<!doctype html><html><head><title>Newsroom</title><meta property="og:title" content="Amazon joins CAISI testing"><meta property="og:description" content="AWS signed the pre-release testing agreement."></head><body><p>text</p></body></html>',
      'text/html; charset=utf-8',
    ),
  );
}, 60_000);
afterAll(async () => {
  await pages?.close();
  await bluesky?.close();
});

/** An app that posts to the local PDS; its fetcher may reach 127.0.0.1 when `allowPrivateNetwork`. */
function appPosting(allowPrivateNetwork: boolean): App {
  const configDir = offlineConfig();
  const config = loadConfig(configDir);
  const env = { bskyService: bluesky.service, bskyIdentifier: handle, bskyAppPassword: appPassword, publishMode: 'auto', allowPrivateNetwork: allowPrivateNetwork ? '1' : '0' };
  const settings = appSettings(config, runtimeOf({ db: join(mkdtempSync(join(tmpdir(), 'pw-app-')), 'pactwatch.db') }, env));
  return openApp({ config, settings, writer: true }, realDeps({ now: () => new Date('2026-11-28T09:00:00Z') }));
}

async function embedOf(uri: string): Promise<Record<string, unknown> | undefined> {
  const [, , repo, , rkey] = uri.split('/');
  const got = await bluesky.net.pds.getClient().com.atproto.repo.getRecord({ repo: repo!, collection: 'app.bsky.feed.post', rkey: rkey! });
  return (got.data.value as { embed?: Record<string, unknown> }).embed;
}

describe("openApp's publisher", () => {
  it("gives a post a link card for the page its alert cites, fetched through the app's fetcher", async () => {
    const app = appPosting(true);
    try {
      const { alert } = setStatus(app, { tracker: 'caisi', party: 'amazon', status: 'signed', evidence: pages.url('/amazon-joins'), actor: 'test', at: new Date('2026-11-27T00:00:00Z') });
      const publisher = await app.publisher();
      expect(publisher.name).toBe('bluesky');
      const [sent] = await drainOutbox(app.store, publisher);
      expect(sent).toMatchObject({ id: alert, state: 'sent' });
      expect(await embedOf(sent!.uri!)).toEqual({
        $type: 'app.bsky.embed.external',
        external: { uri: pages.url('/amazon-joins'), title: 'Amazon joins CAISI testing', description: 'AWS signed the pre-release testing agreement.' },
      });
    } finally {
      await app.close();
    }
  });

  it("gives a post whose page cannot be had the tracker's board, drawn from the ledger's statuses on the day of posting", async () => {
    // The fetcher is guarded as the feeds are: without leave, 127.0.0.1 is not fetched, so no card.
    const app = appPosting(false);
    const fetched = pages.log.length;
    try {
      setStatus(app, { tracker: 'caisi', party: 'meta', status: 'signed', evidence: pages.url('/amazon-joins'), actor: 'test', at: new Date('2026-11-27T00:00:00Z') });
      const [sent] = await drainOutbox(app.store, await app.publisher());
      expect(sent).toMatchObject({ state: 'sent' });
      expect(pages.log.length).toBe(fetched);
      const embed = (await embedOf(sent!.uri!)) as { $type: string; images: { alt: string; image: { mimeType: string } }[] };
      expect(embed.$type).toBe('app.bsky.embed.images');
      expect(embed.images[0]!.image.mimeType).toBe('image/png');
      // The initial statuses, and Meta's change that this post announces.
      expect(embed.images[0]!.alt).toMatch(/^CAISI pre-release testing agreement, as of 2026-11-28: OpenAI signed; Anthropic signed; Google DeepMind signed; Microsoft signed; xAI signed; Meta signed; /);
    } finally {
      await app.close();
    }
  });
});
