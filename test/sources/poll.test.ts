import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Source } from '../../src/config/types.js';
import { Fetcher, STOPPED_MESSAGE } from '../../src/http/fetch.js';
import { backoffMs, initialState, pollSource, type Poll } from '../../src/sources/poll.js';
import type { SourceState } from '../../src/model/ledger.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

let server: FixtureServer;
let fetcher: Fetcher;
const NOW = new Date('2026-11-27T12:00:00Z');

beforeAll(async () => {
  server = await startFixtureServer();
  // The fixture server is on 127.0.0.1; fetch.test.ts shows the refusal this lifts.
  fetcher = new Fetcher({ hostSpacingMs: 0, deadlineMs: 1_500, maxBytes: 1024 * 1024, allowPrivateNetwork: true });
});
afterAll(async () => {
  await fetcher.close();
  await server.close();
});

function source(path: string, over: Partial<Source> = {}): Source {
  return { id: path.replace(/\W+/g, '-'), kind: 'rss', url: server.url(path), trust: 'press', publisher: 'wire.example', where: { file: 'test' }, ...over };
}

function poll(src: Source, stored?: SourceState, force = true): Promise<Poll> {
  return pollSource(fetcher, src, stored, { now: () => NOW, random: () => 0.5, force });
}

describe('feeds of every shape', () => {
  it('RSS 2 items carry the source\'s trust and publisher, their own ids, urls and dates', async () => {
    const p = await poll(source('/feeds/rss2-caisi.xml'));
    expect(p.outcome).toBe('ok');
    expect(p.first).toBe(true);
    expect(p.items).toHaveLength(3);
    expect(p.items[0]).toMatchObject({
      id: 'wire-2026-11-20-meta-caisi',
      url: 'https://wire.example/tech/2026/11/20/meta-caisi?utm_source=rss',
      title: 'Meta signs CAISI pre-release testing agreement',
      trust: 'press',
      publisher: 'wire.example',
      author: 'A. Reporter',
      publishedAt: new Date('2026-11-20T14:00:00Z'),
    });
    expect(p.items[0]!.text).toMatch(/has signed the government’s pre-release testing agreement/);
  });

  it('Atom and RSS 1.0 parse too', async () => {
    const atom = await poll(source('/feeds/atom-newsroom.xml', { trust: 'official', speaksFor: ['meta'] }));
    expect(atom.items[0]).toMatchObject({ id: 'tag:lab.example,2026:caisi', url: 'https://lab.example/news/caisi-testing', speaksFor: ['meta'] });
    expect(atom.items[0]!.text).toMatch(/Today we signed/);
    const rss1 = await poll(source('/feeds/rss1.rdf'));
    expect(rss1.items[0]).toMatchObject({ title: 'CAISI signs pre-release testing agreement with Nvidia', publishedAt: new Date('2026-11-16T10:00:00Z') });
  });

  it('Techmeme items count as their original publisher, keeping the permalink', async () => {
    const p = await poll(source('/feeds/techmeme.xml', { kind: 'techmeme', publisher: 'techmeme.com' }));
    expect(p.items[0]).toMatchObject({
      title: 'Sources: Meta has signed the CAISI pre-release testing agreement after months of White House pressure',
      url: 'https://www.example-times.com/2026/11/20/technology/meta-caisi.html',
      via: 'http://www.techmeme.com/261120/p12#a261120p12',
      publisher: 'example-times.com',
    });
    expect(p.items[1]!.publisher).toBe('example.com');
  });

  it("a news search's items count as the publisher each names in <source url>", async () => {
    const p = await poll(source('/feeds/news-search.xml', { publisher: 'news.search.example' }));
    expect(p.items.map((i) => i.publisher)).toEqual(['example-times.com', 'example-post.co.uk']);
  });

  it('a page without a feed is read through CSS selectors, links resolved against the page', async () => {
    const p = await poll(
      source('/pages/newsroom', { kind: 'html', trust: 'official', speaksFor: 'all', selectors: { item: '.news-item', title: '.headline', date: 'time', summary: '.summary' } }),
    );
    expect(p.outcome).toBe('ok');
    expect(p.items[0]).toMatchObject({
      title: 'CAISI signs pre-release testing agreement with Amazon',
      url: server.url('/news/2026/11/caisi-amazon'),
      publishedAt: new Date('2026-11-18T15:00:00Z'),
      text: 'The Center for AI Standards and Innovation signed an agreement with Amazon Web Services.',
    });
  });
});

