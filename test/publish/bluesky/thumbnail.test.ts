import { TestNetworkNoAppView } from '@atproto/dev-env';
import { AtpAgent } from '@atproto/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBoard } from '../../../src/alert/board.js';
import { setStatus } from '../../../src/pipeline/manual.js';
import { BlueskyPublisher } from '../../../src/publish/bluesky/publisher.js';
import { MAX_IMAGE_BYTES } from '../../../src/publish/bluesky/image.js';
import { drainOutbox } from '../../../src/publish/outbox.js';
import { Fetcher } from '../../../src/http/fetch.js';
import { startFixtureServer, staticBody, type FixtureServer } from '../../helpers/fixture-server.js';
import { decodes, noisePng, pngSize } from '../../helpers/images.js';
import { freshApp } from '../../helpers/ledger.js';

// A real PDS and a page server on 127.0.0.1; the og:image is made here, too big for a blob.
let net: TestNetworkNoAppView;
let reader: AtpAgent;
let appPassword: string;
let server: FixtureServer;
const pages = new Fetcher({ hostSpacingMs: 0, allowPrivateNetwork: true });
const handle = 'thumbs.test';
const BIG = { width: 2000, height: 1050 };
let bigPng: Buffer;

const page = (image: string) =>
  `<!doctype html><html><head><meta property="og:title" content="Amazon joins CAISI testing"><meta property="og:description" content="AWS signed."><meta property="og:image" content="${image}"></head><body><p>text</p></body></html>`;

beforeAll(async () => {
  net = await TestNetworkNoAppView.create({});
  reader = net.pds.getClient();
  await reader.createAccount({ handle, email: 'thumbs@example.test', password: 'account-password-not-used' });
  appPassword = (await reader.com.atproto.server.createAppPassword({ name: 'pactwatch' })).data.password;
  server = await startFixtureServer();
  bigPng = noisePng(BIG.width, BIG.height);
  server.set('/big.png', staticBody(bigPng, 'image/png'));
  server.set('/big-page', staticBody(page('/big.png'), 'text/html; charset=utf-8'));
  // Over the cap, labelled a PNG, but not one.
  server.set('/broken.png', staticBody(Buffer.concat([bigPng.subarray(0, 33), Buffer.alloc(1_200_000, 7)]), 'image/png'));
  server.set('/broken-page', staticBody(page('/broken.png'), 'text/html; charset=utf-8'));
}, 60_000);
afterAll(async () => {
  await pages.close();
  await server?.close();
  await net?.close();
});

/** Queues an alert that links `evidence`, posts it, and returns the record and its blob's bytes. */
async function post(evidence: string, options: ConstructorParameters<typeof BlueskyPublisher>[2] = {}) {
  const app = freshApp({ publishMode: 'auto' });
  setStatus(app, { tracker: 'caisi', party: 'amazon', status: 'signed', evidence, actor: 'test', at: new Date('2026-11-27T00:00:00Z') });
  const [sent] = await drainOutbox(app.store, new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: appPassword }, app.store, options));
  expect(sent).toMatchObject({ state: 'sent' });
  const [, , repo, , rkey] = sent!.uri!.split('/');
  const record = (await reader.com.atproto.repo.getRecord({ repo: repo!, collection: 'app.bsky.feed.post', rkey: rkey! })).data.value as {
    embed?: {
      external?: { title: string; thumb?: { ref: { toString(): string }; mimeType: string; size: number } };
      images?: { image: { ref: { toString(): string }; mimeType: string; size: number }; aspectRatio: { width: number; height: number } }[];
    };
  };
  const blob = async (ref: { toString(): string }) => Buffer.from((await reader.com.atproto.sync.getBlob({ did: repo!, cid: ref.toString() })).data);
  return { record, blob };
}

describe('a link card whose og:image is over the blob cap', () => {
  it('keeps its image, scaled down under the cap with its aspect ratio, as a valid PNG', async () => {
    expect(bigPng.length).toBeGreaterThan(MAX_IMAGE_BYTES);
    const { record, blob } = await post(server.url('/big-page'), { pages });
    const thumb = record.embed?.external?.thumb;
    expect(record.embed?.external?.title).toBe('Amazon joins CAISI testing');
    expect(thumb).toMatchObject({ mimeType: 'image/png' });
    expect(thumb!.size).toBeLessThanOrEqual(MAX_IMAGE_BYTES);
    const bytes = await blob(thumb!.ref);
    expect(bytes.length).toBe(thumb!.size);
    const [width, height] = pngSize(bytes)!;
    expect(Math.max(width, height)).toBeLessThanOrEqual(1_000);
    expect(Math.abs(width / height - BIG.width / BIG.height)).toBeLessThan(0.01);
    expect(decodes(bytes)).toBe(true);
  });

  it('goes without an image when the image cannot be decoded, and the post still goes out', async () => {
    const { record } = await post(server.url('/broken-page'), { pages });
    expect(record.embed?.external).toMatchObject({ title: 'Amazon joins CAISI testing' });
    expect(record.embed?.external?.thumb).toBeUndefined();
  });
});

describe('the status board image', () => {
  it('of a tracker with many parties is scaled under the blob cap, keeping its aspect ratio', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({ name: `Party ${i} with a long display name`, status: i % 3 ? ('signed' as const) : ('holdout' as const) }));
    const board = renderBoard('CAISI pre-release testing agreement', rows, '2026-11-27');
    expect(board.png.length).toBeGreaterThan(MAX_IMAGE_BYTES);
    const { record, blob } = await post('https://www.aboutamazon.com/news/caisi', { board: () => board });
    const [image] = record.embed?.images ?? [];
    expect(image!.image.size).toBeLessThanOrEqual(MAX_IMAGE_BYTES);
    const bytes = await blob(image!.image.ref);
    const [width, height] = pngSize(bytes)!;
    expect(image!.aspectRatio).toEqual({ width, height });
    expect(Math.abs(width / height - board.width / board.height)).toBeLessThan(0.01);
    expect(decodes(bytes)).toBe(true);
  });
});
