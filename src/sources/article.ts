// Article text for sources that ask for it: the page's og: tags and its first paragraphs, so the
// extractor reads more than a headline. Fetched only for new items that name a party, a few per
// poll, through the same polite fetch layer; capped in size.
import type { CheerioAPI } from 'cheerio';
import type { Access, Fetcher } from '../http/fetch.js';
import { fetchPage, metaContent } from '../http/html.js';

export const MAX_ARTICLE_CHARS = 4_000;
export const MAX_ARTICLES_PER_POLL = 10;

/** The readable text of an article page: og:title, og:description, then the main paragraphs. */
function articleText($: CheerioAPI): string {
  const meta = (name: string) => metaContent($, name);
  const parts = [meta('og:title'), meta('og:description') || meta('description')];
  const root = $('article').first().length ? $('article').first() : $('main').first().length ? $('main').first() : $('body');
  let size = parts.join(' ').length;
  root.find('p').each((_, p) => {
    const text = $(p).text().replace(/\s+/g, ' ').trim();
    if (text.length < 40) return; // captions, bylines, buttons
    if (size + text.length > MAX_ARTICLE_CHARS) return false;
    parts.push(text);
    size += text.length;
    return undefined;
  });
  return [...new Set(parts.filter(Boolean))].join('\n\n');
}

/**
 * Fetches an article and returns its text, or undefined when it cannot be had (never throws).
 * `access` is the source's: a link in a feed reaches no further than the feed itself may.
 */
export async function fetchArticle(fetcher: Fetcher, url: string, access: Access = {}): Promise<string | undefined> {
  const page = await fetchPage(fetcher, url, access);
  const out = page ? articleText(page.$) : '';
  return out.trim() === '' ? undefined : out;
}
