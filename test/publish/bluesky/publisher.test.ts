import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestNetworkNoAppView } from '@atproto/dev-env';
import { AtpAgent } from '@atproto/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setStatus } from '../../../src/pipeline/manual.js';
import { BlueskyPublisher } from '../../../src/publish/bluesky/publisher.js';
import { drainOutbox } from '../../../src/publish/outbox.js';
import { ConfigError } from '../../../src/errors.js';
import { pactwatch } from '../../helpers/cli.js';
import { freshApp } from '../../helpers/ledger.js';
import { writeMetaRow } from '../../helpers/meta.js';

// A real PDS on 127.0.0.1, started by the test (no AppView: posting needs none).
let net: TestNetworkNoAppView;
let appPassword: string;
let reader: AtpAgent;
const handle = 'alerts.test';

beforeAll(async () => {
  net = await TestNetworkNoAppView.create({});
  reader = net.pds.getClient();
  await reader.createAccount({ handle, email: 'alerts@example.test', password: 'account-password-not-used' });
  appPassword = (await reader.com.atproto.server.createAppPassword({ name: 'pactwatch' })).data.password;
}, 60_000);
afterAll(async () => {
  await net?.close();
});

/** Every request the publisher makes, by XRPC method. */
function countingFetch(calls: string[]): typeof fetch {
  return (input, init) => {
    calls.push(new URL(typeof input === 'string' || input instanceof URL ? input : input.url).pathname.replace('/xrpc/', ''));
    return fetch(input, init);
  };
}

function queueAmazonAlert(app: ReturnType<typeof freshApp>, note = 'announced on the company blog 🎉') {
  const { alert } = setStatus(app, {
    tracker: 'caisi',
    party: 'amazon',
    status: 'signed',
    evidence: 'https://www.aboutamazon.com/news/caisi',
    note,
    actor: 'test',
    at: new Date('2026-11-27T00:00:00Z'),
  });
  return app.store.alert(alert!)!;
}

/** Writes a post at a record key behind the publisher's back; returns the repo. */
async function putPostAt(rkey: string, text: string, createdAt: string): Promise<string> {
  const writer = new AtpAgent({ service: net.pds.url });
  await writer.login({ identifier: handle, password: appPassword });
  await writer.com.atproto.repo.createRecord({ repo: writer.session!.did, collection: 'app.bsky.feed.post', rkey, record: { $type: 'app.bsky.feed.post', text, createdAt } });
  return writer.session!.did;
}

async function recordsOf(did: string) {
  return (await reader.com.atproto.repo.listRecords({ repo: did, collection: 'app.bsky.feed.post', limit: 100 })).data.records;
}

