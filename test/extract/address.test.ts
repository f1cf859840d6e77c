import { describe, expect, it } from 'vitest';
import { addressWords } from '../../src/extract/address.js';
import { extract } from '../../src/extract/extract.js';
import { extractor } from '../helpers/extractor.js';

describe('addressWords', () => {
  it("reads a story's slug as words, leaving ids, dates and file endings out", () => {
    expect(addressWords('https://example.com/news/2026/06/24/meta-pressed-on-ai-model-review-12345.html')).toBe('meta pressed on ai model review');
    expect(addressWords('https://example.com/p/8f3a2c?id=7')).toBe('');
    expect(addressWords('https://example.com/the-u-s-wants-to-test-models-first.html')).toBe('the us wants to test models first');
    expect(addressWords('https://example.com/what-is-a-pact-for')).toBe('what is a pact for');
    // Two words are a slug; a lone word is a section's name.
    expect(addressWords('https://example.com/news/caisi-signatories')).toBe('caisi signatories');
    expect(addressWords('https://example.com/caisi/')).toBe('');
    expect(addressWords('not a url')).toBe('');
    expect(addressWords(undefined)).toBe('');
  });
});

describe('the address as the weakest context', () => {
  const statuses = (text: string, url?: string) => extract(extractor, { id: 't', text, url }).map((a) => `${a.party} ${a.status}`);
  const text = 'Amazon says it is still working through the terms and hopes to sign soon.';

  it('an item whose text names no agreement is about the one its address names or describes', () => {
    expect(statuses(text)).toEqual([]);
    expect(statuses(text, 'https://news.example/2026/amazon-nears-caisi-deal')).toEqual(['amazon negotiating']);
    expect(statuses(text, 'https://news.example/amazon-and-the-white-house-ai-model-review')).toEqual(['amazon negotiating']);
  });

  it('an address that names another agreement keeps the item off this one', () => {
    expect(statuses(text, 'https://news.example/amazon-and-the-eu-code-of-practice')).toEqual([]);
  });

  it('the text decides over the address', () => {
    expect(statuses('Amazon says it is working through the terms of the EU code of practice.', 'https://news.example/amazon-caisi-talks')).toEqual([]);
  });
});

describe('input lines', () => {
  it('carry the address as "url", or as the real corpus\'s "source_url"; a wrong type is a bad line', async () => {
    const { parseInputLine } = await import('../../src/extract/input.js');
    const read = (o: object) => parseInputLine(JSON.stringify(o), 1);
    expect(read({ id: 1, text: 'x', url: 'https://a.example/b-c-d' })).toMatchObject({ ok: true, value: { url: 'https://a.example/b-c-d' } });
    expect(read({ id: 1, text: 'x', source_url: 'https://a.example/e-f-g' })).toMatchObject({ ok: true, value: { url: 'https://a.example/e-f-g' } });
    expect(read({ id: 1, text: 'x', url: 7 })).toMatchObject({ ok: false, error: 'line 1: "url" must be a string' });
  });
});
