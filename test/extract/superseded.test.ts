// A holdout told in the past perfect is the state before the item's news: a signing in the same item ends it.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/extract/extract.js';
import { formatExplain } from '../../src/extract/explain.js';
import { claims, extractor } from '../helpers/extractor.js';

describe('a prior state in the past perfect', () => {
  it('gives way to the signing the item reports, before it or after it', () => {
    expect(claims('Amazon joined the CAISI testing program on Monday. The company had long resisted a formal arrangement with the agency.')).toEqual(['amazon signed']);
    expect(claims('Amazon had been holding out on the CAISI deal for months. On Monday it signed the agreement.')).toEqual(['amazon signed']);
  });

  it('stands when nothing in the item ends it, or for a party that did not sign', () => {
    expect(claims('Amazon had resisted the CAISI testing agreement for months, officials said.')).toEqual(['amazon holdout']);
    expect(claims('Amazon signed the CAISI agreement on Monday. Meta had refused to sign it, officials said.')).toContain('meta declined');
  });

  it('is not the present: "has resisted" stands beside a signing elsewhere in the item', () => {
    expect(claims('Amazon signed the CAISI agreement in May. Meta has resisted the arrangement since.').sort()).toEqual(['amazon signed', 'meta holdout']);
  });

  it('explain says why the holdout made no assertion', () => {
    const text = 'Amazon joined the CAISI testing program on Monday. The company had long resisted a formal arrangement with the agency.';
    expect(formatExplain(analyze(extractor, { id: 't', text }))).toMatch(/amazon: overridden by rule signed\.?\S* \(told in the past perfect, a state before the item's news that it signed\)/);
  });
});