describe('BlueskyPublisher against a local PDS', () => {
  it('refuses a password that is not an app password, before any call', () => {
    const app = freshApp();
    const calls: string[] = [];
    expect(() => new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: 'hunter22' }, app.store, { fetch: countingFetch(calls) })).toThrow(ConfigError);
    expect(calls).toEqual([]);
  });

  it('posts an alert under its record key, with link facets at the right UTF-8 byte offsets', async () => {
    const app = freshApp({ publishMode: 'auto' });
    const alert = queueAmazonAlert(app);
    expect(alert.rkey).toMatch(/^[234567a-z]{13}$/);
    const publisher = new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: appPassword }, app.store);
    const [done] = await drainOutbox(app.store, publisher);
    expect(done).toMatchObject({ state: 'sent', uri: expect.stringMatching(new RegExp(`/app\\.bsky\\.feed\\.post/${alert.rkey}$`)) });
    const did = done!.uri!.split('/')[2]!;
    const got = await reader.com.atproto.repo.getRecord({ repo: did, collection: 'app.bsky.feed.post', rkey: alert.rkey! });
    const record = got.data.value as { text: string; facets: { index: { byteStart: number; byteEnd: number }; features: { uri?: string }[] }[] };
    expect(record.text).toBe(alert.text);
    const link = record.facets.find((f) => f.features[0]?.uri)!;
    const url = 'https://www.aboutamazon.com/news/caisi';
    const start = Buffer.byteLength(record.text.slice(0, record.text.indexOf(url)));
    expect(link.index).toEqual({ byteStart: start, byteEnd: start + Buffer.byteLength(url) });
  });

  it('keeps facet byte offsets right after accented letters and CJK too', async () => {
    const app = freshApp({ publishMode: 'auto' });
    queueAmazonAlert(app, 'annoncé au café, 美团 と 東京 🎌');
    const [done] = await drainOutbox(app.store, new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: appPassword }, app.store));
    const [, , repo, , rkey] = done!.uri!.split('/');
    const record = (await reader.com.atproto.repo.getRecord({ repo: repo!, collection: 'app.bsky.feed.post', rkey: rkey! })).data.value as {
      text: string;
      facets: { index: { byteStart: number; byteEnd: number }; features: { uri?: string }[] }[];
    };
    const bytes = Buffer.from(record.text);
    const link = record.facets.find((f) => f.features[0]?.uri)!;
    expect(bytes.subarray(link.index.byteStart, link.index.byteEnd).toString()).toBe('https://www.aboutamazon.com/news/caisi');
  });

  it('after a write whose answer was lost, reads the record back and does not post twice', async () => {
    const app = freshApp({ publishMode: 'auto' });
    const alert = queueAmazonAlert(app, 'first attempt timed out');
    const publisher = new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: appPassword }, app.store);
    // The first attempt reached the PDS, but its answer never came back: the record is there.
    const repo = await putPostAt(alert.rkey!, alert.text, alert.createdAt);
    const before = (await recordsOf(repo)).length;
    const [done] = await drainOutbox(app.store, publisher);
    expect(done).toMatchObject({ state: 'sent' });
    expect((await recordsOf(repo)).length).toBe(before);
  });

  it('holds an alert for review when a different post is at its record key', async () => {
    const app = freshApp({ publishMode: 'auto' });
    const alert = queueAmazonAlert(app, 'collision');
    await putPostAt(alert.rkey!, 'something else entirely', alert.createdAt);
    const [done] = await drainOutbox(app.store, new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: appPassword }, app.store));
    expect(done).toMatchObject({ state: 'held', lastError: expect.stringMatching(/a different post is already at record key/) });
  });

  it('keeps its session in the database and resumes it instead of logging in again', async () => {
    const app = freshApp({ publishMode: 'auto' });
    const first: string[] = [];
    queueAmazonAlert(app, 'one');
    await drainOutbox(app.store, new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: appPassword }, app.store, { fetch: countingFetch(first) }));
    expect(first.filter((c) => c === 'com.atproto.server.createSession')).toHaveLength(1);
    const second: string[] = [];
    queueAmazonAlert(app, 'two');
    const [done] = await drainOutbox(app.store, new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: appPassword }, app.store, { fetch: countingFetch(second) }));
    expect(done).toMatchObject({ state: 'sent' });
    expect(second).not.toContain('com.atproto.server.createSession');
  });

  it('a wrong app password leaves the alert queued, with the reason', async () => {
    const app = freshApp({ publishMode: 'auto' });
    queueAmazonAlert(app);
    const [done] = await drainOutbox(app.store, new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: 'aaaa-bbbb-cccc-dddd' }, app.store));
    expect(done).toMatchObject({ state: 'queued', attempts: 1, lastError: expect.stringMatching(/^Bluesky login: 401/) });
  });
});

const freshDbPath = () => join(mkdtempSync(join(tmpdir(), 'pw-bsky-')), 'pactwatch.db');

