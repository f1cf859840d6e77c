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
