// A link card for a post (app.bsky.embed.external): the page's og: title, description and image.
import type { Fetcher } from '../../http/fetch.js';
import { fetchPage, metaContent } from '../../http/html.js';
import { MAX_IMAGE_BYTES, shrinkImage } from './image.js';

/** A thumbnail that must be scaled down is scaled to this many pixels on its longest side. */
export const THUMB_SIDE = 1_000;

export interface CardPage {
  uri: string;
  title: string;
  description: string;
  image?: { bytes: Buffer; mimeType: string } | undefined;
}

/** The card for `uri`, or undefined when the page cannot be fetched or says nothing. */
export async function fetchCard(fetcher: Fetcher, uri: string): Promise<CardPage | undefined> {
  const page = await fetchPage(fetcher, uri);
  if (!page) return undefined;
  const { $ } = page;
  const meta = (name: string) => metaContent($, name);
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
    if (image?.kind === 'ok' && /^image\/(png|jpeg|webp|gif)$/.test(mimeType)) {
      // A press photo is often a few megabytes: a smaller copy beats a card without a picture.
      card.image = image.body.length <= MAX_IMAGE_BYTES ? { bytes: image.body, mimeType } : await shrinkImage(image.body, MAX_IMAGE_BYTES, THUMB_SIDE);
    }
  }
  return card;
}
