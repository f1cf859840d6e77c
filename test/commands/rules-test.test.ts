import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pactwatch } from '../helpers/cli.js';
import { lineOf, withTracker } from '../helpers/repo.js';

describe('`rules test` on a pattern that backtracks', () => {
  it('makes `rules test` exit 2 with the file, line and pattern', async () => {
    const dir = withTracker((y) => y.replace("- 'holdouts?'", "- '(?:x|xx)+y'"));
    const line = lineOf(dir, "'(?:x|xx)+y'");
    const run = await pactwatch(['rules', 'test', '--config', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`caisi\\.yaml:${line}: rules\\[\\d+\\]\\.cues\\[0\\]: pattern /\\(\\?:x\\|xx\\)\\+y/ can backtrack catastrophically`));
  });

  it('makes `rules test` exit 2 with the file, line and pattern, for a rule cue and for language.yaml', async () => {
    const dir = withTracker((y) => y.replace("- 'holdouts?'", "- '\\w+\\s*\\w+'"));
    const language = join(dir, 'language.yaml');
    writeFileSync(language, readFileSync(language, 'utf8').replace("pseudoNegation: ['not only',", "pseudoNegation: ['a*a*a*b', 'not only',"));
    const run = await pactwatch(['rules', 'test', '--config', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`caisi\\.yaml:${lineOf(dir, "'\\w+\\s*\\w+'")}: rules\\[\\d+\\]\\.cues\\[0\\]: pattern /\\\\w\\+\\\\s\\*\\\\w\\+/ can backtrack catastrophically: three loops in a row`));
    const languageLine = readFileSync(language, 'utf8').split('\n').findIndex((l) => l.startsWith('pseudoNegation')) + 1;
    expect(run.stderr).toMatch(new RegExp(`language\\.yaml:${languageLine}: pseudoNegation\\[0\\]: pattern /a\\*a\\*a\\*b/ can backtrack catastrophically: four loops in a row`));
  });
});
