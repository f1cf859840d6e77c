import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Source } from '../../src/config/types.js';
import type { Item } from '../../src/model/item.js';
import { extract } from '../../src/extract/extract.js';
import { extractItem } from '../../src/pipeline/process.js';
import { MAX_EVENT_BYTES, postItem, postLink, readFrame } from '../../src/sources/jetstream-event.js';
import { frameReader } from '../../src/sources/jetstream-read.js';
import { extractor, short } from '../helpers/extractor.js';

const stream: Source = { id: 'firehose', kind: 'bluesky-stream', url: 'wss://j.example/subscribe', mode: 'firehose', trust: 'social', publisher: 'j.example', where: { file: 't' } };
const lab: Source = { id: 'lab', kind: 'bluesky-author', actor: 'did:plc:lab', trust: 'official', speaksFor: ['meta'], publisher: 'lab.example', where: { file: 't' } };

const commit = (record: unknown, operation = 'create', collection = 'app.bsky.feed.post') => JSON.stringify({ did: 'did:plc:lab', time_us: 1795176000000000, kind: 'commit', commit: { operation, collection, rkey: '3labc', record } });

describe('reading a Jetstream frame', () => {
  it('a created post is a post; another collection, an update, an identity event only move the cursor', () => {
    expect(readFrame(commit({ text: 'hello' }))).toMatchObject({ timeUs: 1795176000000000, post: { did: 'did:plc:lab', rkey: '3labc' } });
    expect(readFrame(commit({ text: 'hello again' }, 'update'))).toEqual({ timeUs: 1795176000000000 });
    expect(readFrame(commit(undefined, 'delete', 'app.bsky.feed.like'))).toEqual({ timeUs: 1795176000000000 });
    expect(readFrame(commit({ subject: {} }, 'create', 'app.bsky.feed.repost'))).toEqual({ timeUs: 1795176000000000 });
    expect(readFrame(JSON.stringify({ did: 'did:plc:lab', time_us: 5, kind: 'identity', identity: {} }))).toEqual({ timeUs: 5 });
  });

  it("a deleted post is its at:// URI, the id its item was stored under; one without a valid record key is skipped", () => {
    expect(readFrame(commit(undefined, 'delete'))).toEqual({ timeUs: 1795176000000000, deleted: 'at://did:plc:lab/app.bsky.feed.post/3labc' });
    const badKey = JSON.stringify({ did: 'did:plc:lab', time_us: 7, kind: 'commit', commit: { operation: 'delete', collection: 'app.bsky.feed.post', rkey: '../3labc' } });
    expect(readFrame(badKey)).toEqual({ skip: 'a post deleted at 7 without a record key' });
    const noKey = JSON.stringify({ did: 'did:plc:lab', time_us: 7, kind: 'commit', commit: { operation: 'delete', collection: 'app.bsky.feed.post' } });
    expect(readFrame(noKey)).toEqual({ skip: 'a post deleted at 7 without a record key' });
  });

  it('skips, with a reason, what is not an event: bad JSON, no time, no text, a binary frame, an oversized one', () => {
    expect(readFrame('{"did":')).toMatchObject({ skip: expect.stringMatching(/^not JSON/) });
    expect(readFrame('[1]')).toEqual({ skip: 'not a JSON object' });
    expect(readFrame(JSON.stringify({ did: 'did:plc:lab', kind: 'commit' }))).toEqual({ skip: 'an event without a time_us' });
    expect(readFrame(commit({ text: 42 }))).toEqual({ skip: 'a post at 1795176000000000 without text' });
    expect(readFrame(new ArrayBuffer(4))).toMatchObject({ skip: expect.stringMatching(/^a binary frame/) });
    expect(readFrame(commit({ text: 'x'.repeat(MAX_EVENT_BYTES) }))).toMatchObject({ skip: expect.stringMatching(/^a frame of \d+ bytes/) });
  });
});

