// The world's news sites on one 127.0.0.1 port: /feeds/<feed> serves, in that feed's own format,
// the newest entries whose simulated time has come. Bodies carry an ETag, so an unchanged feed
// answers 304. With a fault rate set, requests fail at random as real sites do: a 500, a 429
// with Retry-After, a hang (the client's deadline ends it), a body cut off part-way, or a feed
// whose CMS gives every item one GUID. /decoys/ holds sources that are hostile every time: one
// that asks for an absurd wait, and one the daemon must never reach (an internal address).
import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { escapeMarkup as escapeXml } from '../src/text/markup.js';
import type { Entry, FeedId } from './story.js';

/** How many entries a feed shows: the newest, as real feeds do. */
export const FEED_WINDOW = 100;

export type Fault = '500' | '429' | 'hang' | 'truncated' | 'shared-guid';
export const FAULTS: readonly Fault[] = ['500', '429', 'hang', 'truncated', 'shared-guid'];

/** The decoys' paths, and what each answers. */
export const DECOYS = {
  /** A Retry-After about 300,000 years off. */
  absurdWait: '/decoys/absurd-wait',
  /** Configured on a name that resolves to loopback, without allowPrivateNetwork: never to be requested. */
  internal: '/decoys/internal',
} as const;

/** What a CMS that gives every item one GUID puts there: the site's own address. */
const SHARED_GUID = 'https://example.test/newsroom';

export interface FeedServer {
  url: string;
  /** Requests answered, by outcome ('200', '304', or a fault). */
  served: Map<string, number>;
  /** The chance (0–1) that a request meets a fault. */
  faultRate: number;
  close(): Promise<void>;
}

const rfc822 = (d: Date) => d.toUTCString();