describe('article text', () => {
  it('reads the og: tags and main paragraphs of new items that name a party, and only those', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { staticBody, FIXTURES } = await import('../helpers/fixture-server.js');
    server.set('/article/meta', staticBody(readFileSync(join(FIXTURES, 'pages/article-meta.html')), 'text/html; charset=utf-8'));
    const listing = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://x.example/</link><description>d</description>
      <item><title>Meta news</title><link>${server.url('/article/meta')}</link><guid>a1</guid><description>Short teaser.</description></item>
      <item><title>Laptop news</title><link>${server.url('/article/laptop')}</link><guid>a2</guid><description>Nothing here.</description></item>
    </channel></rss>`;
    server.set('/feeds/with-articles', staticBody(listing));
    const before = server.log.length;
    const p = await pollSource(fetcher, source('/feeds/with-articles', { articleText: true }), undefined, {
      now: () => NOW,
      random: () => 0.5,
      force: true,
      wantsArticle: (item) => /Meta/.test(item.title ?? ''),
    });
    expect(p.items[0]!.text).toMatch(/^Short teaser\.\n\nMeta signs government AI testing agreement\n\nThe company agreed to let CAISI test/);
    expect(p.items[0]!.text).toMatch(/Meta has signed the CAISI pre-release testing agreement, ending months/);
    expect(p.items[0]!.text).not.toMatch(/By A\. Reporter|All rights reserved/);
    expect(p.items[1]!.text).toBe('Nothing here.');
    expect(server.log.slice(before).map((l) => l.path)).toEqual(['/feeds/with-articles', '/article/meta']);
  });
});

describe('internal addresses', () => {
  const articleFeed = (link: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://x.example/</link><description>d</description>
      <item><title>Meta news</title><link>${link}</link><guid>a1</guid><description>Short teaser.</description></item></channel></rss>`;
  const articleDeps = { now: () => NOW, random: () => 0.5, force: true, wantsArticle: () => true };

  it("a source on an internal address fails with the address and the reason, until the source allows it; its articles come with it", async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { staticBody, FIXTURES } = await import('../helpers/fixture-server.js');
    const guarded = new Fetcher({ hostSpacingMs: 0 });
    server.set('/internal/article', staticBody(readFileSync(join(FIXTURES, 'pages/article-meta.html')), 'text/html; charset=utf-8'));
    server.set('/internal/feed', staticBody(articleFeed(server.url('/internal/article'))));
    const before = server.log.length;
    try {
      const refused = await pollSource(guarded, source('/internal/feed', { articleText: true }), undefined, articleDeps);
      expect(refused).toMatchObject({ outcome: 'error', items: [], state: { failures: 1 } });
      expect(refused.error).toBe(`refused to connect to 127.0.0.1 (loopback address) for ${server.url('/internal/feed')}; allow it with allowPrivateNetwork: true on the source or PACTWATCH_ALLOW_PRIVATE_NETWORK=1`);
      expect(refused.state.lastError).toBe(refused.error);
      expect(server.log.length).toBe(before);

      const allowed = await pollSource(guarded, source('/internal/feed', { articleText: true, allowPrivateNetwork: true }), undefined, articleDeps);
      expect(allowed.outcome).toBe('ok');
      expect(allowed.items[0]!.text).toMatch(/^Short teaser\.\n\nMeta signs government AI testing agreement/);
      expect(server.log.slice(before).map((l) => l.path)).toEqual(['/internal/feed', '/internal/article']);
    } finally {
      await guarded.close();
    }
  });

  it("an article link on an internal address is not fetched for a source that does not allow it", async () => {
    const { internalKind } = await import('../../src/http/address-guard.js');
    const { startFixtureServer, staticBody } = await import('../helpers/fixture-server.js');
    // news.test stands in for a public site: it resolves to the fixture server, whose 127.0.0.1
    // counts as public here; the article is on 127.0.0.2, which counts as what it is.
    const inside = await startFixtureServer('127.0.0.2');
    const guarded = new Fetcher(
      { hostSpacingMs: 0 },
      { lookup: (_h, o, cb) => (o.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)), internalKind: (a) => (a === '127.0.0.1' ? undefined : internalKind(a)) },
    );
    const port = new URL(server.url('/')).port;
    server.set('/public/feed', staticBody(articleFeed(inside.url('/feeds/rss2-caisi.xml'))));
    try {
      const p = await pollSource(guarded, { ...source('/public/feed', { articleText: true }), url: `http://news.test:${port}/public/feed` }, undefined, articleDeps);
      expect(p.outcome).toBe('ok');
      expect(p.items[0]!.text).toBe('Short teaser.');
      expect(inside.log).toEqual([]);
    } finally {
      await guarded.close();
      await inside.close();
    }
  });
});

