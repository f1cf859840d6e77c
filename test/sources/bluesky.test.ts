import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Source } from '../../src/config/types.js';
import { BlueskyReader } from '../../src/sources/bluesky.js';
import { Fetcher } from '../../src/http/fetch.js';
import { pollSource } from '../../src/sources/poll.js';
import { startXrpcServer, type XrpcServer } from '../helpers/xrpc-server.js';

let xrpc: XrpcServer;
const fetcher = new Fetcher({ hostSpacingMs: 0 });
const NOW = new Date('2026-11-27T12:00:00Z');

beforeAll(async () => {
  xrpc = await startXrpcServer();
  xrpc.posts.push(
    { handle: 'someone.bsky.social', rkey: '3aaa1', text: 'meta just signed the CAISI deal?? 👀', createdAt: '2026-11-20T10:00:00.000Z' },
    { handle: 'reporter.example.com', rkey: '3aaa2', text: 'Scoop: Meta has signed the CAISI pre-release testing agreement, two people say.', createdAt: '2026-11-20T11:00:00.000Z' },
    { handle: 'agency.example.gov', rkey: '3aaa3', text: 'CAISI today signed a pre-release testing agreement with Meta.', createdAt: '2026-11-20T12:00:00.000Z' },
    { handle: 'agency.example.gov', rkey: '3aaa4', text: 'Our workshop on measurement opens Monday.', createdAt: '2026-11-19T12:00:00.000Z' },
  );
});
afterAll(async () => {
  await fetcher.close();
  await xrpc.close();
});

const search: Source = { id: 'bsky-caisi', kind: 'bluesky-search', query: 'CAISI', trust: 'social', publisher: 'bsky', where: { file: 't' } };
const reporter: Source = { id: 'bsky-reporter', kind: 'bluesky-author', actor: 'reporter.example.com', trust: 'press', publisher: 'reporter.example.com', where: { file: 't' } };
const agency: Source = { id: 'bsky-agency', kind: 'bluesky-author', actor: 'agency.example.gov', trust: 'official', speaksFor: 'all', publisher: 'agency.example.gov', where: { file: 't' } };
const accounts = new Map([
  ['reporter.example.com', reporter],
  ['agency.example.gov', agency],
]);

function deps(reader: BlueskyReader) {
  return { now: () => NOW, random: () => 0.5, force: true, bluesky: reader, accounts };
}

describe('a Bluesky service that never answers', () => {
  it('ends the read at its deadline, so the source records an error instead of hanging until a restart', async () => {
    const { createServer } = await import('node:http');
    const held: import('node:http').ServerResponse[] = [];
    const silent = createServer((_req, res) => void held.push(res));
    await new Promise<void>((ready) => silent.listen(0, '127.0.0.1', ready));
    try {
      const reader = new BlueskyReader({ service: `http://127.0.0.1:${(silent.address() as import('node:net').AddressInfo).port}` }, { timeoutMs: 200 });
      const p = await pollSource(fetcher, search, undefined, deps(reader));
      expect(p.outcome).toBe('error');
      expect(held.length).toBeGreaterThan(0);
    } finally {
      for (const res of held) res.destroy();
      silent.closeAllConnections();
      await new Promise((done) => silent.close(done));
    }
  });
});

