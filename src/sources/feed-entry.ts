// One feed entry read from what rss-parser kept of it: its fullest text, its title as text or
// HTML as the feed says, its link and id resolved against xml:base and the response URL, its
// author and its date.
import { decodeHTMLStrict } from 'entities';
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { htmlText, tidyText } from '../http/html.js';
import { parseFeedDate } from '../text/feed-date.js';
import { registrableDomain, resolvedUrl } from '../text/urls.js';
import type { Format } from './feed-document.js';
import { textOf } from './rss-parser.js';

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

/** The most text kept of one entry (characters): a feed that inlines a book is read up to here. */
export const MAX_ENTRY_TEXT = 100_000;

// The elements read (RSS 1.0's items reach the reader as rss-parser copies these, as they are).
const BODIES = ['content:encoded', 'content', 'xhtml:body', 'body', 'fullitem', 'description', 'summary', 'dc:description', 'itunes:summary', 'media:description', 'media:group'];
const DATES = ['pubDate', 'pactwatch-published', 'issued', 'created', 'dc:date', 'dcterms:issued', 'dcterms:created', 'dcterms:date', 'pactwatch-updated', 'modified', 'dcterms:modified', 'atom:updated'];
const AUTHORS = ['author', 'dc:creator', 'dc:author', 'itunes:author'];
export const RAW_FIELDS = ['$', 'title', 'dc:title', 'link', 'atom:link', 'guid', 'id', 'source', ...AUTHORS, ...BODIES, ...DATES];

const NONE: unknown[] = [];

type Raw = Record<string, unknown>;

/**
 * One item as rss-parser gave it: the element as xml2js read it (each child element's values in
 * an array under its name, the attributes under "$"), and rss-parser's own reading, whose
 * snippets (the text of the description, content:encoded and Atom content) are pactwatch's
 * HTML reading (rss-parser.ts).
 */
export interface ParsedItem {
  element: Raw;
  snippets: Raw;
}

function values(element: Raw, name: string): unknown[] {
  const v = element[name];
  return Array.isArray(v) ? v : v === undefined ? NONE : [v];
}