describe('pactwatch once with Bluesky credentials', () => {
  it('publishes queued alerts to the account and records their URIs', async () => {
    const db = freshDbPath();
    const env = { BSKY_SERVICE: net.pds.url, BSKY_IDENTIFIER: handle, BSKY_APP_PASSWORD: appPassword };
    await pactwatch(['status', 'set', 'caisi', 'nvidia', 'signed', '--evidence', 'https://nvidianews.nvidia.com/caisi', '--db', db], { env });
    const run = await pactwatch(['once', '--json', '--db', db], { env });
    expect(run.code).toBe(0);
    const [alert] = JSON.parse(run.stdout).alerts as { state: string; uri: string }[];
    expect(alert).toMatchObject({ state: 'sent', uri: expect.stringMatching(/^at:\/\/did:plc:[a-z0-9]+\/app\.bsky\.feed\.post\/[234567a-z]{13}$/) });
    expect(run.stderr).not.toContain(appPassword);
    const [, , did, , rkey] = alert!.uri.split('/');
    const got = await reader.com.atproto.repo.getRecord({ repo: did!, collection: 'app.bsky.feed.post', rkey: rkey! });
    expect((got.data.value as { text: string }).text).toMatch(/^✅ Nvidia has signed the CAISI pre-release testing agreement/);
  });

  it('refuses an account password in place of an app password, exit 2', async () => {
    const db = freshDbPath();
    const run = await pactwatch(['once', '--json', '--db', db], { env: { BSKY_SERVICE: net.pds.url, BSKY_IDENTIFIER: handle, BSKY_APP_PASSWORD: 'hunter22' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/BSKY_APP_PASSWORD: is not an app password/);
    expect(run.stderr).not.toContain('hunter22');
  });
});

describe('a misbehaving network between the publisher and the PDS', () => {
  it("the daemon's stop ends a hung post at once: the alert stays queued, and the next start posts it once", async () => {
    const { startPdsProxy } = await import('../../helpers/pds-proxy.js');
    const proxy = await startPdsProxy(net.pds.url);
    try {
      const app = freshApp({ publishMode: 'auto' });
      const alert = queueAmazonAlert(app, 'stopped mid-post');
      const stop = new AbortController();
      // A request deadline far beyond the test's time: only the stop can end the hang.
      const stopping = new BlueskyPublisher({ service: proxy.url, identifier: handle, password: appPassword }, app.store, { timeoutMs: 600_000, stop: stop.signal });
      proxy.fault = 'hang';
      const hung = new Promise<void>((r) => setTimeout(r, 500));
      const drained = drainOutbox(app.store, stopping);
      await hung;
      stop.abort();
      const [done] = await drained;
      expect(done).toMatchObject({ id: alert.id, state: 'queued', lastError: expect.stringMatching(/uncertain write/) });

      proxy.fault = 'pass';
      const next = new BlueskyPublisher({ service: proxy.url, identifier: handle, password: appPassword }, app.store);
      const [sent] = await drainOutbox(app.store, next, { now: () => new Date(Date.now() + 3_600_000) });
      expect(sent).toMatchObject({ id: alert.id, state: 'sent' });
      const did = (await reader.com.atproto.identity.resolveHandle({ handle })).data.did;
      expect((await recordsOf(did)).filter((r) => r.uri.endsWith(`/${alert.rkey}`))).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  it('each fault is handled and every alert ends as exactly one post', async () => {
    const { startPdsProxy } = await import('../../helpers/pds-proxy.js');
    const proxy = await startPdsProxy(net.pds.url);
    try {
      const app = freshApp({ publishMode: 'auto' });
      const publisher = new BlueskyPublisher({ service: proxy.url, identifier: handle, password: appPassword }, app.store, { timeoutMs: 1_000 });
      const outcome = async (fault: import('../../helpers/pds-proxy.js').CreateFault, note: string) => {
        proxy.fault = fault;
        const alert = queueAmazonAlert(app, note);
        const [done] = await drainOutbox(app.store, publisher);
        proxy.fault = 'pass';
        return { alert, done: done! };
      };

      // The write lands, the answer is lost: read back, delivered once.
      const lost = await outcome('500-after-write', 'answer lost');
      expect(lost.done).toMatchObject({ state: 'sent' });

      // Nothing written: stays queued, and the next drain posts it.
      const failed = await outcome('500-no-write', 'server error');
      expect(failed.done).toMatchObject({ state: 'queued', lastError: expect.stringMatching(/uncertain write.*not posted, will retry/) });
      // It waits out its back-off first, holding later alerts behind it.
      expect(await drainOutbox(app.store, publisher)).toEqual([]);
      const later = () => new Date(Date.now() + 3_600_000);
      const [retried] = await drainOutbox(app.store, publisher, { now: later });
      expect(retried).toMatchObject({ id: failed.alert.id, state: 'sent' });

      // A hang is a deadline, then a read-back.
      const hung = await outcome('hang', 'hung');
      expect(hung.done).toMatchObject({ state: 'queued', lastError: expect.stringMatching(/uncertain write/) });
      expect((await drainOutbox(app.store, publisher, { now: later }))[0]).toMatchObject({ id: hung.alert.id, state: 'sent' });

      // 429: nothing written; the publisher waits out Retry-After before calling again.
      const limited = await outcome('429', 'rate limited');
      expect(limited.done).toMatchObject({ state: 'queued', lastError: 'rate-limited by Bluesky (429); waiting 120 s' });
      expect((await drainOutbox(app.store, publisher, { now: later }))[0]).toMatchObject({ state: 'queued', lastError: expect.stringMatching(/^rate-limited by Bluesky until/) });

      // Every sent alert is exactly one record at its own key.
      const did = (await reader.com.atproto.identity.resolveHandle({ handle })).data.did;
      const records = await recordsOf(did);
      for (const a of app.store.alerts().filter((x) => x.state === 'sent')) {
        expect(records.filter((r) => r.uri.endsWith(`/${a.rkey}`))).toHaveLength(1);
      }
    } finally {
      await proxy.close();
    }
  });

  it('an expired or revoked stored session falls back to one login', async () => {
    const app = freshApp({ publishMode: 'auto' });
    app.store.session.set({ did: 'did:plc:nobody', handle, accessJwt: 'x.y.z', refreshJwt: 'x.y.z', active: true });
    queueAmazonAlert(app, 'stale session');
    const calls: string[] = [];
    const [done] = await drainOutbox(app.store, new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: appPassword }, app.store, { fetch: countingFetch(calls) }));
    expect(done).toMatchObject({ state: 'sent' });
    expect(calls.filter((c) => c === 'com.atproto.server.createSession')).toHaveLength(1);
  });
});

describe('the account and its posts', () => {
  it('declares itself a bot once, keeping the rest of its profile', async () => {
    const app = freshApp({ publishMode: 'auto' });
    const owner = new AtpAgent({ service: net.pds.url });
    await owner.login({ identifier: handle, password: appPassword });
    const repo = owner.session!.did;
    await owner.com.atproto.repo.putRecord({ repo, collection: 'app.bsky.actor.profile', rkey: 'self', record: { $type: 'app.bsky.actor.profile', displayName: 'CAISI watch' } });
    queueAmazonAlert(app, 'labelled');
    const publisher = new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: appPassword }, app.store, { botLabel: true });
    await drainOutbox(app.store, publisher);
    const profile = (await reader.com.atproto.repo.getRecord({ repo, collection: 'app.bsky.actor.profile', rkey: 'self' })).data.value as {
      displayName: string;
      labels: { values: { val: string }[] };
    };
    expect(profile.displayName).toBe('CAISI watch');
    expect(profile.labels.values).toEqual([{ val: 'bot' }]);
  });

  it('retracts a sent post by deleting it, or by replying with a correction', async () => {
    const app = freshApp({ publishMode: 'auto' });
    const publisher = new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: appPassword }, app.store);
    queueAmazonAlert(app, 'wrong one');
    const [sent] = await drainOutbox(app.store, publisher);
    const repo = sent!.uri!.split('/')[2]!;
    await publisher.retract(sent!, 'delete');
    await expect(reader.com.atproto.repo.getRecord({ repo, collection: 'app.bsky.feed.post', rkey: sent!.rkey! })).rejects.toMatchObject({ error: 'RecordNotFound' });

    queueAmazonAlert(app, 'wrong two');
    const [second] = await drainOutbox(app.store, publisher);
    await publisher.retract(second!, 'correct');
    const replies = (await recordsOf(repo)).filter((r) => (r.value as { reply?: { parent: { uri: string } } }).reply?.parent.uri === second!.uri);
    expect(replies).toHaveLength(1);
    expect((replies[0]!.value as { text: string }).text).toMatch(/^Correction:/);
  });

  it('pauses before the hourly write budget runs out, leaving alerts queued', async () => {
    const app = freshApp({ publishMode: 'auto' });
    app.store.budget.points.set([[Date.now() - 60_000, 4_499]]);
    queueAmazonAlert(app, 'over budget');
    const [done] = await drainOutbox(app.store, new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: appPassword }, app.store));
    expect(done).toMatchObject({ state: 'queued', lastError: expect.stringMatching(/^rate budget nearly spent; pausing until /) });
  });
});

