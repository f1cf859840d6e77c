import { describe, expect, it } from 'vitest';
import { withoutScareQuotes } from '../../src/extract/scare-quotes.js';
import { extract } from '../../src/extract/extract.js';
import { claims, extractor } from '../helpers/extractor.js';

describe('scare quotes', () => {
  it('drops the marks around a word or a few, and keeps quotations, first persons and apostrophes', () => {
    expect(withoutScareQuotes('The U.S. promotes "voluntary" review of AI models.')).toBe('The U.S. promotes voluntary review of AI models.');
    expect(withoutScareQuotes("It will grant access to its 'proprietary models' and data.")).toBe('It will grant access to its proprietary models and data.');
    expect(withoutScareQuotes('Meta said "we will sign" soon.')).toBe('Meta said "we will sign" soon.');
    expect(withoutScareQuotes('Meta said "the terms are not ones any lab could accept" on Friday.')).toBe('Meta said "the terms are not ones any lab could accept" on Friday.');
    expect(withoutScareQuotes("Meta's and the labs' models")).toBe("Meta's and the labs' models");
  });

  it('rules read through them, and the evidence keeps them as written', () => {
    const text = 'The United States promotes "voluntary" review of AI models. Why doesn\'t Meta sign?';
    expect(claims(text)).toEqual(['meta holdout']);
    const [one] = extract(extractor, { id: 't', text: 'Meta gave the "early look" program access to its models under the CAISI deal.' });
    expect(one?.evidence).toBe('Meta gave the "early look" program access to its models under the CAISI deal.');
  });
});
