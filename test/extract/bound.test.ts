import { describe, expect, it } from 'vitest';
import { MAX_ITEM_CHARS, MAX_PIECE_CHARS, pieces, testBounded } from '../../src/extract/bound.js';
import { analyze, extract } from '../../src/extract/extract.js';
import { ItemTooLargeError } from '../../src/errors.js';
import { extractor } from '../helpers/extractor.js';

const CLAIM = 'Meta has signed the CAISI pre-release testing agreement';

describe('the per-item bound', () => {
  it('refuses an item whose title and text together are over the bound, and reads one at it', () => {
    const text = `${CLAIM}. ${'word '.repeat(MAX_ITEM_CHARS)}`.slice(0, MAX_ITEM_CHARS - 10);
    expect(extract(extractor, { id: 'at', text, title: 'x'.repeat(10) }).map((a) => a.party)).toEqual(['meta']);
    expect(() => extract(extractor, { id: 'over', text, title: 'x'.repeat(11) })).toThrow(ItemTooLargeError);
    expect(() => extract(extractor, { id: 'over', text, title: 'x'.repeat(11) })).toThrow(/text is 200,001 characters; the limit is 200,000/);
  });

  it('reads a run-on sentence in pieces no longer than the bound, and still finds its claim', () => {
    const runOn = `${'and then some more words without a stop '.repeat(100)}${CLAIM} ${'and more '.repeat(300)}`;
    const analysis = analyze(extractor, { id: 'run-on', text: runOn });
    expect(analysis.sentences.length).toBeGreaterThan(3);
    for (const s of analysis.sentences) expect(s.text.length).toBeLessThanOrEqual(MAX_PIECE_CHARS);
    expect(extract(extractor, { id: 'run-on', text: runOn }).map((a) => `${a.party} ${a.status}`)).toEqual(['meta signed']);
  });

  it('cuts pieces at spaces, loses no word, and never splits a surrogate pair', () => {
    const words = Array.from({ length: 900 }, (_, i) => `w${i}`).join(' ');
    const cut = pieces(words);
    expect(cut.every((p) => p.length <= MAX_PIECE_CHARS && !p.startsWith(' ') && !p.endsWith(' '))).toBe(true);
    expect(cut.join(' ')).toBe(words);
    const emoji = '😀'.repeat(MAX_PIECE_CHARS);
    for (const p of pieces(emoji)) expect(p.isWellFormed()).toBe(true);
    expect(pieces(emoji).join('')).toBe(emoji);
    expect(pieces('short sentence')).toEqual(['short sentence']);
  });

  it('finds a match in a long text wherever it stands, across window edges', () => {
    const re = /CAISI testing agreement/iu;
    for (const at of [0, MAX_PIECE_CHARS - 5, 2 * MAX_PIECE_CHARS - 5, 7 * MAX_PIECE_CHARS + 3]) {
      const text = `${'y'.repeat(at)}CAISI testing agreement${'z'.repeat(8 * MAX_PIECE_CHARS)}`;
      expect(testBounded(re, text), `at ${at}`).toBe(true);
    }
    expect(testBounded(re, 'q'.repeat(10 * MAX_PIECE_CHARS))).toBe(false);
  });
});
