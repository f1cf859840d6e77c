import { describe, expect, it } from 'vitest';
import type { Item } from '../../src/model/item.js';
import { differentStories, keyItems, type Identity } from '../../src/sources/guids.js';
import { textHash } from '../../src/text/fingerprints.js';
import { canonicalUrl } from '../../src/text/urls.js';

const fetchedAt = new Date('2026-11-21T12:00:00Z');
function entry(id: string, url: string | undefined, title: string, text = `${title}.`): Item {
  return { id, sourceId: 'newsroom', url, title, text, fetchedAt, trust: 'official', publisher: 'meta.example', speaksFor: ['meta'] };
}
const stored = (i: Item): Identity => ({ canonicalUrl: canonicalUrl(i.url) ?? null, textHash: textHash(i.title, i.text) });
const nothingStored = () => undefined;

describe('differentStories', () => {
  const story = entry('g', 'https://meta.example/news/open-models', 'Introducing open models');

  it('a new link with new text under one GUID is another story', () => {
    expect(differentStories(stored(story), entry('g', 'https://meta.example/news/caisi', 'Meta signs the CAISI agreement'))).toBe(true);
  });

  it('the same link with new text is the article edited in place, and new tracking parameters change nothing', () => {
    expect(differentStories(stored(story), { ...story, text: 'Introducing open models. Updated with benchmarks.' })).toBe(false);
    expect(differentStories(stored(story), { ...story, url: 'https://www.meta.example/news/open-models/?utm_source=rss' })).toBe(false);
  });

  it('the same text under a new link is the article moved', () => {
    expect(differentStories(stored(story), { ...story, url: 'https://meta.example/2026/news/open-models' })).toBe(false);
  });

  it('without links the text decides', () => {
    const bare = entry('g', undefined, 'Workshop on standards');
    expect(differentStories(stored(bare), { ...bare })).toBe(false);
    expect(differentStories(stored(bare), entry('g', undefined, 'Nvidia withdraws'))).toBe(true);
  });
});

describe('keyItems', () => {
  it('keeps the GUIDs of a feed that gives each story its own, and repeated entries of one story are no sign', () => {
    const a = entry('a', 'https://wire.example/a', 'A');
    const items = [a, entry('b', 'https://wire.example/b', 'B'), { ...a }];
    expect(keyItems(items, null, nothingStored)).toEqual({ items, unreliableGuids: null });
  });

  it('two entries of one poll with one GUID and different links: every item is keyed by link and text, and the finding names the GUID', () => {
    const items = [entry('g', 'https://meta.example/news/caisi', 'Meta signs the CAISI agreement'), entry('g', 'https://meta.example/news/open-models', 'Introducing open models')];
    const keyed = keyItems(items, null, nothingStored);
    expect(keyed.found).toBe(keyed.unreliableGuids);
    expect(keyed.unreliableGuids).toMatch(/^GUIDs unreliable since 2026-11-21T12:00:00\.000Z: one GUID \("g"\) on two entries of one poll \(https:\/\/meta\.example\/news\/caisi; https:\/\/meta\.example\/news\/open-models\)/);
    const ids = keyed.items.map((i) => i.id);
    expect(new Set(ids).size).toBe(2);
    expect(ids.every((id) => /^link\+text:[0-9a-f]{32}$/.test(id))).toBe(true);
  });

  it('a standing finding keys every item by link and text, the same key each poll, and reports nothing new', () => {
    const item = entry('anything', 'https://meta.example/news/x', 'X');
    const first = keyItems([item], 'earlier finding', nothingStored);
    const again = keyItems([{ ...item, id: 'something else', fetchedAt: new Date() }], 'earlier finding', nothingStored);
    expect(first).toMatchObject({ unreliableGuids: 'earlier finding', found: undefined });
    expect(again.items[0]!.id).toBe(first.items[0]!.id);
  });
});
