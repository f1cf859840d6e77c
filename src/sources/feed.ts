// Parsing what a source fetched: RSS 0.9x/1/2 and Atom (rss-parser on repaired text, each
// entry read by feed-entry.ts), Techmeme (the original publisher from the item's HTML), and
// pages without a feed (CSS selectors). A document that will not parse gives the complete items
// it has, and says what was wrong with it.
import { createHash } from 'node:crypto';
import { repairXml } from '../http/decode.js';
import { loadPage, MAX_HTML_DEPTH, tidyText } from '../http/html.js';
import { registrableDomain, resolvedUrl } from '../text/urls.js';
import { cdfAsRss, formatOf, prepareDocument, salvageItems, startTag, type Format } from './feed-document.js';
import { readEntry, webUrl, type Entry, type ParsedItem, type Read } from './feed-entry.js';
import { parseFeedDate } from '../text/feed-date.js';
import { newParser } from './rss-parser.js';

export { webUrl, type Entry } from './feed-entry.js';

export class FeedError extends Error {
  override name = 'FeedError';
  /** What the body was decoded as, when it was decoded before the fault was found. */
  encoding?: string | undefined;
}

/** What a feed gave: its entries, and, when the document was broken, what was wrong with it. */
export interface ParsedFeed {
  entries: Entry[];
  /** Why only part of the document could be read (cut off, items that would not parse). */
  degraded?: string | undefined;
  /** Things the operator may want to know that lost nothing (a date in the future, clamped). */
  notes: string[];
}

export interface FeedOptions {
  /** Where relative links resolve: the response URL after redirects, or its Content-Location. */
  base?: string | undefined;
  /** The time of reading: no entry is dated more than a day after it. */
  now?: Date | undefined;
}

function idOf(...parts: (string | undefined)[]): string {
  const first = parts.find((p) => p && p.trim());
  return first ? first.trim() : createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 24);
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

