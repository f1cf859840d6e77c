import { describe, expect, it } from 'vitest';
import { claims } from '../helpers/extractor.js';

describe('when the agreement began', () => {
  it('an item dated before it reports on something else; the same words later are a signing', () => {
    const text = 'OpenAI, Google DeepMind and Anthropic have committed to provide early access to their AI models for safety research.';
    expect(claims(text, { published: '2023-06-12' })).toEqual([]);
    expect(claims(text, { published: '2026-06-12' })).toEqual(['openai signed', 'google-deepmind signed', 'anthropic signed']);
  });
});

describe('a cue that spans a party', () => {
  it('gives way to the cues inside it before the longest are chosen', () => {
    // ("agreed alongside Nvidia and xAI to submit" would be the signing cue's whole match; "alongside" is inside it.)
    expect(claims('Amazon has agreed alongside Nvidia and xAI to submit its models for CAISI evaluation.').sort()).toEqual(['amazon signed', 'nvidia signed', 'xai signed']);
  });
});

describe('a cue that finds no party where its rule looks', () => {
  it('gives way to the shorter cues inside it', () => {
    // ("expand … pact to" reads names after it, as in "CAISI expanded its agreements to Amazon"; here there are none,
    // and "expand" alone makes the subjects' own act a signing.)
    expect(claims('Amazon, Nvidia expand federal AI testing pact to cover agents')).toEqual(['amazon signed', 'nvidia signed']);
    expect(claims('CAISI expanded its testing agreements to Amazon this week.')).toEqual(['amazon signed']);
  });
});

describe('a signing a verb of holding back governs', () => {
  it('is that verb\'s object, not a deed', () => {
    expect(claims('Amazon has held off on signing the CAISI agreement.')).toEqual(['amazon holdout']);
    expect(claims('Amazon sat out the CAISI signing.')).toEqual(['amazon holdout']);
    expect(claims('Amazon has resisted signing the CAISI agreement.')).toEqual(['amazon holdout']);
  });

  it('a signing verb after the holdout\'s name, or after a comma, is a deed', () => {
    expect(claims('Amazon, the holdout, signed the CAISI agreement on Monday.')).toEqual(['amazon signed']);
    expect(claims('Amazon had resisted the CAISI program for months, signing only after the election.')).toEqual(['amazon signed']);
  });
});
