// What a post shows below its text: a link card for its last link, else the status board as an
// image, each uploaded as a blob that fits Bluesky's cap.
import type { AtpAgent, RichText } from '@atproto/api';
import type { Board } from '../../model/alert.js';
import type { Fetcher } from '../../http/fetch.js';
import { fetchCard } from './card.js';
import { MAX_IMAGE_BYTES, shrinkImage } from './image.js';

export type Embed = Record<string, unknown>;

/** The links a post's facets carry, in order. */
export function linksOf(rt: RichText): string[] {
  return (rt.facets ?? []).flatMap((f) => f.features.map((x) => (x as { uri?: string }).uri)).filter((u): u is string => typeof u === 'string');
}

/** A link card for the post's last link: og: tags and thumbnail when the page can be had; none without a fetcher for pages. */
export async function cardEmbed(agent: AtpAgent, pages: Fetcher | undefined, links: string[]): Promise<Embed | undefined> {
  const uri = links.at(-1);
  if (!uri || !pages) return undefined;
  const page = await fetchCard(pages, uri);
  if (!page) return undefined;
  const external: Record<string, unknown> = { uri: page.uri, title: page.title, description: page.description };
  if (page.image) {
    const blob = await agent.uploadBlob(page.image.bytes, { encoding: page.image.mimeType });
    external.thumb = blob.data.blob;
  }
  return { $type: 'app.bsky.embed.external', external };
}

/** The status board as an image embed, with its alt text. */
export async function boardEmbed(agent: AtpAgent, board: Board | undefined): Promise<Embed | undefined> {
  if (!board) return undefined;
  // A tracker with a hundred-odd parties draws a board over the cap, and the PDS would refuse the whole post.
  const image = board.png.length <= MAX_IMAGE_BYTES ? { bytes: board.png, width: board.width, height: board.height } : await shrinkImage(board.png, MAX_IMAGE_BYTES);
  if (!image) return undefined;
  const blob = await agent.uploadBlob(image.bytes, { encoding: 'image/png' });
  return {
    $type: 'app.bsky.embed.images',
    images: [{ image: blob.data.blob, alt: board.alt, aspectRatio: { width: image.width, height: image.height } }],
  };
}
