import { describe, expect, it } from 'vitest';
import { postLangs, primaryTag, unreadLanguages } from '../../src/text/langs.js';

describe("a post's language tags", () => {
  it('are lower-cased and trimmed, malformed ones dropped, at most three kept', () => {
    expect(postLangs(['EN', ' pt-BR ', '', 'not a tag!!', 'ja', 'de'])).toEqual(['en', 'pt-br', 'ja']);
  });

  it('keep each tag once, and drop what is not a string or a tag BCP-47 allows as a language', () => {
    expect(postLangs(['en', 'EN', 7, null, 'x-private', 'e', 'zh-Hant-TW', `en-${'a'.repeat(9)}`])).toEqual(['en', 'zh-hant-tw']);
  });

  it('are none when absent, not a list, or empty once malformed tags are dropped', () => {
    expect(postLangs(undefined)).toBeUndefined();
    expect(postLangs('en')).toBeUndefined();
    expect(postLangs([])).toBeUndefined();
    expect(postLangs(['', '??'])).toBeUndefined();
  });

  it("a tag's primary subtag is the part before the first hyphen", () => {
    expect(primaryTag('pt-br')).toBe('pt');
    expect(primaryTag('ja')).toBe('ja');
  });
});

describe('which posts the rules cannot read', () => {
  const en = new Set(['en']);
  it('a post tagged only in other languages, said plainly', () => {
    expect(unreadLanguages(en, ['ja', 'de'])).toBe('the post is tagged ja, de; the rules read en');
  });
  it('not a post with one tag the rules read, a regional one included, nor one with no tags', () => {
    expect(unreadLanguages(en, ['ja', 'en-gb'])).toBeUndefined();
    expect(unreadLanguages(en, undefined)).toBeUndefined();
    expect(unreadLanguages(en, [])).toBeUndefined();
  });
});