describe('link cards', () => {
  it("carry the source page's og: title, description and a thumbnail blob", async () => {
    const { startFixtureServer, staticBody } = await import('../../helpers/fixture-server.js');
    const { Fetcher } = await import('../../../src/http/fetch.js');
    const server = await startFixtureServer();
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    server.set('/thumb.png', staticBody(png, 'image/png'));
    server.set(
      '/announcement',
      staticBody(
        `<!doctype html><html><head><meta property="og:title" content="Amazon joins CAISI testing"><meta property="og:description" content="AWS signed the pre-release testing agreement."><meta property="og:image" content="/thumb.png"></head><body><p>text</p></body></html>`,
        'text/html; charset=utf-8',
      ),
    );
    const pages = new Fetcher({ hostSpacingMs: 0, allowPrivateNetwork: true });
    try {
      const app = freshApp({ publishMode: 'auto' });
      const { alert } = setStatus(app, {
        tracker: 'caisi',
        party: 'amazon',
        status: 'signed',
        evidence: server.url('/announcement'),
        actor: 'test',
        at: new Date('2026-11-27T00:00:00Z'),
      });
      const publisher = new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: appPassword }, app.store, { pages });
      const [sent] = await drainOutbox(app.store, publisher);
      expect(sent).toMatchObject({ id: alert, state: 'sent' });
      const [, , repo, , rkey] = sent!.uri!.split('/');
      const record = (await reader.com.atproto.repo.getRecord({ repo: repo!, collection: 'app.bsky.feed.post', rkey: rkey! })).data.value as {
        embed: { $type: string; external: { uri: string; title: string; description: string; thumb: { mimeType: string; size: number } } };
      };
      expect(record.embed).toMatchObject({
        $type: 'app.bsky.embed.external',
        external: { uri: server.url('/announcement'), title: 'Amazon joins CAISI testing', description: 'AWS signed the pre-release testing agreement.', thumb: { mimeType: 'image/png', size: png.length } },
      });
    } finally {
      await pages.close();
      await server.close();
    }
  });
});

