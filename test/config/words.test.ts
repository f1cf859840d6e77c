// Word classes in a tracker file: named once under `words:`, written {name} in its patterns.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { compileConfig } from '../../src/extract/compile.js';
import { createExtractor, extract } from '../../src/extract/extract.js';
import { expandWords, compileWordClasses } from '../../src/config/words.js';
import { problemsOf } from '../helpers/config-problems.js';
import { lineOf, withTracker } from '../helpers/repo.js';
import { short } from '../helpers/extractor.js';

const claims = (dir: string, text: string) => extract(createExtractor(compileConfig(loadConfig(dir))), { id: 't', text }).map(short);

describe('word classes', () => {
  it('write a class out as the alternation of its words, and leave quantifiers alone', () => {
    const classes = compileWordClasses({ testing: ['testing', 'vetting'], 'pre-word': ['pre-?'] });
    expect(expandWords('agree(?:s|d)? to (?:\\S+ ){0,3}?{testing}', classes)).toEqual({ pattern: 'agree(?:s|d)? to (?:\\S+ ){0,3}?(?:testing|vetting)', unknown: [] });
    expect(expandWords('{pre-word}release {nope}', classes).unknown).toEqual(['nope']);
  });

  it('reach every pattern that names the class: a word added once is read by the cue and the agreement alike', () => {
    const sentence = 'Meta agreed to government auditing before launch.';
    expect(claims(withTracker((y) => y), sentence)).toEqual([]);
    const dir = withTracker((y) => y.replace("testing: ['testing',", "testing: ['auditing', 'testing',"));
    expect(claims(dir, sentence)).toEqual(['meta signed']);
  });

  it('name the file, line and class when a pattern uses one the file does not define', () => {
    const dir = withTracker((y) => y.replace("- 'holdouts?'", "- '{holdout-words}'"));
    const line = lineOf(dir, '{holdout-words}');
    expect(problemsOf(dir).join('\n')).toMatch(new RegExp(`caisi\\.yaml:${line}: rules\\[\\d+\\]\\.cues\\[0\\]: pattern /\\{holdout-words\\}/ names \\{holdout-words\\}, which words: does not define \\(defined: testing, pact, testers, receivers, release, agency, products, talks, halting\\)`));
  });

  it('check each word as a pattern, naming the class', () => {
    const dir = withTracker((y) => y.replace("testing: ['testing',", "testing: ['test(?:ing', 'testing',"));
    const line = lineOf(dir, "test(?:ing'");
    expect(problemsOf(dir).join('\n')).toMatch(new RegExp(`caisi\\.yaml:${line}: words\\.testing\\[0\\]: pattern /test\\(\\?:ing/ does not compile`));
  });

  it('warn of a class no pattern uses', () => {
    const dir = withTracker((y) => y.replace('words:\n', "words:\n  unused: ['spare']\n"));
    expect(loadConfig(dir).warnings.map((w) => `${w.field}: ${w.message}`)).toEqual(['words.unused: word class "unused" is used by no pattern']);
  });
});
