import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { normalizeText, skeleton } from '../../src/text/normalize.js';

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

  // The rewrites are skipped when a first scan finds nothing for them and done in one pass when
  // it does; these texts, each with several kinds at once, give what the rewrites one after the
  // other gave.
  it('gives the same text when several kinds of character meet', () => {
    const cases: [string, string][] = [
      ['\u201CMeta\u201D \u2018signs\u2019\u2014Open\u00ADAI\u00A0too', '"Meta" \'signs\' — OpenAI too'],
      ['pre\u2011release \u2212 test \u00ABpact\u00BB', 'pre-release - test "pact"'],
      ['Meta \u00AD signed', 'Meta signed'],
      ['Meta\uFEFF\u2013signed', 'Meta — signed'],
      ['Meta \uFEFF signed', 'Meta \u200B signed'],
      ['Me\u200Cta and Goo\u2060gle', 'Me\u200Bta and Goo\u200Bgle'],
      ['\u2014 Meta \n\u2015\tsigned \u2012', '— Meta — signed —'],
      ['caf\u00E9\u0000\u0008closed\u009F now', 'caf\u00E9 closed now'],
      ['\u00E9\u2028 \u3000x\r\n', '\u00E9 x'],
      ['\u00AD\u2014Meta', '— Meta'],
      // NFKC first: a double prime is two primes, so two straight quotes.
      ['\u00E9t\u00E9 \u2032 \u2033', "\u00E9t\u00E9 ' ''"],
    ];
    expect(cases.map(([input]) => normalizeText(input))).toEqual(cases.map(([, output]) => output));
  });

  it('is idempotent and leaves plain ASCII alone', () => {
    const once = normalizeText('Meta \u2014 the holdout \u2014 signs');
    expect(normalizeText(once)).toBe(once);
    expect(normalizeText('Plain text.')).toBe('Plain text.');
  });

  it('gives text without wide characters one byte per character, whatever width it came in', () => {
    // A plain text cut from a document that held a curly quote comes in two bytes wide.
    const wideIn = 'x\u201D Meta signed the CAISI agreement. caf\u00E9'.slice(3);
    expect(width(wideIn)).toBe('two-byte');
    expect(width(normalizeText(wideIn))).toBe('one-byte');
    expect(width(normalizeText('\u201CMeta\u201D signed \u2018it\u2019'))).toBe('one-byte');
    expect(normalizeText('\u201CMeta\u201D signed')).toBe('"Meta" signed');
    // A dash's canonical form is wide, and the text stays so.
    expect(width(normalizeText('Meta \u2013 the holdout'))).toBe('two-byte');
  });
});

/** How V8 holds a string, read from its serialized form's tag. */
function width(text: string): 'one-byte' | 'two-byte' {
  const bytes = serialize(text);
  let at = 2; // version header
  while (bytes[at] === 0) at++; // padding before a two-byte string
  return bytes[at] === 0x22 ? 'one-byte' : 'two-byte';
}

describe('skeleton', () => {
  it('shows the Latin look-alike of a spoofed name, and nothing for a plain word', () => {
    expect(skeleton('Мeta')).toBe('Meta');
    expect(skeleton('Me\u200Bta')).toBe('Meta');
    expect(skeleton('Meta')).toBeUndefined();
  });
});
