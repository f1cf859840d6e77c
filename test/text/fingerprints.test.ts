import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/text/normalize.js';
import { shingles, similarity, textHash, COPY_SIMILARITY } from '../../src/text/fingerprints.js';

describe('text fingerprints', () => {
  const wire =
    'Meta Platforms has signed the government pre-release testing agreement, according to two people familiar with the matter, ending months of pressure from the White House.';

  it('the same normalized text has the same hash', () => {
    expect(textHash('Meta signs', wire)).toEqual(textHash('META  SIGNS', ` ${wire.replace(/ /g, '  ')}`));
    expect(textHash('Meta signs', wire)).not.toEqual(textHash('Meta signs', `${wire} More.`));
  });

  it('hashes the normalized headline and text as one string', () => {
    // Normalizing the two parts apart gives the same key, except for a zero-width no-break space
    // beside a dash, which the dash rule reads as a space.
    for (const [title, text] of [
      ['Meta signs\uFEFF', '\u2014 the holdout'],
      ['Meta signs', '\uFEFF\u2014 the holdout'],
      ['Meta signs \u2014', ' the holdout'],
      [undefined, '  Meta\u00A0signs '],
      ['\u201CMeta signs\u201D', ''],
    ] as const) {
      const key = normalizeText(`${title ?? ''} ${text}`).toLowerCase();
      expect(textHash(title, text), JSON.stringify([title, text])).toEqual(createHash('sha256').update(key).digest().subarray(0, 16));
    }
  });

  it('a lightly edited copy is near, an independent report is far', () => {
    const copy = `${wire.replace('two people', 'two sources')} (Reporting by a wire service.)`;
    const independent =
      'After months of resisting, Meta agreed to let federal scientists test its Llama models before release, the company confirmed on Thursday in a blog post.';
    expect(similarity(shingles(wire), shingles(copy))).toBeGreaterThanOrEqual(COPY_SIMILARITY);
    expect(similarity(shingles(wire), shingles(independent))).toBeLessThan(COPY_SIMILARITY);
  });
});
