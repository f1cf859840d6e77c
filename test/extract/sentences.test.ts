import { describe, expect, it } from 'vitest';
import { compileAbbreviations, splitParagraphs, splitSentences } from '../../src/extract/sentences.js';

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

describe('splitParagraphs', () => {
  it('a line without end punctuation before a capitalised one is a line of its own; a line broken mid-sentence is not', () => {
    expect(splitParagraphs('Amazon joins rivals in opening its models to testing\nUS agencies will evaluate them first.\n\nNext paragraph.')).toEqual([
      'Amazon joins rivals in opening its models to testing',
      'US agencies will evaluate them first.',
      'Next paragraph.',
    ]);
    expect(splitParagraphs('The agreement was signed by\nthe three labs on Monday.')).toEqual(['The agreement was signed by\nthe three labs on Monday.']);
    expect(splitParagraphs('It ended here.\nThen this.')).toEqual(['It ended here.\nThen this.']);
    expect(splitParagraphs('Nvidia · Newsroom\nToday we joined the program.')).toEqual(['Nvidia · Newsroom\nToday we joined the program.']);
  });
});
