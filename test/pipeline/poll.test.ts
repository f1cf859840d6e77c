// Polls through the pipeline into a real ledger: feeds served by a local fixture server, polled
// as `once` and the daemon poll them, then what the store holds.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { pollAll, type SourceReport } from '../../src/pipeline/poll.js';
import { Fetcher } from '../../src/http/fetch.js';
import { formatStatus, statusSnapshot } from '../../src/status/snapshot.js';
import { copyConfig, pactwatch } from '../helpers/cli.js';
import { FIXTURES, startFixtureServer, staticBody, type FixtureServer } from '../helpers/fixture-server.js';
import { freshApp } from '../helpers/ledger.js';

let server: FixtureServer;
let fetcher: Fetcher;
const NOW = new Date('2026-11-21T12:00:00Z');

beforeAll(async () => {
  server = await startFixtureServer();
  fetcher = new Fetcher({ hostSpacingMs: 0, deadlineMs: 5_000, allowPrivateNetwork: true });
});
afterAll(async () => {
  await fetcher.close();
  await server.close();
});

let n = 0;
/** A fresh ledger whose one source is the feed at a path of its own; `serve` changes what that path serves. */
function newsroom(source: string): { app: App; config: string; serve: (body: string | Buffer, contentType?: string) => void; poll: () => Promise<SourceReport> } {
  const path = `/polling/${++n}.xml`;
  const config = copyConfig();
  writeFileSync(join(config, 'sources.yaml'), `sources:\n  - { id: newsroom, kind: rss, url: '${server.url(path)}', ${source} }\n`);
  const app = freshApp({ configDir: config });
  return {
    app,
    config,
    serve: (body, contentType = 'application/rss+xml; charset=utf-8') => server.set(path, staticBody(body, contentType)),
    poll: async () => (await pollAll(app, { now: () => NOW, random: () => 0.5, force: true }, { fetcher }))[0]!,
  };
}

const fixture = (name: string) => readFileSync(join(FIXTURES, 'feeds', name));

