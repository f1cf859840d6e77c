import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Source } from '../../src/config/types.js';
import { Fetcher } from '../../src/http/fetch.js';
import { BlueskyReader } from '../../src/sources/bluesky.js';
import { pollSource } from '../../src/sources/poll.js';
import { knownAccounts } from '../../src/sources/bluesky-accounts.js';
import { openDatabase } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';
import { APPVIEW_DID, startLocalBluesky, type LocalBluesky } from '../helpers/local-bluesky.js';

// The reader as it runs against Bluesky: it logs in at a real PDS, and its reads go through that
// PDS, which forwards them with the account's service auth to an AppView (here the fixture one).
let bluesky: LocalBluesky;
let did: string;
let appPassword: string;
const handle = 'watcher.test';
const fetcher = new Fetcher({ hostSpacingMs: 0 });
const NOW = new Date('2026-11-27T12:00:00Z');

beforeAll(async () => {
  bluesky = await startLocalBluesky();
  ({ did, appPassword } = await bluesky.account(handle));
  bluesky.posts.push(
    { handle: 'reporter.example.com', rkey: '3bbb1', text: 'Scoop: talks on the CAISI agreement resume.', createdAt: '2026-11-20T11:00:00.000Z' },
    { handle: 'someone.bsky.social', rkey: '3bbb2', text: 'anyone following CAISI?', createdAt: '2026-11-20T12:00:00.000Z' },
  );
}, 60_000);
afterAll(async () => {
  vi.useRealTimers();
  await fetcher.close();
  await bluesky?.close();
});

const search: Source = { id: 'bsky-caisi', kind: 'bluesky-search', query: 'CAISI', trust: 'social', publisher: 'bsky', where: { file: 't' } };
const reporter: Source = { id: 'bsky-reporter', kind: 'bluesky-author', actor: 'reporter.example.com', trust: 'press', publisher: 'reporter.example.com', where: { file: 't' } };

/** The XRPC methods the reader called, in order. */
function recordingFetch(calls: string[]): typeof fetch {
  return (input, init) => {
    calls.push(new URL(input instanceof Request ? input.url : String(input)).pathname.replace('/xrpc/', ''));
    return fetch(input, init);
  };
}

function deps(reader: BlueskyReader) {
  return { now: () => NOW, random: () => 0.5, force: true, bluesky: reader, accounts: new Map([['reporter.example.com', reporter]]) };
}

