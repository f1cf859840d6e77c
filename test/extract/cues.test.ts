import { describe, expect, it } from 'vitest';
import { claims } from '../helpers/extractor.js';

describe('when the agreement began', () => {
  it('an item dated before it reports on something else; the same words later are a signing', () => {
    const text = 'OpenAI, Google DeepMind and Anthropic have committed to provide early access to their AI models for safety research.';
    expect(claims(text, { published: '2023-06-12' })).toEqual([]);
    expect(claims(text, { published: '2026-06-12' })).toEqual(['openai signed', 'google-deepmind signed', 'anthropic signed']);
  });
});