describe('the status board image', () => {
  it('goes with a post whose link has no card, with alt text listing every status', async () => {
    const { renderBoard } = await import('../../../src/alert/board.js');
    const app = freshApp({ publishMode: 'auto' });
    queueAmazonAlert(app, 'no card here');
    const rows = [
      { name: 'Amazon', status: 'signed' as const },
      { name: 'Meta', status: 'holdout' as const },
    ];
    const publisher = new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: appPassword }, app.store, {
      board: () => renderBoard('CAISI pre-release testing agreement', rows, '2026-11-27'),
    });
    const [sent] = await drainOutbox(app.store, publisher);
    const [, , repo, , rkey] = sent!.uri!.split('/');
    const record = (await reader.com.atproto.repo.getRecord({ repo: repo!, collection: 'app.bsky.feed.post', rkey: rkey! })).data.value as {
      embed: { $type: string; images: { alt: string; image: { mimeType: string }; aspectRatio: { width: number; height: number } }[] };
    };
    expect(record.embed.$type).toBe('app.bsky.embed.images');
    expect(record.embed.images[0]).toMatchObject({
      alt: 'CAISI pre-release testing agreement, as of 2026-11-27: Amazon signed; Meta holdout.',
      image: { mimeType: 'image/png' },
      aspectRatio: { width: 800, height: 110 + 2 * 44 + 40 },
    });
  });
});