describe('bluesky-search', () => {
  it('without a login is refused with a clear message, recorded, not thrown', async () => {
    const p = await pollSource(fetcher, search, undefined, deps(new BlueskyReader({ service: xrpc.url })));
    expect(p.outcome).toBe('error');
    expect(p.error).toMatch(/Bluesky refused the search \(403 Forbidden\): searching needs BSKY_IDENTIFIER and BSKY_APP_PASSWORD/);
    expect(p.state.failures).toBe(1);
  });

  it('a wrong password is an outcome too', async () => {
    const p = await pollSource(fetcher, search, undefined, deps(new BlueskyReader({ service: xrpc.url, identifier: 'bot.test', password: 'wrong' })));
    expect(p.error).toMatch(/401 AuthenticationRequired/);
  });

  it('reads newest first, gives configured accounts their trust and everyone else social, then reads each post once', async () => {
    const logins = () => xrpc.calls.filter((c) => c.endsWith('createSession')).length;
    const before = logins();
    // As the daemon builds it: with its stop signal (not fired), every answer read through it.
    const reader = new BlueskyReader({ service: xrpc.url, identifier: 'bot.test', password: 'abcd-efgh-ijkl-mnop' }, { stop: new AbortController().signal });
    const first = await pollSource(fetcher, search, undefined, deps(reader));
    expect(first.outcome).toBe('ok');
    expect(first.first).toBe(true);
    expect(first.items.map((i) => `${i.author} ${i.trust}`)).toEqual(['agency.example.gov official', 'reporter.example.com press', 'someone.bsky.social social']);
    expect(first.items[0]).toMatchObject({
      id: 'at://did:plc:agencyexamplegovxxxxxxxx/app.bsky.feed.post/3aaa3',
      url: 'https://bsky.app/profile/agency.example.gov/post/3aaa3',
      publisher: 'agency.example.gov',
      speaksFor: 'all',
      publishedAt: new Date('2026-11-20T12:00:00.000Z'),
    });
    expect(first.state.cursor).toBe('2026-11-20T12:00:00.000Z');

    xrpc.posts.push({ handle: 'other.bsky.social', rkey: '3aaa5', text: 'is CAISI still a thing', createdAt: '2026-11-21T09:00:00.000Z' });
    const second = await pollSource(fetcher, search, first.state, deps(reader));
    expect(second.items.map((i) => i.id)).toEqual(['at://did:plc:otherbskysocialxxxxxxxxx/app.bsky.feed.post/3aaa5']);
    const third = await pollSource(fetcher, search, second.state, deps(reader));
    expect(third).toMatchObject({ outcome: 'not-modified', items: [] });
    // One login for the whole run.
    expect(logins() - before).toBe(1);
  });
});

describe("a Bluesky post's language tags", () => {
  it("are carried from the post view's record by a search and by an author feed, read as the stream reads them", async () => {
    const writer: Source = { id: 'bsky-writer', kind: 'bluesky-author', actor: 'writer.example.jp', trust: 'press', publisher: 'writer.example.jp', where: { file: 't' } };
    xrpc.posts.push(
      { handle: 'writer.example.jp', rkey: '3lng1', text: 'MetaがLANGTEST協定に署名した', createdAt: '2026-11-22T09:00:00.000Z', langs: ['JA', 'not a tag!!'] },
      { handle: 'writer.example.jp', rkey: '3lng2', text: 'LANGTEST, no tags', createdAt: '2026-11-22T08:00:00.000Z', langs: null },
    );
    const reader = new BlueskyReader({ service: xrpc.url, identifier: 'bot.test', password: 'abcd-efgh-ijkl-mnop' });
    const searched = await pollSource(fetcher, { ...search, query: 'LANGTEST' }, undefined, deps(reader));
    expect(searched.items.map((i) => i.langs)).toEqual([['ja'], undefined]);
    const own = await pollSource(fetcher, writer, undefined, deps(reader));
    expect(own.items.map((i) => i.langs)).toEqual([['ja'], undefined]);
  });
});

