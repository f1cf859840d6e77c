import { describe, expect, it } from 'vitest';
import type { Source } from '../../src/config/types.js';
import { MAX_EVENT_BYTES, postItem, postLink, readFrame } from '../../src/sources/jetstream-event.js';

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

  it('does not believe a createdAt after the event: the event\'s time is the post\'s', () => {
    const item = postItem(stream, { did: 'did:plc:x', rkey: '3labc', timeUs: 1795176000000000, record: { text: 'hi', createdAt: '2030-01-01T00:00:00Z' } }, undefined, new Date());
    expect(item.publishedAt).toEqual(new Date('2026-11-20T12:00:00Z'));
    expect(item).toMatchObject({ trust: 'social', speaksFor: null, author: 'did:plc:x' });
  });
});
