// Parsing what a source fetched: RSS 1/2 and Atom (rss-parser on repaired text), Techmeme
// (the original publisher from the item's HTML), and pages without a feed (CSS selectors).
import * as cheerio from 'cheerio';
import Parser from 'rss-parser';
import { createHash } from 'node:crypto';
import { parseItemDate } from '../item-date.js';
import { registrableDomain } from '../store/dedupe.js';
import { repairXml } from './decode.js';

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

// An aggregator's item may name its original publisher: <source url="https://www.reuters.com">.
const parser = new Parser({ customFields: { item: [['source', 'sourceElement', { keepArray: true }]] } });

function plain(html: string | undefined): string {
  if (!html) return '';
  if (!/[<&]/.test(html)) return html.trim();
  return cheerio.load(`<body>${html}</body>`)('body').text().replace(/\s+/g, ' ').trim();
}

function dateOf(...values: (string | undefined)[]): Date | undefined {
  for (const v of values) {
    if (!v) continue;
    const d = parseItemDate(v) ?? new Date(v);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return undefined;
}

function idOf(...parts: (string | undefined)[]): string {
  const first = parts.find((p) => p && p.trim());
  return first ? first.trim() : createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 24);
}

/** Parses an RSS 1.0, RSS 2.0 or Atom document. Throws FeedError saying what is wrong. */
export async function parseFeed(xml: string): Promise<Entry[]> {
  const trimmed = xml.trimStart();
  if (trimmed === '') throw new FeedError('empty body');
  if (/^<!doctype html|^<html[\s>]/i.test(trimmed)) throw new FeedError('an HTML page, not a feed');
  if (/^[{[]/.test(trimmed)) throw new FeedError('JSON, not a feed');
  let feed: Awaited<ReturnType<typeof parser.parseString>>;
  try {
    feed = await parser.parseString(repairXml(xml));
  } catch (err) {
    throw new FeedError(`not a well-formed feed: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!Array.isArray(feed.items)) throw new FeedError('no items element: not an RSS or Atom feed');
  return feed.items.map((it) => {
    const raw = it as unknown as Record<string, unknown>;
    const title = plain(it.title);
    const text = it.contentSnippet?.trim() || plain(it.content) || plain(raw.summary as string | undefined) || title;
    return {
      id: idOf(it.guid, (raw.id as string | undefined) ?? undefined, it.link, title),
      url: it.link?.trim() || undefined,
      title: title || undefined,
      text,
      author: it.creator ?? (raw.author as string | undefined) ?? undefined,
      publishedAt: dateOf(it.isoDate, it.pubDate),
      publisher: registrableDomain((raw.sourceElement as { $?: { url?: string } }[] | undefined)?.[0]?.$?.url),
    };
  });
}

/**
 * Techmeme's feed: the headline ends with "(Author / Publication)", and the description's HTML
 * links the original article, whose domain is the publisher corroboration counts.
 */
export async function parseTechmeme(xml: string): Promise<Entry[]> {
  const parsed = await parseFeed(xml);
  const feed = await parser.parseString(repairXml(xml));
  return parsed.map((entry, i) => {
    const html = (feed.items[i]?.content ?? '') as string;
    const $ = cheerio.load(html);
    const original = $('a[href]')
      .map((_, a) => $(a).attr('href'))
      .get()
      .find((href) => /^https?:/i.test(href) && !/(^|\.)techmeme\.com$/i.test(safeHost(href)));
    const title = entry.title?.replace(/\s*\([^()]*\)\s*$/, '').trim();
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

/** A page without a feed: each `item` element gives one entry. */
export function parsePage(html: string, pageUrl: string, s: Selectors): Entry[] {
  if (html.trim() === '') throw new FeedError('empty body');
  const $ = cheerio.load(html);
  const items = $(s.item);
  if (items.length === 0) throw new FeedError(`no element matches the item selector "${s.item}"`);
  const out: Entry[] = [];
  items.each((_, el) => {
    const node = $(el);
    const title = node.find(s.title).first().text().replace(/\s+/g, ' ').trim();
    const linkEl = s.link ? node.find(s.link).first() : node.find('a[href]').first();
    const href = linkEl.attr('href') ?? (node.is('a') ? node.attr('href') : undefined);
    let url: string | undefined;
    try {
      url = href ? new URL(href, pageUrl).toString() : undefined;
    } catch {
      url = undefined;
    }
    const dateEl = s.date ? node.find(s.date).first() : undefined;
    const summary = s.summary ? node.find(s.summary).first().text().replace(/\s+/g, ' ').trim() : '';
    if (!title && !summary) return;
    out.push({
      id: idOf(url, title),
      url,
      title: title || undefined,
      text: summary || title,
      publishedAt: dateOf(dateEl?.attr('datetime'), dateEl?.text().trim()),
    });
  });
  return out;
}
