import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/sources/feed.js';
import { MAX_ENTRY_TEXT } from '../../src/sources/feed-entry.js';

const rss = (items: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>${items}</channel></rss>`;
const NOW = new Date('2026-12-01T12:00:00Z');

describe('parseFeed', () => {
  it('keeps at most MAX_ENTRY_TEXT characters of an entry', async () => {
    const body = 'Meta signed. '.repeat(20_000);
    const { entries } = await parseFeed(rss(`<item><title>Long</title><description>${body}</description></item>`), { now: NOW });
    expect(entries[0]!.text).toHaveLength(MAX_ENTRY_TEXT);
    expect(entries[0]!.text.startsWith('Meta signed. Meta signed.')).toBe(true);
  });

  it('reads a date days ahead as the time of reading, and says so', async () => {
    const { entries, notes } = await parseFeed(rss('<item><title>Ahead</title><pubDate>Fri, 01 Jan 2027 00:00:00 GMT</pubDate></item><item><title>Soon</title><pubDate>Tue, 01 Dec 2026 18:00:00 GMT</pubDate></item>'), { now: NOW });
    expect(entries.map((e) => e.publishedAt?.toISOString())).toEqual([NOW.toISOString(), '2026-12-01T18:00:00.000Z']);
    expect(notes).toEqual(['a date in the future ("Fri, 01 Jan 2027 00:00:00 GMT") read as the time of reading']);
  });

  it('reads each item alone when one will not parse, and says how many were lost', async () => {
    const doc = rss('<item><title>First</title><description>Fine.</description></item><item><title>Bad</title><guid>x</gud></item><item><title>Third</title><description>Fine too.</description></item>');
    const { entries, degraded } = await parseFeed(doc, { now: NOW });
    expect(entries.map((e) => e.title)).toEqual(['First', 'Third']);
    expect(degraded).toMatch(/not well-formed .*: read 2 item\(s\); 1 would not parse/);
  });

  it('still refuses, saying where, a document with no complete item', async () => {
    await expect(parseFeed('<?xml version="1.0"?><rss version="2.0"><channel><title>cut', { now: NOW })).rejects.toThrow(/not a well-formed feed: .*line 1/);
  });
});
