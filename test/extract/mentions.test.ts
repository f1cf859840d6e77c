import { describe, expect, it } from 'vitest';
import { findAgreements } from '../../src/extract/mentions.js';
import { extractor } from '../helpers/extractor.js';

const ct = extractor.compiled.trackers[0]!;
const mentions = (text: string) => findAgreements(ct, text).map((a) => `${a.isThis ? 'this' : a.agreement.id}: ${a.text}`);

describe('agreement mentions', () => {
  it('overlapping mentions of one agreement are one', () => {
    expect(mentions('Microsoft signed a similar AI model testing agreement with CAISI.')).toEqual(['this: AI model testing agreement', 'this: CAISI']);
  });

  it("of two agreements' overlapping mentions, the one that starts first wins", () => {
    expect(mentions('British government testers will evaluate new models from Microsoft before release.')).toEqual([
      'uk-aisi: British government testers will evaluate new models',
    ]);
  });

  it('the U.S. side of a pair that shares its noun is a mention of its own', () => {
    expect(mentions('US and UK government agencies will evaluate the models.')).toEqual(['this: US', 'uk-aisi: UK government']);
  });
});
