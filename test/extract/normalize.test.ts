import { describe, expect, it } from 'vitest';
import { normalizeText, skeleton } from '../../src/extract/normalize.js';

describe('normalizeText', () => {
  it('folds quotes, dashes, compatibility forms and spaces', () => {
    expect(normalizeText('Meta\u2019s  \u201Cpact\u201D\u2014signed\u00A0now')).toBe('Meta\'s "pact" — signed now');
    expect(normalizeText('ＯｐｅｎＡＩ signs')).toBe('OpenAI signs');
    expect(normalizeText('line one\nline\ttwo\u0007')).toBe('line one line two');
    // Each of the rarer rewrites alone, in a text that needs no other.
    expect(normalizeText('Meta \u201Csigned\u201D today')).toBe('Meta "signed" today');
    expect(normalizeText('Meta\u2013signed')).toBe('Meta — signed');
    expect(normalizeText('Meta\u00A0signed')).toBe('Meta signed');
    expect(normalizeText('\u00E9t\u00E9  sign\u00E9 \u0085')).toBe('\u00E9t\u00E9 sign\u00E9');
  });

  it('drops soft hyphens and marks zero-width characters', () => {
    expect(normalizeText('Meta sig\u00ADned')).toBe('Meta signed');
    expect(normalizeText('Me\u200Dta')).toBe('Me\u200Bta');
  });

  it('is idempotent and leaves plain ASCII alone', () => {
    const once = normalizeText('Meta \u2014 the holdout \u2014 signs');
    expect(normalizeText(once)).toBe(once);
    expect(normalizeText('Plain text.')).toBe('Plain text.');
  });
});

describe('skeleton', () => {
  it('shows the Latin look-alike of a spoofed name, and nothing for a plain word', () => {
    expect(skeleton('Мeta')).toBe('Meta');
    expect(skeleton('Me\u200Bta')).toBe('Meta');
    expect(skeleton('Meta')).toBeUndefined();
  });
});