describe('threads', () => {
  it("with threading on, an alert about a party replies to that party's previous post", async () => {
    const app = freshApp({ publishMode: 'auto' });
    const publisher = new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: appPassword }, app.store, { thread: true });
    queueAmazonAlert(app, 'first');
    const [first] = await drainOutbox(app.store, publisher);
    setStatus(app, { tracker: 'caisi', party: 'amazon', status: 'withdrawn', evidence: 'https://example.test/w', actor: 'test', at: new Date('2026-11-28T00:00:00Z') });
    const [second] = await drainOutbox(app.store, publisher);
    const [, , repo, , rkey] = second!.uri!.split('/');
    const record = (await reader.com.atproto.repo.getRecord({ repo: repo!, collection: 'app.bsky.feed.post', rkey: rkey! })).data.value as {
      reply: { root: { uri: string }; parent: { uri: string } };
    };
    expect(record.reply).toMatchObject({ root: { uri: first!.uri }, parent: { uri: first!.uri } });
  });
});

describe('waits Bluesky asks for are bounded', () => {
  const DAY = 86_400_000;

  it('a 429 asking for an absurd wait holds alerts a day at most, then they go out', async () => {
    const { startPdsProxy } = await import('../../helpers/pds-proxy.js');
    const proxy = await startPdsProxy(net.pds.url);
    try {
      for (const fault of ['429-absurd', '429-reset-absurd'] as const) {
        const app = freshApp({ publishMode: 'auto' });
        let offset = 0;
        const now = () => new Date(Date.now() + offset);
        const publisher = new BlueskyPublisher({ service: proxy.url, identifier: handle, password: appPassword }, app.store, { now, random: () => 0.5 });
        const alert = queueAmazonAlert(app, `absurd wait: ${fault}`);
        proxy.fault = fault;
        const [limited] = await drainOutbox(app.store, publisher, { now });
        proxy.fault = 'pass';
        expect(limited, fault).toMatchObject({ state: 'queued', lastError: 'rate-limited by Bluesky (429); waiting 86400 s (a day at most)' });
        expect(Number(app.store.budget.rateLimitedUntil.get()) - now().getTime()).toBeLessThanOrEqual(DAY);
        offset = DAY - 3_600_000;
        await drainOutbox(app.store, publisher, { now });
        expect(app.store.alert(alert.id)!.state, fault).toBe('queued');
        offset = DAY + 60_000;
        const [sent] = await drainOutbox(app.store, publisher, { now });
        expect(sent, fault).toMatchObject({ id: alert.id, state: 'sent' });
      }
    } finally {
      await proxy.close();
    }
  });

  it('a 429 that names no wait holds alerts for an hour or two', async () => {
    const { startPdsProxy } = await import('../../helpers/pds-proxy.js');
    const proxy = await startPdsProxy(net.pds.url);
    try {
      const app = freshApp({ publishMode: 'auto' });
      const at = new Date();
      const publisher = new BlueskyPublisher({ service: proxy.url, identifier: handle, password: appPassword }, app.store, { now: () => at, random: () => 0.5 });
      queueAmazonAlert(app, 'no wait named');
      proxy.fault = '429-bare';
      const [limited] = await drainOutbox(app.store, publisher, { now: () => at });
      expect(limited).toMatchObject({ state: 'queued', lastError: 'rate-limited by Bluesky (429) with no wait named; waiting 5400 s' });
      expect(Number(app.store.budget.rateLimitedUntil.get())).toBe(at.getTime() + 90 * 60_000);
    } finally {
      await proxy.close();
    }
  });

  it('a stored wait no server could have meant does not block alerts for good', async () => {
    for (const value of [String(Date.now() + 1e15), String(Date.now() + 1e16), 'Invalid Date']) {
      const app = freshApp({ publishMode: 'auto' });
      writeMetaRow(app.store, 'bluesky_retry_after', value);
      queueAmazonAlert(app, `corrupt wait ${value}`);
      const [done] = await drainOutbox(app.store, new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: appPassword }, app.store));
      expect(done, value).toMatchObject({ state: 'sent' });
    }
  });

  it("an alert's corrupt next attempt does not hold the outbox for good", async () => {
    for (const value of ['Invalid Date', '+033715-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z']) {
      const app = freshApp({ publishMode: 'auto' });
      const alert = queueAmazonAlert(app, `corrupt next attempt ${value}`);
      app.store.db.prepare('UPDATE alerts SET attempts = 1, next_attempt = ? WHERE id = ?').run(value, alert.id);
      const [done] = await drainOutbox(app.store, new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: appPassword }, app.store));
      expect(done, value).toMatchObject({ id: alert.id, state: 'sent' });
    }
  });
});

