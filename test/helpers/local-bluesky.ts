// A local Bluesky as the public one is built: a real PDS (@atproto/dev-env) whose app.bsky.* reads
// it forwards, with the account's service auth, to a fixture AppView on 127.0.0.1 (never the
// dev-env default, appview.invalid). The AppView answers search and author feeds from a list of
// posts, refuses a caller without service auth, and records who asked for what.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestNetworkNoAppView } from '@atproto/dev-env';
import { answerAppView, json, type FixturePost } from '../../world/appview.js';

export type { FixturePost };

export const APPVIEW_DID = 'did:web:appview.pactwatch.test';

/** One read that reached the AppView: its method, and the service-auth claims the PDS signed it with. */
export interface AppViewRead {
  lxm: string;
  /** The account the PDS read for (a DID). */
  iss: string;
  aud: string;
}

export interface LocalBluesky {
  net: TestNetworkNoAppView;
  /** The PDS: what BSKY_SERVICE names. */
  service: string;
  posts: FixturePost[];
  reads: AppViewRead[];
  /** Creates an account and an app password for it. */
  account(handle: string): Promise<{ did: string; appPassword: string }>;
  close(): Promise<void>;
}

function claimsOf(authorization: string | undefined): Record<string, unknown> | undefined {
  const payload = /^Bearer [^.]+\.([^.]+)\.[^.]+$/.exec(authorization ?? '')?.[1];
  if (!payload) return undefined;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export async function startLocalBluesky(): Promise<LocalBluesky> {
  const posts: FixturePost[] = [];
  const reads: AppViewRead[] = [];
  const appview = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const claims = claimsOf(req.headers.authorization);
    // The PDS signs each forwarded read for this AppView and this method.
    if (claims?.aud !== APPVIEW_DID || claims.lxm !== url.pathname.replace('/xrpc/', '')) {
      return json(res, 401, { error: 'AuthMissing', message: 'service auth for this AppView required' });
    }
    reads.push({ lxm: String(claims.lxm), iss: String(claims.iss), aud: String(claims.aud) });
    if (!answerAppView(url, posts, res)) json(res, 404, { error: 'MethodNotImplemented', message: `${url.pathname} is not served here` });
  });
  await new Promise<void>((ready) => appview.listen(0, '127.0.0.1', ready));
  const appviewUrl = `http://127.0.0.1:${(appview.address() as AddressInfo).port}`;
  let net: TestNetworkNoAppView;
  try {
    net = await TestNetworkNoAppView.create({ pds: { bskyAppViewUrl: appviewUrl, bskyAppViewDid: APPVIEW_DID } });
  } catch (err) {
    appview.close();
    throw err;
  }
  const admin = net.pds.getClient();
  return {
    net,
    service: net.pds.url,
    posts,
    reads,
    async account(handle) {
      await admin.createAccount({ handle, email: `${handle}@example.test`, password: 'account-password-not-used' });
      const appPassword = (await admin.com.atproto.server.createAppPassword({ name: 'pactwatch' })).data.password;
      return { did: admin.session!.did, appPassword };
    },
    async close() {
      await net.close();
      appview.closeAllConnections();
      await new Promise<void>((done) => appview.close(() => done()));
    },
  };
}
