import { describe, expect, it } from 'vitest';
import { compileConfig } from '../../src/extract/compile.js';
import { analyze, createExtractor, extract } from '../../src/extract/extract.js';
import { formatExplain } from '../../src/extract/explain.js';
import { languageSchema } from '../../src/config/language-schema.js';
import { config, extractor, short } from '../helpers/extractor.js';

// Posts say which languages they are in; the rules read the languages language.yaml names in `tags`.
const SIGNED = 'Meta has signed the CAISI pre-release testing agreement.';
const claims = (ex: typeof extractor, langs: string[] | undefined) => extract(ex, { id: 'p', text: SIGNED, langs }).map(short);

function withTags(tags: string[] | undefined) {
  const { tags: _shipped, ...rest } = config.language;
  return createExtractor(compileConfig({ trackers: config.trackers, language: languageSchema.parse(tags ? { ...rest, tags } : rest) }));
}

describe("the languages language.yaml's rules read", () => {
  it('the shipped file reads English', () => {
    expect(config.language.tags).toEqual(['en']);
  });

  it('a file without tags reads English, so an old config folder keeps working', () => {
    const old = withTags(undefined);
    expect(claims(old, ['en'])).toEqual(['meta signed']);
    expect(claims(old, ['de'])).toEqual([]);
  });

  it('tags [en, de] read a post tagged de', () => {
    expect(claims(withTags(['en', 'de']), ['de'])).toEqual(['meta signed']);
  });
});

describe('a post tagged with languages', () => {
  it('only in languages the rules do not read is not read: no assertion', () => {
    expect(claims(extractor, ['ja'])).toEqual([]);
    expect(claims(extractor, ['ja', 'de'])).toEqual([]);
  });

  it('in one language the rules read, a regional one included, is read; so is a post with no tags', () => {
    expect(claims(extractor, ['ja', 'en'])).toEqual(['meta signed']);
    expect(claims(extractor, ['en-gb'])).toEqual(['meta signed']);
    expect(claims(extractor, undefined)).toEqual(['meta signed']);
  });

  it('explain says why it was not read', () => {
    const analysis = analyze(extractor, { id: 'explain', text: SIGNED, langs: ['ja', 'de'] });
    expect(analysis.skipped).toBe('the post is tagged ja, de; the rules read en');
    expect(analysis.sentences).toEqual([]);
    expect(formatExplain(analysis)).toBe('not read: the post is tagged ja, de; the rules read en\n\nassertions: none');
  });
});