describe('login retries', () => {
  it('wait a jittered back-off after a failed login', async () => {
    let clock = Date.parse('2026-12-03T00:00:00Z');
    const now = () => new Date(clock);
    const app = freshApp({ publishMode: 'auto', now });
    queueAmazonAlert(app, 'wrong password');
    const waitAfter = async (random: number) => {
      const publisher = new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: 'aaaa-bbbb-cccc-dddd' }, app.store, { random: () => random, now });
      const [done] = await drainOutbox(app.store, publisher, { now });
      expect(done).toMatchObject({ state: 'queued', lastError: expect.stringMatching(/^Bluesky login: 401/) });
      // The back-off waited out, as the daemon would.
      clock = Date.parse(done!.nextAttempt!);
      return Date.parse(done!.nextAttempt!) - Date.parse(done!.updatedAt);
    };
    // Attempt one backs off 30 s, attempt two 60 s; each ±20 %.
    expect(await waitAfter(0)).toBe(24_000);
    expect(await waitAfter(1)).toBe(72_000);
  });

  it('wait until the daily login budget frees, without logging in', async () => {
    const app = freshApp({ publishMode: 'auto' });
    const at = new Date('2026-11-27T12:00:00Z');
    const hour = 3_600_000;
    app.store.budget.logins.set([-23, -20, -10, -5, -1].map((h) => at.getTime() + h * hour));
    queueAmazonAlert(app, 'no logins left');
    const calls: string[] = [];
    const publisher = new BlueskyPublisher({ service: net.pds.url, identifier: handle, password: appPassword }, app.store, { now: () => at, random: () => 0, fetch: countingFetch(calls) });
    const [done] = await drainOutbox(app.store, publisher, { now: () => at });
    expect(done).toMatchObject({ state: 'queued', lastError: expect.stringMatching(/^Bluesky login: 5 logins in the last 24 h/) });
    // The oldest login is a day old in an hour.
    expect(Date.parse(done!.nextAttempt!) - at.getTime()).toBe(hour);
    expect(calls).toEqual([]);
  });
});
