// Parties that share a clause's status with no verb of their own: compared, companions, gapped.
import { describe, expect, it } from 'vitest';
import { claims } from '../helpers/extractor.js';

describe('an opening comparison', () => {
  it('"unlike" a holdout: the parties compared have signed', () => {
    expect(claims('Unlike Amazon, Nvidia and Microsoft, xAI has not agreed to let CAISI test its models.').sort()).toEqual([
      'amazon signed',
      'microsoft signed',
      'nvidia signed',
      'xai holdout',
    ]);
    expect(claims('Unlike Amazon, Nvidia has not signed the CAISI agreement.').sort()).toEqual(['amazon signed', 'nvidia holdout']);
  });

  it('between commas after the subject, is an aside all the same: the negation is the subject\'s', () => {
    expect(claims('Nvidia, unlike Amazon and xAI, has not signed the CAISI agreement.').sort()).toEqual(['amazon signed', 'nvidia holdout', 'xai signed']);
    expect(claims('Nvidia, like Amazon, has signed the CAISI agreement.').sort()).toEqual(['amazon signed', 'nvidia signed']);
  });

  it('"unlike" a signing says nothing of them: the contrast may be of anything else', () => {
    expect(claims('Unlike Nvidia, Amazon signed the CAISI agreement within a week.')).toEqual(['amazon signed']);
  });

  it('"like" a signing or a holdout: the same of them, and nothing when the main clause is hedged', () => {
    expect(claims('Like Amazon and Nvidia before them, Microsoft and xAI will now give CAISI access to models ahead of launch.').sort()).toEqual([
      'amazon signed',
      'microsoft signed',
      'nvidia signed',
      'xai signed',
    ]);
    expect(claims('Like Amazon, Nvidia may sign the CAISI agreement.')).toEqual(['nvidia signed hypothetical']);
  });

  it('a relative clause may hang on a name it compares', () => {
    expect(claims('Unlike Amazon, which signed in 2024, and Nvidia, which joined this year, xAI has yet to agree to CAISI testing.').sort()).toEqual([
      'amazon signed',
      'nvidia signed',
      'xai holdout',
    ]);
  });

  it('a companion named after the clause shares its status, negation included', () => {
    expect(claims('Amazon was one of the first two companies to sign the CAISI agreement, along with rival Nvidia.').sort()).toEqual(['amazon signed', 'nvidia signed']);
    expect(claims('Amazon has not signed the CAISI agreement, along with Nvidia.').sort()).toEqual(['amazon holdout', 'nvidia holdout']);
    // (Only a name that ends the clause: here Nvidia is another deal's party.)
    expect(claims('Amazon signed the CAISI agreement, along with a chip deal with Nvidia.')).toEqual(['amazon signed']);
  });

  it('a second subject whose verb is left out, with a date of its own, shares the verb', () => {
    expect(claims('Amazon signed up in March. Nvidia followed in May and xAI in June, leaving CAISI with five partners.').sort()).toEqual([
      'amazon signed',
      'nvidia signed',
      'xai signed',
    ]);
    expect(claims('Nvidia joined the CAISI program in May and Meta said nothing.')).toEqual(['nvidia signed']);
  });
});
