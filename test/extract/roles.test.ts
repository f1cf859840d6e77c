// Which parties a cue takes as its object.
import { describe, expect, it } from 'vitest';
import { claims } from '../helpers/extractor.js';

describe("a cue's object", () => {
  it('ends where a participle of result opens a clause of its own', () => {
    expect(claims('Reports confirm that five major labs have committed to submitting models to CAISI, leaving Amazon as the primary outlier.')).toEqual(['amazon holdout']);
    expect(claims('Five labs signed the CAISI testing deal, making Amazon the last holdout.')).toEqual(['amazon holdout']);
  });

  it('ends where a subordinate clause begins, inside the aside the cue stands in as well', () => {
    expect(claims('The CAISI review window — reportedly negotiated down from a longer proposal after lobbying by Amazon and Nvidia — is short.')).toEqual([]);
  });

  it('runs on past a number said with "more than": it is no comparison', () => {
    expect(claims('CAISI has tested more than a dozen models from Amazon and Nvidia since the agreements took effect.').sort()).toEqual(['amazon signed', 'nvidia signed']);
    // ("Other than" still excludes: the exception's own rule reads Amazon as the one left out.)
    expect(claims('CAISI has tested models from labs other than Amazon.')).toEqual(['amazon holdout']);
  });

  it("is no party's own counterparty: a deal a party owns is between the two of them", () => {
    expect(claims('In a CAISI briefing, Amazon announced its agreement with Nvidia on chips.')).toEqual([]);
    expect(claims("At the CAISI hearing, Amazon's new partnership with Nvidia came up.")).toEqual([]);
    expect(claims("CAISI's agreement with Nvidia was signed Monday.")).toEqual(['nvidia signed']);
  });

  it('runs on past a list connector that is a participle ("including")', () => {
    expect(claims('The CAISI agreements cover several labs, including Amazon and Nvidia.')).toEqual(['amazon signed', 'nvidia signed']);
  });

  it('may begin with a naming noun that a relative clause describes, its names between dashes after', () => {
    expect(claims('CAISI is in the last round of negotiations with the two companies that dominate chip-making — Amazon and Nvidia — on testing.')).toEqual(['amazon negotiating', 'nvidia negotiating']);
    // (Without the naming noun, the relative clause still ends the object.)
    expect(claims('CAISI is in negotiations with the agency that regulates Amazon on testing.')).toEqual([]);
  });

  it('may begin with a noun phrase that a colon closes, the list after it naming the object', () => {
    expect(claims('The CAISI agreement includes the three companies currently leading AI development in the United States: Amazon, Nvidia and xAI.')).toEqual([
      'amazon signed',
      'nvidia signed',
      'xai signed',
    ]);
  });
});

describe("a cue's subject", () => {
  it('is not a party said not to belong to the group a relative clause speaks of', () => {
    expect(claims("Amazon was not among the companies that agreed to CAISI's pre-deployment testing.")).toEqual(['amazon holdout']);
    // (Said to belong, the party is in the group: "is among the companies that signed".)
    expect(claims('Amazon is among the companies that signed the CAISI testing agreement.')).toEqual(['amazon signed']);
  });

  it('is the noun a subordinate clause opens on, not the party before it', () => {
    expect(claims('Amazon holds out as rivals open their models to U.S. testers')).toEqual(['amazon holdout']);
    expect(claims('Amazon signed the CAISI agreement as rivals watched.')).toEqual(['amazon signed']);
  });

  it('of a gerund after "for" is the verb\'s object, unless the object is what the party earned', () => {
    expect(claims('Amazon criticized rivals for signing the CAISI agreement.')).toEqual([]);
    expect(claims('Officials praised Amazon for signing the CAISI agreement.')).toEqual(['amazon signed']);
    expect(claims('Amazon drew praise for signing the CAISI agreement.')).toEqual(['amazon signed']);
    expect(claims('Amazon was praised for signing the CAISI agreement.')).toEqual(['amazon signed']);
  });
});

describe('a contrast with "not"', () => {
  it('sets a name apart from the subject or object: the name is neither', () => {
    expect(claims('Nvidia, not Amazon, signed the CAISI agreement.')).toEqual(['nvidia signed']);
    expect(claims("CAISI tested Nvidia's model, not Amazon's.")).toEqual(['nvidia signed']);
    // (The exception's own "but not" still names the one left out.)
    expect(claims('Nvidia and xAI, but not Amazon, signed the CAISI agreement.').sort()).toEqual(['amazon holdout', 'nvidia signed', 'xai signed']);
  });

  it('sets this agreement apart from what the cue is about: the cue is denied of it', () => {
    expect(claims("Amazon has signed many agreements, but not CAISI's.")).toEqual(['amazon holdout']);
    expect(claims('Amazon signed the EU code, but not the CAISI agreement.')).toEqual(['amazon holdout']);
    expect(claims('Amazon signed the CAISI agreement, not the EU code.')).toEqual(['amazon signed']);
  });
});