function attrs(value: unknown): Record<string, string> {
  return value !== null && typeof value === 'object' ? (((value as Raw).$ as Record<string, string> | undefined) ?? {}) : {};
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


type Kind = 'text' | 'html' | 'auto';

/**
 * How an element's content is to be read, from Atom's type and mode (MIME types too), and
 * whether it is base64: Atom 0.3 says so with mode="base64", Atom 1.0 for any type that is not
 * text or XML.
 */
function kindOf(a: Record<string, string>, fallback: Kind): { kind: Kind; base64: boolean } {
  const type = (a.type ?? '').trim().toLowerCase();
  const base64 = a.mode === 'base64';
  if (type === '') return { kind: a.mode === 'escaped' ? 'html' : fallback, base64 };
  if (type === 'text' || type === 'text/plain') return { kind: 'text', base64 };
  if (type === 'html' || type === 'xhtml' || type === 'text/html' || type === 'application/xhtml+xml') return { kind: 'html', base64 };
  if (type.startsWith('text/') || type.endsWith('+xml') || type.endsWith('/xml')) return { kind: 'text', base64 };
  return { kind: 'auto', base64: true };
}

// Some feeds escape HTML in elements meant for text (RSS titles): read as HTML when it has an
// end tag, or entity references that are all HTML's, as feed readers guess; "the <b> tag" and
// "&notanentity;" stay as they are.
function looksLikeHtml(s: string): boolean {
  if (/<\/[a-z][a-z0-9]*\s*>/i.test(s)) return true;
  const refs = s.match(/&(?:#\d+|#x[\da-f]+|[a-z][a-z\d]*);/gi);
  return refs !== null && refs.every((r) => r[1] === '#' || decodeHTMLStrict(r) !== r);
}

/** The words of one element's content, read as its type says. */
function contentText(value: unknown, fallback: Kind): string {
  const a = attrs(value);
  const { kind, base64 } = kindOf(a, fallback);
  let text = textOf(value);
  if (!text) return '';
  if (base64) {
    const bytes = Buffer.from(text, 'base64');
    // Words are UTF-8 text; an image or a PDF in base64 is none.
    if (!isUtf8(bytes)) return '';
    text = bytes.toString('utf8');
    if (/[\u0000-\u0008\u000E-\u001F]/.test(text)) return '';
  }
  if (kind === 'html' || (kind === 'auto' && looksLikeHtml(text))) return htmlText(text);
  return tidyText(text);
}

/**
 * The fullest body as text. Text is never longer than what it was read from (tags and entities
 * only shrink), so the candidates are read longest first and the rest, once they cannot beat
 * what was found, not at all: a teaser beside a full article costs nothing.
 */
function fullestBody({ element: item, snippets }: ParsedItem, format: Format): string {
  const candidates: { value: unknown; kind: Kind; length: number; snippet?: string | undefined }[] = [];
  for (const name of BODIES) {
    const snippet = snippetOf(snippets, name, format);
    for (const [i, v] of values(item, name).entries()) {
      // A media:group holds the media:description of its media:content.
      const inner = name === 'media:group' ? ((v as Raw)?.['media:description'] as unknown[] | undefined) ?? [] : [v];
      const fallback: Kind = format === 'atom' && (name === 'content' || name === 'summary') ? 'text' : name === 'media:description' || name === 'itunes:summary' ? 'auto' : 'html';
      for (const one of inner) {
        const kind = name === 'media:description' && attrs(one).type === 'html' ? 'html' : fallback;
        candidates.push({ value: one, kind, length: textOf(one)?.length ?? 0, snippet: i === 0 ? snippet : undefined });
      }
    }
  }
  let best = '';
  for (const c of candidates.sort((a, b) => b.length - a.length)) {
    if (c.length <= best.length) break;
    const read = kindOf(attrs(c.value), c.kind);
    const text = c.snippet !== undefined && read.kind === 'html' && !read.base64 ? c.snippet : contentText(c.value, c.kind);
    if (text.length > best.length) best = text;
  }
  return best;
}

/** The text rss-parser already made of an element's first value (rss-parser.ts gives it pactwatch's HTML reading). */
function snippetOf(item: Raw, name: string, format: Format): string | undefined {
  const key = name === 'content:encoded' ? 'content:encodedSnippet' : (format === 'atom' ? name === 'content' : name === 'description') ? 'contentSnippet' : undefined;
  const snippet = key && item[key];
  return typeof snippet === 'string' ? snippet : undefined;
}

/** The name in "jane@example.com (Jane Doe)", "Jane Doe (jane@example.com)" or "Jane Doe <jane@example.com>". */
function nameIn(text: string): string {
  if (!text.includes('@')) return text;
  const m = /^\S+@\S+\s+\((.+)\)$/.exec(text) ?? /^(.+?)\s*[(<]\S+@[^)>\s]+[)>]$/.exec(text);
  return m?.[1]?.trim() || text;
}

/** A name out of an author element: Atom's <name>, or the name beside an address as RSS writes it. */
function authorOf(item: Raw): string | undefined {
  for (const name of AUTHORS) {
    for (const v of values(item, name)) {
      const inner = v !== null && typeof v === 'object' && 'name' in (v as Raw) ? (v as Raw).name : v;
      const text = tidyText(textOf(inner) ?? '').replace(/\s+/g, ' ');
      if (!text) continue;
      return nameIn(text);
    }
  }
  return undefined;
}

// Before 1991 there were no news feeds: such dates are defaults (the Unix epoch) or garbage.
const EARLIEST = Date.UTC(1991, 0, 1);
const DAY = 24 * 60 * 60 * 1000;

function dateOf(item: Raw, now: Date, notes: string[]): Date | undefined {
  for (const name of DATES) {
    for (const v of values(item, name)) {
      const text = textOf(v);
      const d = text ? parseFeedDate(text) : undefined;
      if (!d || d.getTime() < EARLIEST) continue;
      // A date days ahead is a clock or a template gone wrong: now is the best guess at it.
      if (d.getTime() > now.getTime() + DAY) {
        notes.push(`a date in the future ("${text!.trim()}") read as the time of reading`);
        return now;
      }
      return d;
    }
  }
  return undefined;
}

/** Where relative references in an entry resolve: the document's base, then the entry's xml:base. */
function baseOf(item: Raw, documentBase: string | undefined): string | undefined {
  return resolvedUrl(values(item, '$').map((a) => (a as Record<string, string>)['xml:base'])[0], documentBase);
}

function linkOf(item: Raw, format: Format, base: string | undefined): string | undefined {
  const own = values(item, 'link');
  const atom = values(item, 'atom:link');
  // The common case, an RSS <link> as text, without building the list below.
  if (own.length === 1 && atom.length === 0 && typeof own[0] === 'string') {
    const url = webUrl(own[0], base);
    if (url) return url;
  }
  const links = [...own, ...atom];
  // Atom: the alternate link (a link without rel is one), HTML first; RSS: the element's text.
  const candidates = links
    .map((l) => ({ a: attrs(l), text: typeof l === 'string' ? l : textOf((l as Raw)?._) }))
    .filter(({ a }) => !a.rel || a.rel === 'alternate')
    .sort((x, y) => Number(!!x.a.href && !/html/.test(x.a.type ?? 'html')) - Number(!!y.a.href && !/html/.test(y.a.type ?? 'html')));
  for (const { a, text } of candidates) {
    const url = webUrl(a.href ?? text, resolvedUrl(a['xml:base'], base));
    if (url) return url;
  }
  if (format === 'atom') return undefined;
  // An RSS guid is the permalink unless it says it is not (or is a bare name, "js1", no address).
  const guid = values(item, 'guid')[0];
  const id = textOf(guid)?.trim() ?? '';
  if (guid !== undefined && attrs(guid).isPermaLink?.trim().toLowerCase() !== 'false' && (absolute(id) || pathLike(id))) return webUrl(id, base);
  return undefined;
}

const absolute = (ref: string) => /^[a-z][a-z\d+.-]*:/i.test(ref);
/** A relative reference that names a place ("/2026/11/story.html", "story.html"), not a bare number or name. */
const pathLike = (ref: string) => /[/?#]|\.s?html?$/i.test(ref);

/** A relative id that is a path resolves like a link; any other is kept as written. */
function idOf(item: Raw, base: string | undefined): string | undefined {
  const about = values(item, '$').map((a) => (a as Record<string, string>)['rdf:about'])[0];
  for (const v of [...values(item, 'guid'), ...values(item, 'id'), about]) {
    const id = textOf(v)?.trim();
    if (!id) continue;
    // A guid that says it is no permalink is a name, whatever it looks like.
    const name = attrs(v).isPermaLink?.trim().toLowerCase() === 'false';
    return name || absolute(id) || !pathLike(id) ? id : (resolvedUrl(id, base) ?? id);
  }
  return undefined;
}

export interface Read {
  entry: Entry;
  /** The item's raw HTML body, for Techmeme's links. */
  html: string;
}

/** One entry, or undefined when it has nothing at all (no words, link, date, id or author). */
export function readEntry(parsed: ParsedItem, format: Format, documentBase: string | undefined, now: Date, notes: string[]): Read | undefined {
  const item = parsed.element;
  const base = baseOf(item, documentBase);
  const titleValue = values(item, 'title')[0] ?? values(item, 'dc:title')[0];
  const title = contentText(titleValue, format === 'atom' ? 'text' : 'auto').replace(/\s+/g, ' ');
  const url = linkOf(item, format, base);
  const publishedAt = dateOf(item, now, notes);
  const body = fullestBody(parsed, format);
  const ownId = idOf(item, base);
  const author = authorOf(item);
  if (!title && !body && !url && !publishedAt && !ownId && !author) return undefined;
  const text = (body || title).slice(0, MAX_ENTRY_TEXT);
  const source = values(item, 'source')[0];
  const id = ownId ?? url ?? createHash('sha256').update(`${title}\n${text}\n${publishedAt?.toISOString() ?? ''}`).digest('hex').slice(0, 24);
  return {
    entry: {
      id,
      url,
      title: title || undefined,
      text,
      author,
      publishedAt,
      publisher: registrableDomain(webUrl(attrs(source).url, undefined)),
    },
    html: textOf(values(item, 'description')[0] ?? values(item, 'content')[0]) ?? '',
  };
}
