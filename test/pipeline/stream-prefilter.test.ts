import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { streamPrefilter } from '../../src/pipeline/poll.js';

describe('the firehose prefilter', () => {
  const passes = streamPrefilter({ config: loadConfig(join(import.meta.dirname, '../../config')) });

  it('lets through a post naming a party or only the agreement ("we signed the CAISI agreement")', () => {
    expect(passes('OpenAI ships a new model')).toBe(true);
    expect(passes('We have signed the CAISI pre-release testing agreement.')).toBe(true);
    expect(passes('the ai safety institute said so')).toBe(true);
  });

  it('stops a post that names neither', () => {
    expect(passes('Lunch was great today.')).toBe(false);
    expect(passes('')).toBe(false);
  });
});
