// Parsing what a source fetched: RSS 0.9x/1/2 and Atom (rss-parser on repaired text), Techmeme
// (the original publisher from the item's HTML), and pages without a feed (CSS selectors).
import { createHash } from 'node:crypto';
import { parseItemDate } from '../text/item-date.js';
import { registrableDomain } from '../text/urls.js';
import { repairXml } from '../http/decode.js';
import { htmlText, loadPage, MAX_HTML_DEPTH } from '../http/html.js';
import { newParser, textOf } from './rss-parser.js';

/** One entry of a feed or page, before the source's trust and publisher are attached. */
export interface Entry {
  id: string;
  url?: string | undefined;
  title?: string | undefined;
  text: string;
  author?: string | undefined;
  publishedAt?: Date | undefined;
  /** For a Techmeme entry: the original article's publisher, which corroboration counts. */
  publisher?: string | undefined;
  /** For a Techmeme entry: its permalink on Techmeme. */
  via?: string | undefined;
}

export class FeedError extends Error {
  override name = 'FeedError';
}

/** An author element's <name> when it has one (Atom's shape, which some RSS feeds copy), else the element. */
function nameOf(value: unknown): unknown {
  const name = value !== null && typeof value === 'object' ? (value as Record<string, unknown>).name : undefined;
  return name ?? value;
}

function plain(value: unknown): string {
  const text = textOf(value);
  return text ? htmlText(text) : '';
}

/** A year-month-day that does not exist (2026-02-30), which Date() would roll over into March. */
function impossibleDay(v: string): boolean {
  const m = /^(\d{4})-(\d\d)-(\d\d)/.exec(v);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// Before 1991 there were no news feeds: such dates are defaults (the Unix epoch) or garbage.
const EARLIEST = Date.UTC(1991, 0, 1);

function dateOf(...values: unknown[]): Date | undefined {
  for (const value of values) {
    const v = textOf(value)?.trim();
    if (!v) continue;
    // Date() guesses a year for what has none ("Nov 18" is 2001, "1" is 2001-01-01): require one.
    const d = parseItemDate(v) ?? (/\d{4}/.test(v) && !impossibleDay(v) ? new Date(v) : undefined);
    if (d && !Number.isNaN(d.getTime()) && d.getTime() >= EARLIEST) return d;
  }
  return undefined;
}

function idOf(...parts: (string | undefined)[]): string {
  const first = parts.find((p) => p && p.trim());
  return first ? first.trim() : createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 24);
}