describe('charsets and repairs', () => {
  it('windows-1252 from the XML declaration, even when Content-Type says UTF-8', async () => {
    for (const path of ['/feeds/windows-1252.xml', '/wrong-charset']) {
      const p = await poll(source(path));
      expect(p.items[0]!.title).toBe('Microsoft’s CAISI agreement – renewed');
    }
  });

  it('undeclared bytes that are not UTF-8 are read as windows-1252, and the item says so', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { staticBody, FIXTURES } = await import('../helpers/fixture-server.js');
    // No charset in Content-Type, no encoding in the XML declaration, no BOM.
    server.set('/undeclared/cp1252', staticBody(readFileSync(join(FIXTURES, 'feeds/windows-1252-undeclared.xml')), 'application/xml'));
    server.set('/undeclared/utf8', staticBody(readFileSync(join(FIXTURES, 'feeds/utf8-undeclared.xml')), 'application/xml'));
    const legacy = await poll(source('/undeclared/cp1252'));
    expect(legacy.items[0]).toMatchObject({ title: 'Meta won’t sign the CAISI agreement', encoding: 'windows-1252' });
    expect(legacy.items[0]!.text).toContain('its policy chief Renée Müller said');
    expect(legacy.items[0]!.text).not.toContain('\uFFFD');
    const unicode = await poll(source('/undeclared/utf8'));
    expect(unicode.items[0]).toMatchObject({ title: 'Meta won’t sign the CAISI agreement', encoding: 'utf-8' });
    expect(unicode.items[0]!.text).toContain('Renée Müller');
  });

  it('an item records the encoding that was declared', async () => {
    expect((await poll(source('/feeds/windows-1252.xml'))).items[0]!.encoding).toBe('windows-1252');
    expect((await poll(source('/feeds/utf16le-bom.xml'))).items[0]!.encoding).toBe('utf-16le');
    expect((await poll(source('/feeds/rss2-caisi.xml'))).items[0]!.encoding).toBe('utf-8');
  });

  it('UTF-16 and UTF-8 with a byte-order mark', async () => {
    for (const path of ['/feeds/utf16le-bom.xml', '/feeds/utf8-bom.xml']) {
      const p = await poll(source(path));
      expect(p.outcome, path).toBe('ok');
      expect(p.items[0]!.title).toBe('Anthropic renews its CAISI agreement — ü');
    }
  });

  it('HTML named entities and stray ampersands are repaired, not fatal', async () => {
    const p = await poll(source('/feeds/html-entities.xml'));
    expect(p.outcome).toBe('ok');
    expect(p.items[0]!.title).toBe('Anthropic & OpenAI renew CAISI testing — and xAI joins');
    expect(p.items[0]!.text).toBe('Café talk: xAI joined the CAISI program …');
  });

  it('entity tricks are harmless: no expansion, no file read', async () => {
    const laughs = await poll(source('/feeds/billion-laughs.xml'));
    expect(laughs.outcome).toBe('ok');
    expect(laughs.items[0]!.title).toBe('&lol9;');
    const xxe = await poll(source('/feeds/external-entity.xml'));
    expect(xxe.items[0]!.title).toBe('Leak &secret;');
    expect(JSON.stringify(xxe.items)).not.toMatch(/root:/);
  });
});

