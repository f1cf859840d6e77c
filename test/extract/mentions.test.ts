import { describe, expect, it } from 'vitest';
import { findAgreements } from '../../src/extract/mentions.js';
import { claims, extractor } from '../helpers/extractor.js';

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

describe('lists of parties', () => {
  it("a list of possessive noun phrases names each owner: the nouns after a name's \"'s\" are its own", () => {
    expect(claims("CAISI will evaluate Amazon's Nova assistant, Nvidia's Nemotron chatbot and Microsoft's newest model before launch.").sort()).toEqual([
      'amazon signed',
      'microsoft signed',
      'nvidia signed',
    ]);
    // (Not a noun phrase of someone else's after the name: the list needs an owner on both sides.)
    expect(claims("CAISI will evaluate Amazon's Nova assistant, the White House and Nvidia said.")).toEqual(['amazon signed']);
  });
});