describe('bluesky-author', () => {
  it("reads an account's posts with the trust configured for it", async () => {
    const p = await pollSource(fetcher, agency, undefined, deps(new BlueskyReader({ service: xrpc.url })));
    expect(p.items.map((i) => `${i.text.slice(0, 20)} ${i.trust} ${JSON.stringify(i.speaksFor)}`)).toEqual([
      'CAISI today signed a official "all"',
      'Our workshop on meas official "all"',
    ]);
  });

  it("carries what the account is about to its posts, and to its posts a search finds", async () => {
    const about = (s: Source) => ({ ...s, about: ['caisi'] });
    const withAbout = { ...deps(new BlueskyReader({ service: xrpc.url })), accounts: new Map([['agency.example.gov', about(agency)]]) };
    const own = await pollSource(fetcher, about(agency), undefined, withAbout);
    expect(own.items.map((i) => i.about)).toEqual([['caisi'], ['caisi']]);
    const found = await pollSource(fetcher, search, undefined, { ...withAbout, bluesky: new BlueskyReader({ service: xrpc.url, identifier: 'bot.test', password: 'abcd-efgh-ijkl-mnop' }) });
    // (Earlier tests add posts: only the agency's carry its `about`.)
    const shown = found.items.map((i) => `${i.author} ${JSON.stringify(i.about)}`);
    expect(shown).toContain('agency.example.gov ["caisi"]');
    expect(shown.filter((l) => !l.startsWith('agency.example.gov')).every((l) => l.endsWith(' undefined'))).toBe(true);
    expect(shown.length).toBeGreaterThan(1);
  });

  it("skips the account's reposts: another author's words never carry the account's trust", async () => {
    const lab: Source = { id: 'bsky-lab', kind: 'bluesky-author', actor: 'newsroom.lab.example', trust: 'official', speaksFor: ['meta'], publisher: 'lab.example', where: { file: 't' } };
    xrpc.posts.push(
      { handle: 'newsroom.lab.example', rkey: '3lab1', text: 'Our model card is out.', createdAt: '2026-11-21T09:00:00.000Z' },
      { handle: 'other-lab.example', rkey: '3oth1', text: 'We have signed the CAISI agreement.', createdAt: '2026-11-21T10:00:00.000Z', repostedBy: ['newsroom.lab.example'] },
    );
    const p = await pollSource(fetcher, lab, undefined, deps(new BlueskyReader({ service: xrpc.url })));
    expect(p.error).toBeUndefined();
    expect(p.items.map((i) => `${i.author}: ${i.text}`)).toEqual(['newsroom.lab.example: Our model card is out.']);
  });
});

describe('a rate-limited Bluesky', () => {
  const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

  it.each([
    ['RateLimit-Reset in five minutes', { 'ratelimit-reset': String(NOW.getTime() / 1000 + 300) }, 300_000],
    ['an absurd RateLimit-Reset', { 'ratelimit-reset': '999999999999' }, 86_400_000],
    ['an absurd Retry-After', { 'retry-after': '9999999999999' }, 86_400_000],
    ['no wait named', {}, 90 * 60_000],
  ])('%s: the source waits what was asked, a day at most, and so do the other Bluesky sources', async (_name, headers, wait) => {
    const reader = new BlueskyReader({ service: xrpc.url });
    xrpc.rateLimited = headers;
    try {
      const p = await pollSource(fetcher, agency, undefined, deps(reader));
      expect(p).toMatchObject({ outcome: 'error', error: expect.stringMatching(/^Bluesky: 429 /) });
      expect(p.state.nextPoll).toBe(at(wait));
      const before = xrpc.calls.length;
      const other = await pollSource(fetcher, reporter, undefined, deps(reader));
      expect(other).toMatchObject({ outcome: 'skipped', held: true });
      expect(other.state.nextPoll).toBe(at(wait));
      expect(xrpc.calls.length).toBe(before);
    } finally {
      xrpc.rateLimited = undefined;
    }
  });
});

describe('dates Bluesky sends', () => {
  it('a post indexed in the far future does not move the cursor past every later post', async () => {
    const odd: Source = { id: 'bsky-odd', kind: 'bluesky-author', actor: 'odd.example.com', trust: 'press', publisher: 'odd.example.com', where: { file: 't' } };
    xrpc.posts.push(
      { handle: 'odd.example.com', rkey: '3odd1', text: 'A plain post.', createdAt: '2026-11-20T10:00:00.000Z' },
      { handle: 'odd.example.com', rkey: '3odd3', text: 'A post from the far future.', createdAt: '9999-12-31T00:00:00.000Z' },
    );
    const p = await pollSource(fetcher, odd, undefined, deps(new BlueskyReader({ service: xrpc.url })));
    expect(p.error).toBeUndefined();
    expect(p.outcome).toBe('ok');
    expect(p.items).toHaveLength(2);
    expect(p.state.cursor).toBe('2026-11-20T10:00:00.000Z');
  });
});
