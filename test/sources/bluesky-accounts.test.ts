import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Source } from '../../src/config/types.js';
import { configuredAccounts, knownAccounts, RESOLVE_AGAIN_AFTER_MS } from '../../src/sources/bluesky-accounts.js';
import { openDatabase } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';

// Resolution's timing and failures, with a clock and a resolver in the test's hands, and the
// store's real handles table as the cache (bluesky-pds.test.ts resolves against a real PDS).
const freshStore = () => new Store(openDatabase(join(mkdtempSync(join(tmpdir(), 'pactwatch-handles-')), 'pactwatch.db')));

const lab: Source = { id: 'bsky-lab', kind: 'bluesky-author', actor: '@Lab.Example.com', trust: 'official', speaksFor: ['meta'], publisher: 'lab.example', where: { file: 'sources.yaml', line: 4 } };
const agency: Source = { id: 'bsky-agency', kind: 'bluesky-author', actor: 'did:plc:agency', trust: 'official', speaksFor: 'all', publisher: 'agency.example.gov', where: { file: 'sources.yaml', line: 7 } };
const feed: Source = { id: 'wire', kind: 'rss', url: 'https://wire.example/feed', trust: 'press', publisher: 'wire.example', where: { file: 'sources.yaml', line: 10 } };

const T0 = new Date('2026-11-20T12:00:00.000Z');

/** A resolver that answers from `answers` (a DID, or an error to throw) and records what it was asked. */
function resolver(answers: Record<string, string | Error>) {
  const asked: string[] = [];
  const resolve = async (handle: string) => {
    asked.push(handle);
    const answer = answers[handle];
    if (answer === undefined) throw Object.assign(new Error('Unable to resolve handle'), { status: 400, error: 'InvalidRequest' });
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { asked, resolve };
}

describe('the Bluesky accounts known by DID', () => {
  it('keys each bluesky-author source by its handle (no @, lower case) and by DID, and no other kind', () => {
    expect([...configuredAccounts([lab, agency, feed]).keys()]).toEqual(['lab.example.com', 'did:plc:agency']);
  });

  it('resolves a handle once, keeps it with the time, and asks again only after a day', async () => {
    const store = freshStore();
    const { asked, resolve } = resolver({ 'lab.example.com': 'did:plc:lab' });
    let now = T0;
    const deps = { resolve, cache: store.handles, now: () => now };
    const first = await knownAccounts([lab, agency], deps);
    expect(first.warnings).toEqual([]);
    expect(first.accounts.get('did:plc:lab')).toBe(lab);
    expect(first.accounts.get('did:plc:agency')).toBe(agency);
    expect(store.handles.get('lab.example.com')).toEqual({ did: 'did:plc:lab', resolvedAt: '2026-11-20T12:00:00.000Z' });
    now = new Date(T0.getTime() + RESOLVE_AGAIN_AFTER_MS - 1);
    expect((await knownAccounts([lab, agency], deps)).accounts.get('did:plc:lab')).toBe(lab);
    expect(asked).toEqual(['lab.example.com']);
    now = new Date(T0.getTime() + RESOLVE_AGAIN_AFTER_MS);
    await knownAccounts([lab, agency], deps);
    expect(asked).toEqual(['lab.example.com', 'lab.example.com']);
    expect(store.handles.get('lab.example.com')?.resolvedAt).toBe('2026-11-21T12:00:00.000Z');
  });

  it('asks again for a handle whose time is ahead of the clock (the clock was set back)', async () => {
    const store = freshStore();
    store.handles.save('lab.example.com', { did: 'did:plc:old', resolvedAt: '2026-11-21T12:00:00.000Z' });
    const { asked, resolve } = resolver({ 'lab.example.com': 'did:plc:lab' });
    const known = await knownAccounts([lab], { resolve, cache: store.handles, now: () => T0 });
    expect(asked).toEqual(['lab.example.com']);
    expect(known.accounts.has('did:plc:old')).toBe(false);
    expect(known.accounts.get('did:plc:lab')).toBe(lab);
  });

  it('leaves a handle that does not resolve unfollowed, with a warning naming its source and handle, and asks again the next time', async () => {
    const store = freshStore();
    const { asked, resolve } = resolver({});
    const deps = { resolve, cache: store.handles, now: () => T0 };
    const known = await knownAccounts([lab, agency], deps);
    expect([...known.accounts.keys()]).toEqual(['lab.example.com', 'did:plc:agency']);
    expect(known.warnings).toEqual([
      'bluesky-author source "bsky-lab" (sources.yaml:4): handle lab.example.com did not resolve to a DID (400 InvalidRequest: Unable to resolve handle); the stream does not follow it until it does',
    ]);
    expect(store.handles.get('lab.example.com')).toBeUndefined();
    await knownAccounts([lab, agency], deps);
    expect(asked).toEqual(['lab.example.com', 'lab.example.com']);
  });

  it("keeps yesterday's DID when the service cannot be reached, but drops it when the service says the handle names nobody", async () => {
    const store = freshStore();
    store.handles.save('lab.example.com', { did: 'did:plc:lab', resolvedAt: '2026-11-19T11:00:00.000Z' });
    const down = resolver({ 'lab.example.com': Object.assign(new Error('fetch failed'), {}) });
    const kept = await knownAccounts([lab], { resolve: down.resolve, cache: store.handles, now: () => T0 });
    expect(kept.accounts.get('did:plc:lab')).toBe(lab);
    expect(kept.warnings).toEqual([
      'bluesky-author source "bsky-lab" (sources.yaml:4): handle lab.example.com could not be resolved again (fetch failed); following did:plc:lab, resolved at 2026-11-19T11:00:00.000Z',
    ]);
    const gone = resolver({});
    const dropped = await knownAccounts([lab], { resolve: gone.resolve, cache: store.handles, now: () => T0 });
    expect(dropped.accounts.has('did:plc:lab')).toBe(false);
    expect(store.handles.get('lab.example.com')).toBeUndefined();
  });

  it('refuses an answer that is not a DID', async () => {
    const store = freshStore();
    const { resolve } = resolver({ 'lab.example.com': 'lab.example.com' });
    const known = await knownAccounts([lab], { resolve, cache: store.handles, now: () => T0 });
    expect(followedKeys(known.accounts)).toEqual([]);
    expect(known.warnings).toEqual(['bluesky-author source "bsky-lab" (sources.yaml:4): handle lab.example.com resolved to "lab.example.com", which is not a DID; the stream does not follow it']);
    expect(store.handles.get('lab.example.com')).toBeUndefined();
  });
});

const followedKeys = (accounts: Map<string, Source>) => [...accounts.keys()].filter((k) => k.startsWith('did:'));
