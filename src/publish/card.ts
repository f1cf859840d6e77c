// A link card for a post (app.bsky.embed.external): the page's og: title, description and image.
import { decodeBody, sniffBinary } from '../sources/decode.js';
import type { Fetcher } from '../sources/fetch.js';
import { loadPage } from '../sources/html.js';

/** Bluesky refuses a thumbnail blob over this size. */
export const MAX_THUMB_BYTES = 1_000_000;

export interface CardPage {
  uri: string;
  title: string;
  description: string;
  image?: { bytes: Buffer; mimeType: string } | undefined;
}

/** The card for `uri`, or undefined when the page cannot be fetched or says nothing. */
export async function fetchCard(fetcher: Fetcher, uri: string): Promise<CardPage | undefined> {
  const page = await fetcher.get(uri);
  // The same guards as article text: no binary, and nothing nested too deep to parse in time.
  if (page.kind !== 'ok' || sniffBinary(page.body)) return undefined;
  const $ = loadPage(decodeBody(page.body, page.contentType).text);
  if (!$) return undefined;
  const meta = (name: string) => $(`meta[property="${name}"], meta[name="${name}"]`).attr('content')?.trim() ?? '';
  const title = meta('og:title') || $('title').first().text().trim();
  const description = meta('og:description') || meta('description');
  if (!title && !description) return undefined;
  const card: CardPage = { uri, title: title.slice(0, 300), description: description.slice(0, 1000) };
  const imageUrl = meta('og:image');
  if (imageUrl) {
    let absolute: string | undefined;
    try {
      absolute = new URL(imageUrl, page.url).toString();
    } catch {
      absolute = undefined;
    }
    const image = absolute ? await fetcher.get(absolute) : undefined;
    const mimeType = image?.kind === 'ok' ? (image.contentType?.split(';')[0]?.trim() ?? '') : '';
    if (image?.kind === 'ok' && /^image\/(png|jpeg|webp|gif)$/.test(mimeType) && image.body.length <= MAX_THUMB_BYTES) {
      card.image = { bytes: image.body, mimeType };
    }
  }
  return card;
}