function rss(items: { guid: string; link?: string; title: string; text: string }[]): string {
  const body = items
    .map((i) => `<item><title>${i.title}</title>${i.link ? `<link>${i.link}</link>` : ''}<guid>${i.guid}</guid><pubDate>Fri, 20 Nov 2026 15:00:00 GMT</pubDate><description>${i.text}</description></item>`)
    .join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link><description>x</description>${body}</channel></rss>`;
}

const storedUrls = (app: App) => (app.store.db.prepare('SELECT url FROM items ORDER BY id').all() as { url: string }[]).map((r) => r.url);

describe('feeds that give many items one GUID', () => {
  it("a newsroom's new story arrives with an old story's GUID: it is stored, and Meta's own statement confirms Meta", async () => {
    const { app, serve, poll } = newsroom("trust: official, speaksFor: [meta]");
    serve(fixture('shared-guid-newsroom-before.xml'));
    expect(await poll()).toEqual({ id: 'newsroom', outcome: 'ok', items: 1, newItems: 1 });
    expect(app.store.partyState('caisi', 'meta').status).toBe('holdout');

    serve(fixture('shared-guid-newsroom-after.xml'));
    const second = await poll();
    expect(second).toMatchObject({ outcome: 'ok', items: 2, newItems: 1, warning: expect.stringMatching(/GUID/) });
    expect(storedUrls(app)).toEqual(['https://about.meta.example/news/2026/11/open-model-family/', 'https://about.meta.example/news/2026/11/caisi-agreement/']);
    const claims = app.store.db.prepare('SELECT a.party, a.status, i.url FROM assertions a JOIN items i ON i.id = a.item_id').all();
    expect(claims).toEqual([{ party: 'meta', status: 'signed', url: 'https://about.meta.example/news/2026/11/caisi-agreement/' }]);
    expect(app.store.partyState('caisi', 'meta').status).toBe('signed');
    expect(app.store.alerts()).toMatchObject([{ party: 'meta', status: 'signed' }]);

    // The finding is kept on the source's state, where `status` shows it, and later polls go on
    // keying its items by link and text; a repeat is still a repeat.
    expect(app.store.sourceState('newsroom')?.unreliableGuids).toMatch(/https:\/\/about\.meta\.example\/news\//);
    expect(statusSnapshot(app.config, app.store).sources[0]).toMatchObject({ id: 'newsroom', warning: expect.stringMatching(/GUID/) });
    expect(formatStatus(statusSnapshot(app.config, app.store))).toMatch(/\n {4}warning: GUIDs unreliable since 2026-11-21T12:00:00\.000Z: one GUID \("https:\/\/about\.meta\.example\/news\/"\) on two stories/);
    serve(rss([{ guid: 'https://about.meta.example/news/', link: 'https://about.meta.example/news/2026/11/llama-safety/', title: 'Our safety report', text: 'We publish our safety report.' }]));
    expect(await poll()).toMatchObject({ items: 1, newItems: 1 });
    serve(fixture('shared-guid-newsroom-after.xml'));
    expect(await poll()).toMatchObject({ items: 2, newItems: 0 });
    expect((await poll()).warning).toBeUndefined();
    app.close();
  });

  it('two different stories that share one GUID in one poll are both stored', async () => {
    const { app, serve, poll } = newsroom('trust: official, speaksFor: [meta]');
    serve(fixture('shared-guid-newsroom-after.xml'));
    expect(await poll()).toMatchObject({ outcome: 'ok', items: 2, newItems: 2, warning: expect.stringMatching(/GUID/) });
    expect(storedUrls(app).sort()).toEqual(['https://about.meta.example/news/2026/11/caisi-agreement/', 'https://about.meta.example/news/2026/11/open-model-family/']);
    app.close();
  });

  it("a new story under an old story's GUID gets its article's text fetched like any new story", async () => {
    const { app, serve, poll } = newsroom('trust: press, articleText: true');
    server.set('/polling-article/meta', staticBody(readFileSync(join(FIXTURES, 'pages/article-meta.html')), 'text/html; charset=utf-8'));
    serve(rss([{ guid: 'https://wire.example/', link: server.url('/polling-article/old'), title: 'Workshop on standards', text: 'Registration is open.' }]));
    await poll();
    serve(rss([{ guid: 'https://wire.example/', link: server.url('/polling-article/meta'), title: 'Meta news', text: 'Short teaser.' }]));
    expect(await poll()).toMatchObject({ newItems: 1 });
    const stored = app.store.db.prepare('SELECT text FROM items WHERE url = ?').get(server.url('/polling-article/meta')) as { text: string };
    expect(stored.text).toMatch(/^Short teaser\.\n\nMeta signs government AI testing agreement/);
    app.close();
  });

  it('items without links that share one GUID are told apart by their text', async () => {
    const { app, serve, poll } = newsroom('trust: press');
    serve(rss([{ guid: 'same', title: 'Workshop on standards', text: 'Registration is open.' }]));
    expect(await poll()).toMatchObject({ newItems: 1 });
    serve(rss([{ guid: 'same', title: 'Nvidia withdraws from the CAISI agreement', text: 'Nvidia has withdrawn from the CAISI pre-release testing agreement.' }]));
    expect(await poll()).toMatchObject({ newItems: 1, warning: expect.stringMatching(/GUID/) });
    app.close();
  });
});

describe('feeds whose GUIDs are their own', () => {
  it('a re-polled item, an item edited in place and an item whose link moved are repeats, and the GUIDs stay trusted', async () => {
    const { app, serve, poll } = newsroom('trust: press');
    const a = { guid: 'a', link: 'https://wire.example/a', title: 'Workshop on standards', text: 'Registration is open.' };
    const b = { guid: 'b', link: 'https://wire.example/b', title: 'Chipmaker unveils a laptop processor', text: 'The part targets thin laptops.' };
    const c = { guid: 'c', link: 'https://wire.example/c', title: 'A new cloud region opens', text: 'The region serves three countries.' };
    serve(rss([a, b, c]));
    expect(await poll()).toEqual({ id: 'newsroom', outcome: 'ok', items: 3, newItems: 3 });
    const d = { guid: 'd', link: 'https://wire.example/d', title: 'Nvidia withdraws from the CAISI agreement', text: 'Nvidia has withdrawn from the CAISI pre-release testing agreement.' };
    serve(rss([d, a, { ...b, text: 'The part targets thin laptops sold under $700.' }, { ...c, link: 'https://wire.example/2026/c' }]));
    expect(await poll()).toEqual({ id: 'newsroom', outcome: 'ok', items: 4, newItems: 1 });
    expect(app.store.sourceState('newsroom')?.unreliableGuids).toBeNull();
    expect(app.store.db.prepare('SELECT guid FROM items ORDER BY id').all()).toEqual([{ guid: 'a' }, { guid: 'b' }, { guid: 'c' }, { guid: 'd' }]);
    app.close();
  });
});

describe('encodings', () => {
  it('the stored item says what its feed was decoded as', async () => {
    const legacy = newsroom('trust: press');
    legacy.serve(fixture('windows-1252-undeclared.xml'), 'application/xml');
    await legacy.poll();
    expect(legacy.app.store.db.prepare('SELECT title, encoding FROM items').all()).toEqual([{ title: 'Meta won’t sign the CAISI agreement', encoding: 'windows-1252' }]);
    legacy.app.close();
    const unicode = newsroom('trust: press');
    unicode.serve(fixture('utf8-undeclared.xml'), 'application/xml');
    await unicode.poll();
    expect(unicode.app.store.db.prepare('SELECT encoding FROM items').all()).toEqual([{ encoding: 'utf-8' }]);
    unicode.app.close();
  });
});

describe('a source that says its items are about an agreement', () => {
  const story = { guid: 'g1', link: 'https://agency.example/news/2026/11/statement', title: 'Statement on frontier model testing', text: 'Meta signed the agreement on Tuesday.' };
  const claimsIn = (db: Database.Database) =>
    db.prepare("SELECT a.party, a.status, a.modality, a.rule, a.evidence FROM assertions a JOIN items i ON i.id = a.item_id WHERE i.source_id = 'newsroom' ORDER BY a.id").all();

  it("gives an item that names no agreement the source's agreement; the same feed without `about` gives nothing", async () => {
    const about = newsroom('trust: official, speaksFor: all, about: caisi');
    about.serve(rss([story]));
    expect(await about.poll()).toMatchObject({ outcome: 'ok', items: 1, newItems: 1 });
    expect(claimsIn(about.app.store.db)).toEqual([{ party: 'meta', status: 'signed', modality: 'asserted', rule: 'signed', evidence: 'Meta signed the agreement on Tuesday.' }]);
    expect(about.app.store.partyState('caisi', 'meta').status).toBe('signed');
    about.app.close();

    const plain = newsroom('trust: official, speaksFor: all');
    plain.serve(rss([story]));
    expect(await plain.poll()).toMatchObject({ outcome: 'ok', items: 1, newItems: 1 });
    expect(claimsIn(plain.app.store.db)).toEqual([]);
    expect(plain.app.store.partyState('caisi', 'meta').status).toBe('holdout');
    plain.app.close();
  });

  it('replay of the stored item, naming its source, gives what the live poll gave', async () => {
    const live = newsroom('trust: official, speaksFor: all, about: caisi');
    live.serve(rss([story]));
    await live.poll();
    const polled = claimsIn(live.app.store.db);
    const changes = live.app.store.db.prepare("SELECT party, from_status, to_status FROM transitions WHERE kind <> 'seed'").all();
    live.app.close();
    expect(polled).toHaveLength(1);

    const dir = mkdtempSync(join(tmpdir(), 'pw-about-replay-'));
    const file = join(dir, 'items.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: story.guid, title: story.title, text: story.text, url: story.link, published: '2026-11-20T15:00:00Z', source: 'newsroom' })}\n`);
    const run = await pactwatch(['replay', file, '--config', live.config, '--db', join(dir, 'replayed.db')]);
    expect(run.code, run.stderr).toBe(0);
    const replayed = new Database(join(dir, 'replayed.db'), { readonly: true });
    expect(claimsIn(replayed)).toEqual(polled);
    expect(replayed.prepare("SELECT party, from_status, to_status FROM transitions WHERE kind <> 'seed'").all()).toEqual(changes);
    replayed.close();
  });
});
