// Jetstream's JSON events, read: a frame becomes an event (or the reason it is skipped), and a
// post that was created becomes an Item, as the other Bluesky sources make them. Pure: no I/O.
import type { Source } from '../config/types.js';
import type { Item } from '../model/item.js';

/** A frame larger than this is skipped: a post record is a few kilobytes at most. */
export const MAX_EVENT_BYTES = 256 * 1024;

/** A post created, from an event whose commit is a create in app.bsky.feed.post. */
export interface PostEvent {
  did: string;
  rkey: string;
  timeUs: number;
  record: Record<string, unknown>;
}

/**
 * What one frame is: a post created, a post deleted (its at:// URI), another event (only its time
 * counts), or why it is skipped.
 */
export type Frame = { post: PostEvent; timeUs: number; deleted?: undefined } | { timeUs: number; deleted: string; post?: undefined } | { timeUs: number; post?: undefined; deleted?: undefined } | { skip: string };

/** A record key as the atproto spec allows it (a post's is a TID, but the reader asks no more than the spec). */
const RECORD_KEY = /^[A-Za-z0-9._:~-]{1,512}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readFrame(data: string | Buffer | ArrayBuffer | Blob): Frame {
  if (typeof data !== 'string') return { skip: 'a binary frame (pactwatch asks for no compression; it reads JSON text)' };
  if (Buffer.byteLength(data) > MAX_EVENT_BYTES) return { skip: `a frame of ${Buffer.byteLength(data)} bytes (over ${MAX_EVENT_BYTES})` };
  let event: unknown;
  try {
    event = JSON.parse(data);
  } catch (err) {
    return { skip: `not JSON: ${(err as Error).message}` };
  }
  if (!isObject(event)) return { skip: 'not a JSON object' };
  const { did, time_us: timeUs, kind, commit } = event;
  if (typeof timeUs !== 'number' || !Number.isSafeInteger(timeUs) || timeUs <= 0) return { skip: 'an event without a time_us' };
  if (typeof did !== 'string' || !did.startsWith('did:')) return { skip: `an event at ${timeUs} without a did` };
  if (kind !== 'commit') return { timeUs };
  if (!isObject(commit)) return { skip: `a commit at ${timeUs} without its commit` };
  const { operation, rkey, record } = commit;
  if ((operation !== 'create' && operation !== 'delete') || commit.collection !== 'app.bsky.feed.post') return { timeUs };
  if (typeof rkey !== 'string' || !RECORD_KEY.test(rkey)) return { skip: `a post ${operation === 'delete' ? 'deleted' : 'created'} at ${timeUs} without a record key` };
  // The URI the Bluesky sources store the post under (its Item id), so the delete finds it.
  if (operation === 'delete') return { timeUs, deleted: `at://${did}/app.bsky.feed.post/${rkey}` };
  if (!isObject(record) || typeof record.text !== 'string') return { skip: `a post at ${timeUs} without text` };
  return { timeUs, post: { did, rkey, timeUs, record } };
}

/** The post's words a reader sees: its text, then the title and description of its link card. */
export function postText(record: Record<string, unknown>): string {
  const card = externalCard(record.embed);
  return [record.text as string, card?.title, card?.description].filter((t): t is string => typeof t === 'string' && t.trim() !== '').join('\n\n');
}

function externalCard(embed: unknown): { uri?: unknown; title?: unknown; description?: unknown } | undefined {
  if (!isObject(embed)) return undefined;
  // A quote post with media carries its card in `media`.
  const holder = isObject(embed.media) ? embed.media : embed;
  return isObject(holder.external) ? holder.external : undefined;
}

/** The first link the post makes: a link facet's URI, else its card's. */
export function postLink(record: Record<string, unknown>): string | undefined {
  const facets = Array.isArray(record.facets) ? record.facets : [];
  for (const facet of facets) {
    const features = isObject(facet) && Array.isArray(facet.features) ? facet.features : [];
    for (const f of features) if (isObject(f) && f.$type === 'app.bsky.richtext.facet#link' && typeof f.uri === 'string' && /^https?:\/\//.test(f.uri)) return f.uri;
  }
  const uri = externalCard(record.embed)?.uri;
  return typeof uri === 'string' && /^https?:\/\//.test(uri) ? uri : undefined;
}

/**
 * The item for a post. A configured account (a bluesky-author source) speaks with its own trust,
 * publisher and speaksFor, and its link is the item's link (the post sits in `via`); anyone else
 * has the stream's trust and the post's own address, so a social post never stands in for the
 * article it links to (items with one link are one story).
 */
export function postItem(stream: Source, post: PostEvent, account: Source | undefined, fetchedAt: Date): Item {
  const permalink = `https://bsky.app/profile/${post.did}/post/${post.rkey}`;
  const link = account ? postLink(post.record) : undefined;
  const eventTime = Math.floor(post.timeUs / 1000);
  const created = typeof post.record.createdAt === 'string' ? Date.parse(post.record.createdAt) : NaN;
  // A post may claim any createdAt; one after the event itself is not believed.
  const published = Number.isNaN(created) || created > eventTime ? eventTime : created;
  return {
    id: `at://${post.did}/app.bsky.feed.post/${post.rkey}`,
    sourceId: stream.id,
    url: link ?? permalink,
    ...(link ? { via: permalink } : {}),
    text: postText(post.record),
    author: account?.actor ?? post.did,
    publishedAt: new Date(published),
    fetchedAt,
    trust: account ? account.trust : stream.trust,
    publisher: account ? account.publisher : post.did,
    speaksFor: account?.trust === 'official' ? (account.speaksFor ?? null) : null,
  };
}