describe('every fault is a recorded outcome, never a crash', () => {
  const cases: [string, string, RegExp][] = [
    ['500', '/status/500', /^HTTP 500$/],
    ['a slow drip past the deadline', '/slow', /deadline of 1\.5 s passed/],
    ['a truncated body', '/truncated', /body cut short|not a well-formed feed/],
    ['an oversized body', '/oversized', /body over 1 MiB after decompression/],
    ['a gzip bomb', '/gzip-bomb', /body over 1 MiB after decompression/],
    ['a redirect loop', '/loop', /more than 5 redirects/],
    ['an HTML page where a feed was expected', '/html-page', /an HTML page, not a feed/],
    ['JSON served as a feed', '/json', /JSON, not a feed/],
    ['an empty body', '/empty', /empty body/],
    ['a missing page', '/nowhere', /^HTTP 404$/],
  ];
  it.each(cases)('%s', async (_name, path, message) => {
    const p = await poll(source(path));
    expect(p.outcome).toBe('error');
    expect(p.error).toMatch(message);
    expect(p.state).toMatchObject({ failures: 1, lastError: p.error, lastErrorAt: NOW.toISOString() });
    // Back-off: the next poll waits about a minute (jitter ±20%).
    expect(Date.parse(p.state.nextPoll!) - NOW.getTime()).toBe(backoffMs(1, () => 0.5));
  });

  it('a refused connection is an error outcome', async () => {
    const { createServer } = await import('node:net');
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const p = await pollSource(fetcher, { ...source('/x'), url: `http://127.0.0.1:${port}/feed` }, undefined, { now: () => NOW, random: () => 0.5, force: true });
    expect(p).toMatchObject({ outcome: 'error', error: 'connection refused' });
  });

  it('429 and 503 honour Retry-After, in seconds or as a date, and once waits it out', async () => {
    const seconds = await poll(source('/status/429-seconds'));
    expect(seconds.error).toBe('HTTP 429; retry after 90 s');
    expect(seconds.state.nextPoll).toBe(new Date(NOW.getTime() + 90_000).toISOString());
    const date = await poll(source('/status/429-date'));
    expect(date.error).toMatch(/^HTTP 429; retry after (3599|3600) s$/);
    const busy = await poll(source('/status/503'));
    expect(busy.state.nextPoll).toBe(new Date(NOW.getTime() + 120_000).toISOString());
    const again = await poll(source('/status/503'), busy.state);
    expect(again).toMatchObject({ outcome: 'skipped', error: expect.stringMatching(/^waiting until/) });
  });

  it('410 stops polling that source and says so', async () => {
    const p = await poll(source('/status/410'));
    expect(p.state).toMatchObject({ gone: true, lastError: 'HTTP 410 Gone: the feed was removed; polling stopped' });
    expect((await poll(source('/status/410'), p.state)).outcome).toBe('skipped');
  });

  it('a permanent redirect moves the stored URL', async () => {
    const p = await poll(source('/moved'));
    expect(p.outcome).toBe('ok');
    expect(p.state.url).toBe(server.url('/feeds/rss2-caisi.xml'));
  });

  it('back-off doubles up to a day', () => {
    expect([1, 2, 3, 11, 20].map((n) => backoffMs(n, () => 0.5))).toEqual([60_000, 120_000, 240_000, 61_440_000, 86_400_000]);
  });

  it("a source polled every second backs off from its own interval, and a slow one from a minute", async () => {
    expect([1, 2, 3].map((n) => backoffMs(n, () => 0.5, 1_000))).toEqual([1_000, 2_000, 4_000]);
    expect(backoffMs(1, () => 0.5, 15 * 60_000)).toBe(60_000);
    const p = await pollSource(fetcher, source('/status/500'), undefined, { now: () => NOW, random: () => 0.5, force: false, intervalMs: () => 1_000 });
    expect(Date.parse(p.state.nextPoll!) - NOW.getTime()).toBe(1_000);
  });
});

