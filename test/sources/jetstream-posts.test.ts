import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Source } from '../../src/config/types.js';
import { Fetcher } from '../../src/http/fetch.js';
import { knownAccounts } from '../../src/sources/bluesky-accounts.js';
import { initialState, pollSource, type PollDeps } from '../../src/sources/poll.js';
import { openDatabase } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';
import { readFrames, startJetstreamServer, type JetstreamServer } from '../helpers/jetstream-server.js';

// A stream's posts as the catch-up reads them from a local Jetstream-like server: quote posts
// through the firehose prefilter, and authors mode following accounts configured by handle.
const T0 = 1795176100000000; // 2026-11-20T12:01:40Z, before every fixture event
const NOW = new Date('2026-11-20T12:10:00Z');
const fetcher = new Fetcher({ hostSpacingMs: 0 });
let server: JetstreamServer;

const fixture = (name: string) => readFrames(readFileSync(join(import.meta.dirname, '../../fixtures/jetstream', name), 'utf8'));

beforeAll(async () => {
  server = await startJetstreamServer([...fixture('quote-posts.jsonl'), ...fixture('replies-reposts-langs.jsonl')]);
});
afterAll(async () => {
  await fetcher.close();
  await server.close();
});

// Meta's newsroom named by handle, as an operator writes it; the resolver plays the service.
const newsroom: Source = { id: 'bsky-meta', kind: 'bluesky-author', actor: '@newsroom.meta.example', trust: 'official', speaksFor: ['meta'], publisher: 'meta.com', where: { file: 'sources.yaml', line: 2 } };
const NEWSROOM_DID = 'did:plc:metanewsroom0000000000000';

function stream(mode: 'authors' | 'firehose'): Source {
  return { id: `jetstream-${mode}`, kind: 'bluesky-stream', url: server.url, mode, trust: 'social', publisher: 'jetstream', where: { file: 't' } };
}

function deps(resolve: (handle: string) => Promise<string>): PollDeps {
  const store = new Store(openDatabase(join(mkdtempSync(join(tmpdir(), 'pactwatch-stream-posts-')), 'pactwatch.db')));
  const known = () => knownAccounts([newsroom], { resolve, cache: store.handles, now: () => NOW });
  return { now: () => NOW, random: () => 0.5, force: true, stream: { prefilter: (t) => /CAISI|Meta/.test(t), allowPrivateNetwork: true, quietMs: 300, knownAccounts: known } };
}

const resolved = async (handle: string) => {
  if (handle !== 'newsroom.meta.example') throw Object.assign(new Error('Unable to resolve handle'), { status: 400 });
  return NEWSROOM_DID;
};

const after = (source: Source) => ({ ...initialState(source), cursor: String(T0), lastSuccess: '2026-11-20T12:00:00.000Z' });

describe('a stream in firehose mode with quote posts', () => {
  it("puts a quote post through the prefilter with the quoted text it carries, and reads a handle-configured account's post as that account's", async () => {
    const source = stream('firehose');
    const poll = await pollSource(fetcher, source, after(source), deps(resolved));
    expect(poll.error).toBeUndefined();
    // "Is this true?" names nothing but quotes a post that names Meta; "Big if true" quotes a
    // bare reference and names nothing; the newsroom's posts are an account's, kept whatever they say.
    expect(poll.items.map((i) => `${i.id.split('/').pop()} ${i.trust}`)).toEqual([
      '3lquote00001 social',
      '3lquote00003 social',
      '3lquote00004 official',
      '3lreply00001 official',
      '3lreply00002 social',
      '3llangs00001 social',
    ]);
    expect(poll.items[3]).toMatchObject({ publisher: 'meta.com', speaksFor: ['meta'], author: '@newsroom.meta.example' });
  });
});

describe('a stream in authors mode following an account named by handle', () => {
  it("asks Jetstream for the handle's DID, and the account's posts and replies carry its trust", async () => {
    const source = stream('authors');
    const poll = await pollSource(fetcher, source, after(source), deps(resolved));
    expect(poll.outcome).toBe('ok');
    expect(server.requests.at(-1)!.searchParams.getAll('wantedDids')).toEqual([NEWSROOM_DID]);
    expect(poll.items.map((i) => [i.id.split('/').pop(), i.trust, i.text])).toEqual([
      ['3lquote00004', 'official', 'Congratulations to our friends.'],
      ['3lreply00001', 'official', 'Yes: we have signed the CAISI agreement.'],
    ]);
  });

  it('when no account resolves, is an error outcome that says so and names the source and handle', async () => {
    const source = stream('authors');
    const before = server.requests.length;
    const poll = await pollSource(fetcher, source, after(source), deps(async () => Promise.reject(Object.assign(new Error('Unable to resolve handle'), { status: 400, error: 'InvalidRequest' }))));
    expect(poll.outcome).toBe('error');
    expect(poll.error).toBe(
      'authors mode follows nobody: bluesky-author source "bsky-meta" (sources.yaml:2): handle newsroom.meta.example did not resolve to a DID (400 InvalidRequest: Unable to resolve handle); the stream does not follow it until it does',
    );
    // Said once, in the error, not again as a note.
    expect(poll.notes).toBeUndefined();
    expect(poll.state.cursor).toBe(String(T0));
    expect(server.requests.length).toBe(before);
  });
});
