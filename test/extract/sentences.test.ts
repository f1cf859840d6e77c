import { describe, expect, it } from 'vitest';
import { compileAbbreviations, splitSentences } from '../../src/extract/sentences.js';

const abbreviations = compileAbbreviations(['U.S', 'A.I', 'Inc', 'Corp', 'Sen', 'Jan']);
const split = (t: string) => splitSentences(t, abbreviations);

describe('splitSentences', () => {
  it('does not end a sentence at an abbreviation or an initial', () => {
    expect(split('The U.S. agency and Meta Platforms Inc. talked. Sen. Ruiz said A.I. labs signed on Jan. 12.')).toEqual([
      'The U.S. agency and Meta Platforms Inc. talked.',
      'Sen. Ruiz said A.I. labs signed on Jan. 12.',
    ]);
    expect(split('J. Smith of Meta said so.')).toEqual(['J. Smith of Meta said so.']);
  });

  it('splits questions, exclamations, lower-case posts and emoji', () => {
    expect(split('Will Meta sign? No! not yet. ok 👀 who is left')).toEqual(['Will Meta sign?', 'No!', 'not yet.', 'ok 👀', 'who is left']);
  });
});