function notAFeed(xml: string, root: string | undefined, base: string | undefined): FeedError {
  const head = xml.trimStart();
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

const ROOTS: Record<Format, string> = { rss: 'rss', rdf: 'rdf:RDF', atom: 'feed' };

async function parseItems(doc: string, format: Format): Promise<ParsedItem[]> {
  const feed = (await newParser(format).parseString(doc)) as unknown as { items?: Record<string, unknown>[]; elements?: Record<string, unknown>[] };
  if (!Array.isArray(feed.items)) throw new Error('no items element');
  const elements = format === 'rdf' ? feed.items : (feed.elements ?? []);
  return feed.items.map((snippets, i) => ({ element: elements[i] ?? {}, snippets }));
}

/**
 * The items of a document that will not parse as a whole: its complete items together, or,
 * when even they will not, each on its own. Undefined when none can be read.
 */
async function salvage(doc: string, format: Format, firstError: string): Promise<{ items: ParsedItem[]; degraded: string } | undefined> {
  const cut = salvageItems(doc, ROOTS[format], format);
  if (!cut || cut.items.length === 0) return undefined;
  const { open } = cut;
  const why = cut.cutOff ? 'the document is cut off inside an item' : `the document is not well-formed (${firstError})`;
  try {
    const items = await parseItems(open + cut.items.join('') + cut.close, format);
    return { items, degraded: `${why}: read its ${items.length} complete item(s)` };
  } catch {
    const items: ParsedItem[] = [];
    let lost = 0;
    for (const one of cut.items) {
      try {
        items.push(...(await parseItems(open + one + cut.close, format)));
      } catch {
        lost++;
      }
    }
    if (items.length === 0) return undefined;
    return { items, degraded: `${why}: read ${items.length} item(s); ${lost} would not parse` };
  }
}

async function readFeed(xml: string, options: FeedOptions): Promise<{ read: Read[]; degraded?: string | undefined; notes: string[] }> {
  const head = xml.replace(/^\uFEFF/, '').trimStart();
  if (head === '') throw new FeedError('empty body');
  if (/^[{[]/.test(head)) {
    const jsonFeed = /"version"\s*:\s*"https?:\/\/jsonfeed\.org\//.test(head.slice(0, 4096));
    throw new FeedError(jsonFeed ? 'a JSON Feed, not RSS or Atom (pactwatch reads RSS and Atom)' : 'JSON, not a feed');
  }
  if (!head.startsWith('<')) throw new FeedError(`not XML: the body starts with text, not a tag ("${head.slice(0, 40).replace(/\s+/g, ' ')}…")`);
  let repaired = repairXml(xml);
  let root = rootElement(repaired);
  if (root === undefined) throw new FeedError('not a well-formed feed: no root element');
  if (root.toLowerCase() === 'channel') [repaired, root] = [cdfAsRss(repaired), 'rss'];
  const format = formatOf(root);
  if (!format) throw notAFeed(xml, root, options.base);
  const doc = prepareDocument(repaired, root, format);
  let items: ParsedItem[];
  let degraded: string | undefined;
  try {
    items = await parseItems(doc, format);
  } catch (err) {
    const message = xmlError(err);
    const saved = await salvage(doc, format, message);
    if (!saved) throw new FeedError(`not a well-formed feed: ${message}`);
    ({ items, degraded } = saved);
  }
  const tag = startTag(doc, ROOTS[format]);
  const rootTag = tag ? doc.slice(tag.at, tag.end) : '';
  const documentBase = resolvedUrl(/\sxml:base\s*=\s*(["'])([^"']*)\1/.exec(rootTag)?.[2], options.base);
  const now = options.now ?? new Date();
  const notes: string[] = [];
  const read = items.flatMap((item) => readEntry(item, format, documentBase, now, notes) ?? []);
  // A body that holds a second feed after the first (a CMS that wrote two): xml2js stops at the
  // first root, so the second is read on its own, and the poll says the body was broken.
  const end = degraded === undefined ? doc.indexOf(`</${ROOTS[format]}>`) : -1;
  const after = end >= 0 ? doc.slice(end + ROOTS[format].length + 3) : '';
  if (/<(?:[\w.-]+:)?(?:rss|RDF|feed)[\s>]/.test(after)) {
    const why = 'the body holds more than one document';
    try {
      const more = await readFeed(after, options);
      return { read: [...read, ...more.read], degraded: `${why}: read the items of each${more.degraded ? `; ${more.degraded}` : ''}`, notes: [...notes, ...more.notes] };
    } catch (err) {
      return { read, degraded: `${why}: the one after the first could not be read (${(err as Error).message})`, notes };
    }
  }
  return { read, degraded, notes };
}

/**
 * Parses an RSS 0.9x, 1.0 or 2.0 or an Atom document; relative links resolve against
 * `options.base` (the feed's URL). Throws FeedError saying what is wrong when nothing can be read.
 */
export async function parseFeed(xml: string, options: FeedOptions = {}): Promise<ParsedFeed> {
  const { read, degraded, notes } = await readFeed(xml, options);
  return { entries: read.map((r) => r.entry), degraded, notes };
}

/**
 * Techmeme's feed: the headline ends with "(Author / Publication)", and the description's HTML
 * links the original article, whose domain is the publisher corroboration counts.
 */
export async function parseTechmeme(xml: string, options: FeedOptions = {}): Promise<ParsedFeed> {
  const { read, degraded, notes } = await readFeed(xml, options);
  const entries = read.map(({ entry, html }) => {
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
  return { entries, degraded, notes };
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
    const title = tidyText(node.find(s.title).first().text()).replace(/\s+/g, ' ');
    const linkEl = s.link ? node.find(s.link).first() : node.find('a[href]').first();
    const url = webUrl(linkEl.attr('href') ?? (node.is('a') ? node.attr('href') : undefined), base);
    const dateEl = s.date ? node.find(s.date).first() : undefined;
    const summary = s.summary ? tidyText(node.find(s.summary).first().text()).replace(/\s+/g, ' ') : '';
    if (!title && !summary) return;
    out.push({
      id: idOf(url, title),
      url,
      title: title || undefined,
      text: summary || title,
      publishedAt: [dateEl?.attr('datetime'), dateEl?.text()].map((d) => (d ? parseFeedDate(d) : undefined)).find(Boolean),
    });
  });
  return out;
}