/** An absolute http(s) URL, resolved against `base`; anything else (javascript:, data:, file:, garbage) is no link. */
export function webUrl(href: string | undefined, base: string | undefined): string | undefined {
  const h = href?.trim();
  if (!h) return undefined;
  try {
    const url = new URL(h, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** The name of the first element, after the XML declaration, comments, processing instructions and a DOCTYPE. */
function rootElement(xml: string): string | undefined {
  let at = 0;
  for (;;) {
    while (at < xml.length && /\s/.test(xml[at]!)) at++;
    const close = xml.startsWith('<?', at) ? '?>' : xml.startsWith('<!--', at) ? '-->' : xml.startsWith('<!', at) ? '>' : undefined;
    if (!close) return /^<([A-Za-z_][\w.:-]*)/.exec(xml.slice(at, at + 256))?.[1];
    const end = xml.indexOf(close, at + 2);
    if (end < 0) return undefined; // a declaration that never closes
    at = end + close.length;
  }
}

const FEED_ROOTS = new Set(['rss', 'rdf:RDF', 'feed']);

function notAFeed(xml: string, base: string | undefined): FeedError {
  const head = xml.trimStart();
  const root = rootElement(repairXml(xml));
  if (/^<!doctype\s+html/i.test(head) || /^(?:\w+:)?html$/i.test(root ?? '')) {
    const feed = webUrl(loadPage(xml)?.('link[rel~="alternate"][type*="rss+xml"], link[rel~="alternate"][type*="atom+xml"]').attr('href'), base);
    return new FeedError(`an HTML page, not a feed${feed ? ` (the page links to a feed: ${feed})` : ''}`);
  }
  return new FeedError(`not a feed: the root element is <${root}>, not <rss>, <rdf:RDF> or <feed>`);
}

/** sax's message ("Unexpected close tag\nLine: 0\nColumn: 49\nChar: >") in one line, lines counted from 1. */
function xmlError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const where = /\nLine: (\d+)\nColumn: (\d+)/.exec(message);
  const what = message.split('\n')[0]!.replace(/\.$/, '');
  return where ? `${what} (line ${Number(where[1]) + 1}, column ${where[2]})` : what;
}

// rss-parser reads an Atom <link> only from its href; some feeds put the URL in the element. Dates
// are renamed for newParser's custom fields, so rss-parser never converts them itself.
function repairAtom(xml: string): string {
  return xml
    .replace(/<link>\s*([^<\s]+)\s*<\/link>/g, (_m, url: string) => `<link href="${url.replace(/"/g, '&quot;')}"/>`)
    .replace(/<(\/?)(published|updated)(?=[\s/>])/g, '<$1pactwatch-$2');
}

interface Parsed {
  entry: Entry;
  /** The item's HTML description or content, for Techmeme's links. */
  html: string;
}

async function readFeed(xml: string, base: string | undefined): Promise<Parsed[]> {
  const head = xml.replace(/^\uFEFF/, '').trimStart();
  if (head === '') throw new FeedError('empty body');
  if (/^[{[]/.test(head)) {
    const jsonFeed = /"version"\s*:\s*"https?:\/\/jsonfeed\.org\//.test(head.slice(0, 4096));
    throw new FeedError(jsonFeed ? 'a JSON Feed, not RSS or Atom (pactwatch reads RSS and Atom)' : 'JSON, not a feed');
  }
  if (!head.startsWith('<')) throw new FeedError(`not XML: the body starts with text, not a tag ("${head.slice(0, 40).replace(/\s+/g, ' ')}…")`);
  const repaired = repairXml(xml);
  const root = rootElement(repaired);
  if (root === undefined) throw new FeedError('not a well-formed feed: no root element');
  if (!FEED_ROOTS.has(root)) throw notAFeed(xml, base);
  if (root !== 'feed' && !/<channel[\s/>]/.test(repaired)) throw new FeedError(`not a feed: <${root}> has no <channel>`);
  let feed: Awaited<ReturnType<ReturnType<typeof newParser>['parseString']>>;
  try {
    feed = await newParser().parseString(root === 'feed' ? repairAtom(repaired) : repaired);
  } catch (err) {
    throw new FeedError(`not a well-formed feed: ${xmlError(err)}`);
  }
  if (!Array.isArray(feed.items)) throw new FeedError('no items element: not an RSS or Atom feed');
  const out: Parsed[] = [];
  for (const it of feed.items) {
    const raw = it as unknown as Record<string, unknown>;
    const title = plain(raw.title);
    const text = textOf(raw.contentSnippet)?.trim() || plain(raw.content) || plain(raw.summary) || title;
    // An entry with no words has nothing to extract, and every such entry would share one id.
    if (!text) continue;
    const link = textOf(raw.link);
    out.push({
      entry: {
        id: idOf(textOf(raw.guid), textOf(raw.id), link, title),
        url: webUrl(link, base),
        title: title || undefined,
        text,
        author: plain(nameOf(raw.creator ?? raw.author)) || undefined,
        publishedAt: dateOf(raw.atomPublished, raw.atomUpdated, raw.pubDate, raw.date),
        publisher: registrableDomain(webUrl((raw.sourceElement as { $?: { url?: string } }[] | undefined)?.[0]?.$?.url, undefined)),
      },
      html: textOf(raw.content) ?? '',
    });
  }
  return out;
}

/**
 * Parses an RSS 0.9x, 1.0 or 2.0 or an Atom document; relative links resolve against `base` (the
 * feed's URL). Throws FeedError saying what is wrong.
 */
export async function parseFeed(xml: string, base?: string): Promise<Entry[]> {
  return (await readFeed(xml, base)).map((p) => p.entry);
}

/**
 * Techmeme's feed: the headline ends with "(Author / Publication)", and the description's HTML
 * links the original article, whose domain is the publisher corroboration counts.
 */
export async function parseTechmeme(xml: string, base?: string): Promise<Entry[]> {
  return (await readFeed(xml, base)).map(({ entry, html }) => {
    const $ = loadPage(html);
    const original = $?.('a[href]')
      .map((_, a) => webUrl($(a).attr('href'), undefined))
      .get()
      .find((href) => !/(^|\.)techmeme\.com$/i.test(safeHost(href)));
    // "\(" first: a leading "\s*" would retry from every space of a long run (quadratic).
    const title = entry.title?.replace(/\([^()]*\)\s*$/, '').trim();
    return {
      ...entry,
      title,
      text: entry.text === entry.title ? (title ?? '') : entry.text,
      url: original ?? entry.url,
      via: entry.url,
      publisher: original ? registrableDomain(original) : undefined,
    };
  });
}

function safeHost(href: string): string {
  try {
    return new URL(href).hostname;
  } catch {
    return '';
  }
}

export interface Selectors {
  item: string;
  title: string;
  link?: string | undefined;
  date?: string | undefined;
  summary?: string | undefined;
}

/** A page without a feed: each `item` element gives one entry, links resolved as the browser would. */
export function parsePage(html: string, pageUrl: string, s: Selectors): Entry[] {
  if (html.trim() === '') throw new FeedError('empty body');
  const $ = loadPage(html);
  if (!$) throw new FeedError(`not a usable page: elements nested more than ${MAX_HTML_DEPTH} deep`);
  const items = $(s.item);
  if (items.length === 0) throw new FeedError(`no element matches the item selector "${s.item}"`);
  const base = webUrl($('base[href]').first().attr('href'), pageUrl) ?? pageUrl;
  const out: Entry[] = [];
  items.each((_, el) => {
    const node = $(el);
    const title = node.find(s.title).first().text().replace(/\s+/g, ' ').trim();
    const linkEl = s.link ? node.find(s.link).first() : node.find('a[href]').first();
    const url = webUrl(linkEl.attr('href') ?? (node.is('a') ? node.attr('href') : undefined), base);
    const dateEl = s.date ? node.find(s.date).first() : undefined;
    const summary = s.summary ? node.find(s.summary).first().text().replace(/\s+/g, ' ').trim() : '';
    if (!title && !summary) return;
    out.push({
      id: idOf(url, title),
      url,
      title: title || undefined,
      text: summary || title,
      publishedAt: dateOf(dateEl?.attr('datetime'), dateEl?.text()),
    });
  });
  return out;
}
