// Jetstream's JSON events, read: a frame becomes an event (or the reason it is skipped), and a
// post that was created becomes an Item, as the other Bluesky sources make them. Pure: no I/O.
import type { Source } from '../config/types.js';
import { aboutOf, type Item } from '../model/item.js';
import { langsField } from '../text/langs.js';
import { publisherOf } from '../text/publisher.js';

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

/**
 * The post's words a reader sees: its text, then the title and description of its link card
 * (unless `card` is false), then, with `quote`, the quoted post's text where the event carries it
 * (see quotedText).
 */
export function postText(record: Record<string, unknown>, options: { quote?: boolean; card?: boolean } = {}): string {
  const card = options.card === false ? undefined : externalCard(record.embed);
  const quoted = options.quote ? quotedText(record.embed) : undefined;
  return [record.text as string, card?.title, card?.description, quoted].filter((t): t is string => typeof t === 'string' && t.trim() !== '').join('\n\n');
}

/**
 * The quoted post's text, when the embed carries it. A quote post's record holds only a strong
 * ref to the quoted post (app.bsky.embed.record: `record: {uri, cid}`; recordWithMedia one level
 * deeper, `record.record`), and Jetstream sends the record as written: the text is there only
 * when the writer put a `value` beside the ref, which this reads and nothing else does. Nothing is
 * fetched to fill it in. The text is the quoter's copy, so it is never believed as the quoted
 * author's (the ref's DID names whom it claims to quote, and anyone can claim).
 */
export function quotedText(embed: unknown): string | undefined {
  if (!isObject(embed) || !isObject(embed.record)) return undefined;
  const ref = isObject(embed.record.record) ? embed.record.record : embed.record;
  return isObject(ref.value) && typeof ref.value.text === 'string' ? ref.value.text : undefined;
}

function externalCard(embed: unknown): { uri?: unknown; title?: unknown; description?: unknown } | undefined {
  if (!isObject(embed)) return undefined;
  // A quote post with media carries its card in `media`.
  const holder = isObject(embed.media) ? embed.media : embed;
  return isObject(holder.external) ? holder.external : undefined;
}

/** Whether the post's link card is a page of the account's own publisher (its registrable domain). */
function ownCard(record: Record<string, unknown>, account: Source): boolean {
  const uri = externalCard(record.embed)?.uri;
  if (typeof uri !== 'string' || !URL.canParse(uri)) return false;
  return publisherOf(new URL(uri)) === publisherOf(account.publisher);
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
 * publisher and speaksFor, and unless it is social its link is the item's link (the post sits in
 * `via`); anyone else has the stream's trust. A social post, and anyone else's, keeps the post's
 * own address, so it never stands in for the article it links to (items with one link are one
 * story: the press report of that article would be dropped as its repeat).
 *
 * Replies are posts like any other, as the search source reads them: the event holds only the
 * reply's own words (the parent is a ref). Reposts are another collection
 * (app.bsky.feed.repost), which the stream does not ask for, and carry no text: they never reach
 * here. The post's language tags (`langs`) travel with the item, read as every Bluesky source
 * reads them (text/langs.ts); the extractor decides whether it can read the post.
 *
 * The quoted post's text is read only into a social item. At a higher tier it would be believed
 * as the account's own words: an official account's "we" is its party, and a quoted "we signed"
 * would be read as that party signing; a press account quoting a rumour would count as a report.
 * For the same reason an account that speaks for parties has its link card read only when the
 * card's page is on its own publisher's domain: another lab's "We have signed" is not its own.
 */
export function postItem(stream: Source, post: PostEvent, account: Source | undefined, fetchedAt: Date): Item {
  const permalink = `https://bsky.app/profile/${post.did}/post/${post.rkey}`;
  const trust = account ? account.trust : stream.trust;
  const link = account && account.trust !== 'social' ? postLink(post.record) : undefined;
  const speaks = account?.trust === 'official' && Array.isArray(account.speaksFor);
  const eventTime = Math.floor(post.timeUs / 1000);
  const created = typeof post.record.createdAt === 'string' ? Date.parse(post.record.createdAt) : NaN;
  // A post may claim any createdAt; one after the event itself is not believed.
  const published = Number.isNaN(created) || created > eventTime ? eventTime : created;
  return {
    id: `at://${post.did}/app.bsky.feed.post/${post.rkey}`,
    sourceId: stream.id,
    url: link ?? permalink,
    ...(link ? { via: permalink } : {}),
    text: postText(post.record, { quote: trust === 'social', card: !speaks || ownCard(post.record, account!) }),
    author: account?.actor ?? post.did,
    publishedAt: new Date(published),
    fetchedAt,
    trust,
    publisher: account ? account.publisher : post.did,
    speaksFor: account?.trust === 'official' ? (account.speaksFor ?? null) : null,
    ...langsField(post.record.langs),
    about: aboutOf(stream, account),
  };
}