function rss(title: string, entries: Entry[], date: (e: Entry) => Date, sharedGuid: boolean): string {
  const items = entries.map((e) => `<item><title>${escapeXml(e.title)}</title><link>${escapeXml(e.link)}</link><guid isPermaLink="false">${sharedGuid ? SHARED_GUID : e.id}</guid><pubDate>${rfc822(date(e))}</pubDate><description>${escapeXml(e.text)}</description></item>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${escapeXml(title)}</title><link>https://example.test/</link><description>world fixture</description>\n${items.join('\n')}\n</channel></rss>\n`;
}

function atom(title: string, entries: Entry[], date: (e: Entry) => Date, sharedGuid: boolean): string {
  const items = entries.map((e) => `<entry><title>${escapeXml(e.title)}</title><link href="${escapeXml(e.link)}"/><id>${sharedGuid ? SHARED_GUID : `urn:world:${e.id}`}</id><updated>${date(e).toISOString()}</updated><summary>${escapeXml(e.text)}</summary></entry>`);
  const updated = entries[0] ? date(entries[0]).toISOString() : new Date(0).toISOString();
  return `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>${escapeXml(title)}</title><id>urn:world:herald</id><updated>${updated}</updated>\n${items.join('\n')}\n</feed>\n`;
}

/** Techmeme's shape: the item links to Techmeme; the description links to the original story. */
function techmeme(entries: Entry[], date: (e: Entry) => Date): string {
  const items = entries.map((e) => {
    const permalink = `http://www.techmeme.com/world/${e.id}`;
    const body = `<p><A HREF="${escapeXml(e.link)}">World Reporter / ${escapeXml(new URL(e.link).hostname)}</A>:<br/><SPAN><B><A HREF="${escapeXml(e.link)}">${escapeXml(e.title)}</A></B></SPAN>&nbsp; &mdash;&nbsp; ${escapeXml(e.text)}</p>`;
    return `<item><title>${escapeXml(e.title)}</title><link>${permalink}</link><description><![CDATA[${body}]]></description><pubDate>${rfc822(date(e))}</pubDate><guid>${permalink}</guid></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Techmeme</title><link>https://www.techmeme.com/</link><description>world fixture</description>\n${items.join('\n')}\n</channel></rss>\n`;
}

function newsroom(entries: Entry[], date: (e: Entry) => Date): string {
  const items = entries.map((e) => `<article><h3>${escapeXml(e.title)}</h3><a href="${escapeXml(e.link)}">Read more</a><time datetime="${date(e).toISOString()}">${date(e).toDateString()}</time><p>${escapeXml(e.text)}</p></article>`);
  return `<!doctype html>\n<html><head><title>Meta Newsroom</title></head><body><main>\n${items.join('\n')}\n</main></body></html>\n`;
}

export const SELECTORS = { item: 'article', title: 'h3', link: 'a[href]', date: 'time', summary: 'p' };

function render(feed: FeedId, entries: Entry[], date: (e: Entry) => Date, sharedGuid: boolean): { body: string; type: string } {
  switch (feed) {
    case 'herald':
      return { body: atom('The Herald', entries, date, sharedGuid), type: 'application/atom+xml; charset=utf-8' };
    case 'techmeme':
      return { body: techmeme(entries, date), type: 'application/rss+xml; charset=utf-8' };
    case 'meta-newsroom':
      return { body: newsroom(entries, date), type: 'text/html; charset=utf-8' };
    default:
      return { body: rss(feed, entries, date, sharedGuid), type: 'application/rss+xml; charset=utf-8' };
  }
}

/**
 * Serves `visible(feed)` (the newest FEED_WINDOW entries, newest first) at /feeds/<feed>, and
 * the entries in `pages` at /articles/<id>. `random` decides faults, so a seeded
 * world misbehaves the same way each run.
 */
export async function startFeedServer(visible: (feed: FeedId) => Entry[], date: (e: Entry) => Date, random: () => number, pages: ReadonlyMap<string, Entry> = new Map()): Promise<FeedServer> {
  const served = new Map<string, number>();
  const count = (what: string) => served.set(what, (served.get(what) ?? 0) + 1);
  const hanging = new Set<ServerResponse>();
  const state: FeedServer = { url: '', served, faultRate: 0, close: async () => {} };
  const server = createServer((req, res) => {
    const article = /^\/articles\/([\w-]+)$/.exec(req.url ?? '')?.[1];
    if (article) {
      // A story's own page, for the post's link card.
      const e = pages.get(article);
      if (!e) return void res.writeHead(404).end('no such article');
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head><title>${escapeXml(e.title)}</title><meta property="og:title" content="${escapeXml(e.title)}"><meta property="og:description" content="${escapeXml(e.text)}"></head><body><p>${escapeXml(e.text)}</p></body></html>`);
    }
    if (req.url === DECOYS.absurdWait || req.url === DECOYS.internal) {
      count(req.url);
      return void res.writeHead(429, { 'retry-after': '9999999999999' }).end();
    }
    const feed = /^\/feeds\/([a-z-]+)$/.exec(req.url ?? '')?.[1] as FeedId | undefined;
    if (!feed) return void res.writeHead(404).end('no such feed');
    const fault = random() < state.faultRate ? FAULTS[Math.floor(random() * FAULTS.length)]! : undefined;
    if (fault) count(fault);
    if (fault === '500') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
    if (fault === '429') return void res.writeHead(429, { 'retry-after': '1' }).end();
    if (fault === 'hang') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    const entries = visible(feed);
    // Another body, so another ETag: a 304 must not hide it.
    const sharedGuid = fault === 'shared-guid';
    const etag = `"${createHash('sha1').update(entries.map((e) => e.id).join('\n')).digest('hex').slice(0, 16)}${sharedGuid ? '-shared' : ''}"`;
    const { body, type } = render(feed, entries, date, sharedGuid);
    const bytes = Buffer.from(body);
    if (fault === 'truncated') {
      // Promise the whole body, send half, drop the connection.
      res.writeHead(200, { 'content-type': type, 'content-length': bytes.length, etag });
      res.write(bytes.subarray(0, bytes.length >> 1));
      return void setTimeout(() => res.destroy(), 5);
    }
    if (req.headers['if-none-match'] === etag) {
      count('304');
      return void res.writeHead(304, { etag }).end();
    }
    count('200');
    res.writeHead(200, { 'content-type': type, 'content-length': bytes.length, etag }).end(bytes);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((done) => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close(() => done());
    });
  return state;
}
