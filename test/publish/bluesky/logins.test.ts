import { TestNetworkNoAppView } from '@atproto/dev-env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlueskyPublisher } from '../../../src/publish/bluesky/publisher.js';
import { MAX_LOGINS_PER_DAY } from '../../../src/publish/bluesky/logins.js';
import { drainOutbox } from '../../../src/publish/outbox.js';
import { freshApp } from '../../helpers/ledger.js';
import { startPdsProxy, type PdsProxy } from '../../helpers/pds-proxy.js';

// A real PDS behind a proxy that counts the createSession calls reaching it; the publisher's
// clock is the test's.
let net: TestNetworkNoAppView;
let proxy: PdsProxy;
let appPassword: string;
const handle = 'logins.test';

beforeAll(async () => {
  net = await TestNetworkNoAppView.create({});
  const agent = net.pds.getClient();
  await agent.createAccount({ handle, email: 'logins@example.test', password: 'account-password-not-used' });
  appPassword = (await agent.com.atproto.server.createAppPassword({ name: 'pactwatch' })).data.password;
  proxy = await startPdsProxy(net.pds.url);
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await net?.close();
});

const logins = () => proxy.calls.filter((c) => c === 'com.atproto.server.createSession').length;

describe('the daily login cap', () => {
  it(`after ${MAX_LOGINS_PER_DAY} logins in 24 hours makes no more, keeps the alert queued saying until when, and logs in once the first is a day old`, async () => {
    const start = Date.parse('2026-12-01T00:00:00Z');
    let clock = start;
    const now = () => new Date(clock);
    const app = freshApp({ publishMode: 'auto', now });
    const id = app.store.transaction(() => app.store.insertAlert({ transitionId: null, reportedKey: 'login-cap', tracker: 'caisi', party: 'amazon', status: 'signed', state: 'queued', text: 'Amazon signed.' }), { durable: true })!;
    const before = logins();
    const free = new Date(start + 86_400_000).toISOString();

    // A revoked app password: each login is refused, and each counts.
    const revoked = new BlueskyPublisher({ service: proxy.url, identifier: handle, password: 'aaaa-bbbb-cccc-dddd' }, app.store, { now, botLabel: false });
    // An hour apart: each failed login's back-off (minutes) is over by the next.
    for (let n = 1; n <= MAX_LOGINS_PER_DAY; n++) {
      const [row] = await drainOutbox(app.store, revoked, { now });
      expect(row).toMatchObject({ id, state: 'queued', lastError: expect.stringMatching(/^Bluesky login: 401 /) });
      expect(logins() - before).toBe(n);
      clock += 3_600_000;
    }
    // The last refusal already knows when logins are allowed again.
    expect(app.store.alert(id)).toMatchObject({ nextAttempt: free });

    // The outbox does not try before then; the publisher, asked anyway, makes no call to the PDS and says until when.
    expect(await drainOutbox(app.store, revoked, { now })).toEqual([]);
    expect(await revoked.publish(app.store.alert(id)!)).toEqual({
      state: 'retry',
      error: `Bluesky login: ${MAX_LOGINS_PER_DAY} logins in the last 24 h, the most allowed; not logging in again until ${free}`,
      retryAt: new Date(free),
    });
    expect(logins() - before).toBe(MAX_LOGINS_PER_DAY);

    // The operator sets a new app password and restarts: still no login until the window passes.
    const fixed = new BlueskyPublisher({ service: proxy.url, identifier: handle, password: appPassword }, app.store, { now, botLabel: false });
    clock = start + 86_400_000 - 1;
    expect(await drainOutbox(app.store, fixed, { now })).toEqual([]);
    expect(await fixed.publish(app.store.alert(id)!)).toMatchObject({ state: 'retry', retryAt: new Date(free) });
    expect(logins() - before).toBe(MAX_LOGINS_PER_DAY);

    clock = start + 86_400_000;
    expect(await drainOutbox(app.store, fixed, { now })).toMatchObject([{ id, state: 'sent' }]);
    expect(logins() - before).toBe(MAX_LOGINS_PER_DAY + 1);
    app.close();
  });

  it('does not spend the day\'s logins while Bluesky cannot be reached, and logs in once it can', async () => {
    const start = Date.parse('2026-12-02T00:00:00Z');
    let clock = start;
    const now = () => new Date(clock);
    const app = freshApp({ publishMode: 'auto', now });
    const id = app.store.transaction(() => app.store.insertAlert({ transitionId: null, reportedKey: 'outage', tracker: 'caisi', party: 'amazon', status: 'signed', state: 'queued', text: 'Amazon signed.' }), { durable: true })!;
    // A port nothing listens on: every login is refused before it reaches any server.
    const closed = await startPdsProxy(net.pds.url);
    const down = closed.url;
    await closed.close();
    const offline = new BlueskyPublisher({ service: down, identifier: handle, password: appPassword }, app.store, { now, botLabel: false, random: () => 0.5 });
    for (let n = 1; n <= 2 * MAX_LOGINS_PER_DAY; n++) {
      const [row] = await drainOutbox(app.store, offline, { now });
      expect(row).toMatchObject({ id, state: 'queued', attempts: n, lastError: expect.stringMatching(/^Bluesky login: /) });
      // The back-off waited out, as the daemon would.
      clock = Date.parse(row!.nextAttempt!);
    }
    expect(app.store.budget.logins.get()).toEqual([]);
    const before = logins();
    const online = new BlueskyPublisher({ service: proxy.url, identifier: handle, password: appPassword }, app.store, { now, botLabel: false });
    expect(await drainOutbox(app.store, online, { now })).toMatchObject([{ id, state: 'sent' }]);
    expect(logins() - before).toBe(1);
    app.close();
  });
});