describe('conditional GET', () => {
  it('a second poll of an unchanged feed transfers no body', async () => {
    const src = source('/feeds/atom-newsroom.xml');
    const first = await poll(src);
    const before = server.log.length;
    const second = await poll(src, first.state);
    expect(second).toMatchObject({ outcome: 'not-modified', items: [] });
    const request = server.log.slice(before).find((l) => l.path === '/feeds/atom-newsroom.xml')!;
    expect(request).toMatchObject({ status: 304, bodyBytes: 0 });
    expect(request.ifNoneMatch).toBe(first.state.etag);
  });
});

describe('waits a server asks for are bounded', () => {
  const DAY = 86_400_000;

  it.each([
    ['more seconds than a Date can hold', '/status/429-absurd-seconds', '9999999999999'],
    ['the year 33715', '/status/429-year-33715', '999999999999'],
    ['a date in the year 9999', '/status/429-far-date', 'Fri, 31 Dec 9999 23:59:59 GMT'],
  ])('a Retry-After of %s waits a day at most, and is an outcome, not a crash', async (_name, path, header) => {
    const p = await poll(source(path));
    expect(p.outcome).toBe('error');
    expect(p.error).toBe(`HTTP 429; retry after 86400 s (asked for ${header}; a day at most)`);
    expect(p.state.nextPoll).toBe(new Date(NOW.getTime() + DAY).toISOString());
  });

  it('a 429 without Retry-After holds every source on that host for an hour or two, and no other host', async () => {
    const other = await startFixtureServer();
    const held = new Fetcher({ hostSpacingMs: 0, allowPrivateNetwork: true }, { now: () => NOW.getTime(), random: () => 0.25 });
    try {
      const deps = { now: () => NOW, random: () => 0.5, force: true };
      const limited = await pollSource(held, source('/status/429-bare'), undefined, deps);
      // An hour, plus a quarter of another (the injected randomness).
      const until = new Date(NOW.getTime() + 75 * 60_000).toISOString();
      expect(limited).toMatchObject({ outcome: 'error', error: `HTTP 429 without Retry-After from ${new URL(server.url('/')).host}; every source there waits 75 min` });
      expect(limited.state).toMatchObject({ failures: 1, nextPoll: until });

      const before = server.log.length;
      const sibling = await pollSource(held, source('/feeds/rss2-caisi.xml'), undefined, deps);
      expect(sibling).toMatchObject({ outcome: 'skipped', held: true, error: expect.stringMatching(/^waiting until .*: .* answered HTTP 429 without Retry-After to \/status\/429-bare/) });
      // Its wait is stored, so the next run (a `once`, which ignores schedules) skips it too.
      expect(sibling.state).toMatchObject({ failures: 1, nextPoll: until });
      expect((await pollSource(held, source('/feeds/rss2-caisi.xml'), sibling.state, deps)).outcome).toBe('skipped');
      expect(server.log.length).toBe(before);

      const elsewhere = await pollSource(held, { ...source('/feeds/rss2-caisi.xml'), url: other.url('/feeds/rss2-caisi.xml') }, undefined, deps);
      expect(elsewhere.outcome).toBe('ok');
    } finally {
      await held.close();
      await other.close();
    }
  });

  it('a 503 without Retry-After holds the host too', async () => {
    const held = new Fetcher({ hostSpacingMs: 0, allowPrivateNetwork: true }, { now: () => NOW.getTime(), random: () => 1 });
    try {
      const p = await pollSource(held, source('/status/503-bare'), undefined, { now: () => NOW, random: () => 0.5, force: true });
      expect(p.state.nextPoll).toBe(new Date(NOW.getTime() + 2 * 3_600_000).toISOString());
    } finally {
      await held.close();
    }
  });

  it('a stored wait that no version of this code could have meant does not silence a source', async () => {
    const src = source('/feeds/atom-newsroom.xml');
    const stored = (nextPoll: string) => ({ ...(initialStateFor(src)), failures: 3, lastError: 'HTTP 429', lastErrorAt: NOW.toISOString(), nextPoll });
    for (const nextPoll of ['+033715-01-01T00:00:00.000Z', 'Invalid Date', '']) {
      const p = await pollSource(fetcher, src, stored(nextPoll), { now: () => NOW, random: () => 0.5, force: false });
      expect(p.outcome, nextPoll).toBe('ok');
    }
    // A wait within a day is honoured.
    const soon = await pollSource(fetcher, src, stored(new Date(NOW.getTime() + 3_600_000).toISOString()), { now: () => NOW, random: () => 0.5, force: true });
    expect(soon.outcome).toBe('skipped');
  });
});