describe('the Bluesky reader against a real PDS', () => {
  it('logs in with the app password, and its searches and author feeds reach the AppView through the PDS as that account', async () => {
    const calls: string[] = [];
    const reader = new BlueskyReader({ service: bluesky.service, identifier: handle, password: appPassword }, { fetch: recordingFetch(calls) });
    const before = bluesky.reads.length;
    const found = await pollSource(fetcher, search, undefined, deps(reader));
    expect(found.error).toBeUndefined();
    expect(found.items.map((i) => `${i.author} ${i.trust}: ${i.text}`)).toEqual([
      'someone.bsky.social social: anyone following CAISI?',
      'reporter.example.com press: Scoop: talks on the CAISI agreement resume.',
    ]);
    const feed = await pollSource(fetcher, reporter, undefined, deps(reader));
    expect(feed.items.map((i) => i.id)).toEqual(['at://did:plc:reporterexamplecomxxxxxx/app.bsky.feed.post/3bbb1']);
    expect(bluesky.reads.slice(before)).toEqual([
      { lxm: 'app.bsky.feed.searchPosts', iss: did, aud: APPVIEW_DID },
      { lxm: 'app.bsky.feed.getAuthorFeed', iss: did, aud: APPVIEW_DID },
    ]);
    expect(calls).toEqual(['com.atproto.server.createSession', 'app.bsky.feed.searchPosts', 'app.bsky.feed.getAuthorFeed']);
  });

  it('refreshes its session when the access token has expired, instead of logging in again', async () => {
    const calls: string[] = [];
    const reader = new BlueskyReader({ service: bluesky.service, identifier: handle, password: appPassword }, { fetch: recordingFetch(calls) });
    const first = await pollSource(fetcher, search, undefined, deps(reader));
    expect(first.outcome).toBe('ok');
    bluesky.posts.push({ handle: 'someone.bsky.social', rkey: '3bbb3', text: 'CAISI again', createdAt: '2026-11-21T09:00:00.000Z' });
    // Three hours on, for the PDS too (it runs in this process): the access token (two hours) has
    // expired, the refresh token (ninety days) has not.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3 * 3_600_000 });
    try {
      const second = await pollSource(fetcher, search, first.state, deps(reader));
      expect(second.error).toBeUndefined();
      expect(second.items.map((i) => i.text)).toEqual(['CAISI again']);
    } finally {
      vi.useRealTimers();
    }
    expect(calls.filter((c) => c.startsWith('com.atproto.server.'))).toEqual(['com.atproto.server.createSession', 'com.atproto.server.refreshSession', 'com.atproto.server.getSession']);
    expect(bluesky.reads.at(-1)).toEqual({ lxm: 'app.bsky.feed.searchPosts', iss: did, aud: APPVIEW_DID });
  });

  it('with a wrong app password records that the login was refused, naming the account, and reads nothing', async () => {
    const calls: string[] = [];
    const reader = new BlueskyReader({ service: bluesky.service, identifier: handle, password: 'aaaa-bbbb-cccc-dddd' }, { fetch: recordingFetch(calls) });
    const before = bluesky.reads.length;
    const p = await pollSource(fetcher, search, undefined, deps(reader));
    expect(p.outcome).toBe('error');
    expect(p.error).toBe(
      'Bluesky refused the login as watcher.test (401 AuthenticationRequired: Invalid identifier or password): check BSKY_IDENTIFIER and BSKY_APP_PASSWORD (or BSKY_APP_PASSWORD_FILE)',
    );
    expect(p.state.failures).toBe(1);
    expect(calls).toEqual(['com.atproto.server.createSession']);
    expect(bluesky.reads.length).toBe(before);
  });
});

describe('handles resolved at a real PDS, for the stream', () => {
  it('resolves a handle to its DID without logging in, keeps it, and names the source and handle of one that names nobody', async () => {
    const newsroom = await bluesky.account('metanewsroom.test');
    const calls: string[] = [];
    const reader = new BlueskyReader({ service: bluesky.service }, { fetch: recordingFetch(calls) });
    const store = new Store(openDatabase(join(mkdtempSync(join(tmpdir(), 'pactwatch-pds-handles-')), 'pactwatch.db')));
    const official: Source = { id: 'bsky-lab', kind: 'bluesky-author', actor: 'MetaNewsroom.test', trust: 'official', speaksFor: ['meta'], publisher: 'meta.com', where: { file: 'sources.yaml', line: 3 } };
    const nobody: Source = { id: 'bsky-nobody', kind: 'bluesky-author', actor: 'nobody.test', trust: 'press', publisher: 'nobody.test', where: { file: 'sources.yaml', line: 5 } };
    const known = await knownAccounts([official, nobody], { resolve: (h) => reader.resolveHandle(h), cache: store.handles, now: () => NOW });
    expect(known.accounts.get(newsroom.did)).toBe(official);
    expect([...known.accounts.keys()].filter((k) => k.startsWith('did:'))).toEqual([newsroom.did]);
    expect(known.warnings).toEqual([
      'bluesky-author source "bsky-nobody" (sources.yaml:5): handle nobody.test did not resolve to a DID (400 InvalidRequest: Unable to resolve handle); the stream does not follow it until it does',
    ]);
    expect(store.handles.get('metanewsroom.test')).toEqual({ did: newsroom.did, resolvedAt: NOW.toISOString() });
    expect(calls).toEqual(['com.atproto.identity.resolveHandle', 'com.atproto.identity.resolveHandle']);
  });
});