describe('a post as an item', () => {
  it('takes a quote-with-media post\'s card, and its link only from http(s) URIs', () => {
    const record = {
      text: 'See this',
      facets: [{ features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'javascript:alert(1)' }] }],
      embed: { $type: 'app.bsky.embed.recordWithMedia', media: { $type: 'app.bsky.embed.external', external: { uri: 'https://lab.example/post', title: 'We signed', description: 'The CAISI agreement.' } } },
    };
    expect(postLink(record)).toBe('https://lab.example/post');
    const item = postItem(stream, { did: 'did:plc:lab', rkey: '3labc', timeUs: 1795176000000000, record }, lab, new Date('2026-11-20T12:01:00Z'));
    expect(item).toMatchObject({ url: 'https://lab.example/post', text: 'See this\n\nWe signed\n\nThe CAISI agreement.', trust: 'official', speaksFor: ['meta'], publisher: 'lab.example' });
  });

  it("carries what the stream and the posting account are about, so an agency's post that names no agreement is about its agreement", () => {
    const agency: Source = { ...lab, id: 'agency', speaksFor: 'all', about: ['caisi'] };
    const record = { text: 'Meta signed the agreement on Tuesday.', createdAt: '2026-11-20T11:59:00Z' };
    const post = { did: 'did:plc:lab', rkey: '3labc', timeUs: 1795176000000000, record };
    const at = new Date('2026-11-20T12:01:00Z');
    const claims = (i: Item) => extractItem(extractor, i).map(short);
    expect(postItem(stream, post, agency, at).about).toEqual(['caisi']);
    expect(postItem({ ...stream, about: ['caisi'] }, post, undefined, at).about).toEqual(['caisi']);
    expect(postItem({ ...stream, about: ['caisi'] }, post, agency, at).about).toEqual(['caisi']);
    expect(postItem(stream, post, lab, at).about).toBeUndefined();
    expect(claims(postItem(stream, post, agency, at))).toEqual(['meta signed']);
    expect(claims(postItem(stream, post, lab, at))).toEqual([]);
  });

  it('does not believe a createdAt after the event: the event\'s time is the post\'s', () => {
    const item = postItem(stream, { did: 'did:plc:x', rkey: '3labc', timeUs: 1795176000000000, record: { text: 'hi', createdAt: '2030-01-01T00:00:00Z' } }, undefined, new Date());
    expect(item.publishedAt).toEqual(new Date('2026-11-20T12:00:00Z'));
    expect(item).toMatchObject({ trust: 'social', speaksFor: null, author: 'did:plc:x' });
  });
});

// The fixtures' accounts: Meta's newsroom (official), a reporter (press) and a pundit followed at
// the social tier; anyone else is the stream's.
const newsroom: Source = { id: 'bsky-meta', kind: 'bluesky-author', actor: 'did:plc:metanewsroom0000000000000', trust: 'official', speaksFor: ['meta'], publisher: 'meta.com', where: { file: 't' } };
const reporter: Source = { id: 'bsky-reporter', kind: 'bluesky-author', actor: 'did:plc:reporterexamplecom00000000', trust: 'press', publisher: 'reporter.example.com', where: { file: 't' } };
const pundit: Source = { id: 'bsky-pundit', kind: 'bluesky-author', actor: 'did:plc:punditexamplenet0000000000', trust: 'social', publisher: 'pundit.example.net', where: { file: 't' } };
const followed = new Map([newsroom, reporter, pundit].map((s) => [s.actor!, s]));

/** Each frame of a fixture file read, and each post made an item (null for a frame that is no post). */
function fixtureItems(name: string): (Item | null)[] {
  const lines = readFileSync(join(import.meta.dirname, '../../fixtures/jetstream', name), 'utf8').split('\n').filter((l) => l.trim() !== '');
  return lines.map((line) => {
    const frame = readFrame(line);
    if ('skip' in frame) throw new Error(`${name}: ${frame.skip}`);
    return frame.post ? postItem(stream, frame.post, followed.get(frame.post.did), new Date('2026-11-20T12:05:00Z')) : null;
  });
}

describe('a quote post as an item', () => {
  const [asked, refOnly, withMedia, official] = fixtureItems('quote-posts.jsonl');

  it("reads the quoted post's text where the event carries it, beside the post's own words", () => {
    expect(asked!.text).toBe('Is this true?\n\nMeta has signed the CAISI agreement.');
    expect(withMedia!.text).toBe('Worth reading\n\nCAISI talks\n\nWhere things stand.\n\nCAISI says talks with Meta go on.');
  });

  it('takes nothing for a quote that is only a reference (what Jetstream sends for a quote post as written)', () => {
    expect(refOnly!.text).toBe('Big if true');
  });

  it("leaves the quoted text out of an official account's post: its \"we\" would be read as its own party's", () => {
    expect(official).toMatchObject({ trust: 'official', speaksFor: ['meta'], text: 'Congratulations to our friends.' });
  });
});