function initialStateFor(src: Source): SourceState {
  return { id: src.id, kind: src.kind, url: src.url ?? null, etag: null, lastModified: null, cursor: null, lastSuccess: null, lastError: null, lastErrorAt: null, failures: 0, nextPoll: null, gone: false, unreliableGuids: null, degraded: null };
}

describe('a fault nobody foresaw', () => {
  it('is that source\'s outcome, with a back-off, not a rejected poll', async () => {
    const p = await pollSource(fetcher, source('/feeds/rss2-caisi.xml', { articleText: true }), undefined, {
      now: () => NOW,
      random: () => 0.5,
      force: true,
      wantsArticle: () => {
        throw new Error('the extractor fell over');
      },
    });
    expect(p).toMatchObject({ outcome: 'error', error: 'unexpected error: the extractor fell over', state: { failures: 1, nextPoll: new Date(NOW.getTime() + 60_000).toISOString() } });
  });
});

describe('the stop signal', () => {
  // Deadlines and spacings far beyond the test's time: only the stop can end the waits.
  const deps = (stop: AbortController) => ({ now: () => NOW, random: () => 0.5, force: true, stop: stop.signal });

  it("ends a request in flight, and the poll it cuts short is recorded but not counted as the source's failure", async () => {
    const stop = new AbortController();
    const stoppable = new Fetcher({ hostSpacingMs: 0, deadlineMs: 600_000, allowPrivateNetwork: true }, { stop: stop.signal });
    try {
      const stored: SourceState = { ...initialState(source('/slow')), failures: 2, nextPoll: '2026-11-27T11:00:00.000Z' };
      setTimeout(() => stop.abort(), 300);
      const cut = await pollSource(stoppable, source('/slow'), stored, deps(stop));
      expect(cut).toMatchObject({ outcome: 'error', error: STOPPED_MESSAGE, items: [] });
      expect(cut.state).toEqual({ ...stored, lastError: STOPPED_MESSAGE, lastErrorAt: NOW.toISOString() });
    } finally {
      await stoppable.close();
    }
  });

  it('ends the wait between two requests to one host, and starts no request after it', async () => {
    const stop = new AbortController();
    const stoppable = new Fetcher({ hostSpacingMs: 3_600_000, deadlineMs: 600_000, allowPrivateNetwork: true }, { stop: stop.signal });
    try {
      expect((await pollSource(stoppable, source('/feeds/rss2-caisi.xml'), undefined, deps(stop))).outcome).toBe('ok');
      const before = server.log.length;
      setTimeout(() => stop.abort(), 300);
      const waited = await pollSource(stoppable, source('/feeds/atom-newsroom.xml'), undefined, deps(stop));
      expect(waited).toMatchObject({ outcome: 'error', error: STOPPED_MESSAGE, state: { failures: 0, lastSuccess: null } });
      expect(server.log.length).toBe(before);
    } finally {
      await stoppable.close();
    }
  });
});