describe('replies, reposts and languages', () => {
  const [reply, socialReply, repost, japanese] = fixtureItems('replies-reposts-langs.jsonl');

  it("reads a reply as a post, as the search source does: an account's with its trust, anyone's with the stream's", () => {
    expect(reply).toMatchObject({ id: 'at://did:plc:metanewsroom0000000000000/app.bsky.feed.post/3lreply00001', text: 'Yes: we have signed the CAISI agreement.', trust: 'official', speaksFor: ['meta'], publisher: 'meta.com' });
    expect(socialReply).toMatchObject({ text: 'Meta signed the CAISI agreement, apparently.', trust: 'social', speaksFor: null });
  });

  it('a firehose post tagged only in a language the rules do not read is a prefilter hit like any other: the extractor, not the prefilter, decides on language', () => {
    const reader = frameReader(stream, undefined, { now: () => new Date('2026-11-20T12:10:00Z'), accounts: new Map(), prefilter: (t) => /Meta|CAISI/.test(t) });
    const read = reader.read(JSON.stringify({ did: 'did:plc:someone', time_us: 1795176000000000, kind: 'commit', commit: { operation: 'create', collection: 'app.bsky.feed.post', rkey: '3lja1', record: { text: 'MetaがCAISI協定に署名した', langs: ['ja'] } } }));
    expect(read).toMatchObject({ item: { langs: ['ja'] } });
    expect([reader.prefiltered, reader.prefilterHits]).toEqual([1, 1]);
    expect(extractItem(extractor, (read as { item: Item }).item)).toEqual([]);
  });

  it('a repost is another collection: it moves the cursor and makes no item', () => {
    expect(repost).toBeNull();
  });

  it("carries the post's language tags, as the extractor reads them (the extractor decides whether to read it)", () => {
    expect(japanese).toMatchObject({ text: 'MetaがCAISI協定に署名した', trust: 'social', langs: ['ja'] });
    expect(reply!.langs).toEqual(['en']);
  });
});

describe("a link facet's URI", () => {
  const [anyone, socialAccount, pressAccount] = fixtureItems('link-facets.jsonl');

  it("is the item's link for a press account's post, which sits in via", () => {
    expect(pressAccount).toMatchObject({ url: 'https://news.example.com/meta-caisi', via: 'https://bsky.app/profile/did:plc:reporterexamplecom00000000/post/3llink00003', trust: 'press' });
  });

  it("is not a social post's link, an account's at the social tier included: the post never stands in for the article", () => {
    expect(anyone).toMatchObject({ url: 'https://bsky.app/profile/did:plc:someoneposting00000000000/post/3llink00001', trust: 'social' });
    expect(socialAccount).toMatchObject({ url: 'https://bsky.app/profile/did:plc:punditexamplenet0000000000/post/3llink00002', trust: 'social', publisher: 'pundit.example.net' });
    expect(anyone!.via).toBeUndefined();
    expect(socialAccount!.via).toBeUndefined();
  });
});

describe("an official account's link card", () => {
  const [otherLab, ownPage] = fixtureItems('official-cards.jsonl');

  it("is read when the card's page is on the account's own publisher's domain", () => {
    expect(ownPage).toMatchObject({ trust: 'official', url: 'https://about.meta.com/news/caisi', text: "Today's news:\n\nWe have signed the CAISI agreement\n\nPre-release testing with CAISI." });
  });

  it("is not read when the page is another's: another lab's \"we have signed\" would be read as Meta signing", () => {
    expect(otherLab).toMatchObject({ trust: 'official', speaksFor: ['meta'], text: 'Congratulations to our friends at Anthropic.' });
    // What the extractor makes of the words in Meta's voice, with the card and without it.
    const said = (text: string) => extract(extractor, { id: 't', text, published: new Date('2026-11-20T12:02:00Z'), speaker: 'meta' }).map(short);
    expect(said('Congratulations to our friends at Anthropic.\n\nWe have signed the CAISI agreement\n\nOur commitment to pre-release testing.')).toContain('meta signed');
    expect(said(otherLab!.text)).not.toContain('meta signed');
  });
});
