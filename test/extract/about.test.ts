// A source that says its items are about an agreement (sources.yaml `about`): the weakest context, after the text, the address and the topic.
import { describe, expect, it } from 'vitest';
import { analyze, extract } from '../../src/extract/extract.js';
import { formatExplain } from '../../src/extract/explain.js';
import { parseInputLine } from '../../src/extract/input.js';
import { extractor, short } from '../helpers/extractor.js';

const claims = (text: string, about?: string[], url?: string) => extract(extractor, { id: 't', text, about, url }).map(short);

describe("an item from a source that is about an agreement", () => {
  it('is about that agreement when it names none', () => {
    expect(claims('Meta signed the agreement on Tuesday.', ['caisi'])).toEqual(['meta signed']);
    expect(claims('Meta signed the agreement on Tuesday.')).toEqual([]);
    expect(claims('Meta signed the agreement on Tuesday.', ['some-other-tracker'])).toEqual([]);
  });

  const bare = 'Meta signed the agreement on Tuesday.';
  it('never overrides an agreement the text names, in the sentence or elsewhere in the item', () => {
    expect(claims(bare, ['caisi'])).toEqual(['meta signed']);
    expect(claims('Meta signed the EU code of practice on Tuesday.', ['caisi'])).toEqual([]);
    expect(claims('Meta signed the agreement on Tuesday. The EU code of practice asks for model documentation.', ['caisi'])).toEqual([]);
  });

  it('never overrides an address that names another agreement', () => {
    expect(claims(bare, ['caisi'], 'https://news.example/2026/tech-giants-and-washington')).toEqual(['meta signed']);
    expect(claims('Meta signed the agreement on Tuesday.', ['caisi'], 'https://news.example/2026/meta-and-the-eu-code-of-practice')).toEqual([]);
  });

  it('an agreement of its own in the object is still not this one ("a content licensing deal")', () => {
    expect(claims('Meta signed a deal on Tuesday.', ['caisi'])).toEqual(['meta signed']);
    expect(claims('Meta signed a content licensing deal with news publishers.', ['caisi'])).toEqual([]);
  });

  it('comes after the address and the topic: they give the reason when they apply', () => {
    const reasons = (text: string, url?: string) =>
      analyze(extractor, { id: 't', text, url, about: ['caisi'] }).sentences.flatMap((s) => s.findings.map((f) => f.agreement.reason));
    expect(reasons('Meta signed the agreement on Tuesday.')).toEqual(["no agreement is named, and the item's source is about it"]);
    expect(reasons('Meta signed the agreement on Tuesday.', 'https://news.example/2026/meta-signs-caisi-deal')[0]).toMatch(/the item's address names it/);
  });

  it('explain says the source decided the agreement', () => {
    const shown = formatExplain(analyze(extractor, { id: 't', text: 'Meta signed the agreement on Tuesday.', about: ['caisi'] }));
    expect(shown).toContain(`agreement from context: the item's source is about "CAISI pre-release testing agreement"`);
    expect(shown).toContain(`agreement: no agreement is named, and the item's source is about it`);
    expect(shown).toContain('caisi meta signed asserted');
  });
});

describe('input lines of extract and rules eval', () => {
  const read = (o: object) => parseInputLine(JSON.stringify(o), 3);
  it('read "about" as a tracker id or a list of them', () => {
    expect(read({ id: 1, text: 'x', about: 'caisi' })).toMatchObject({ ok: true, value: { about: ['caisi'] } });
    expect(read({ id: 1, text: 'x', about: ['caisi', 'eu-code'] })).toMatchObject({ ok: true, value: { about: ['caisi', 'eu-code'] } });
    expect(read({ id: 1, text: 'x', about: null })).toMatchObject({ ok: true, value: { about: undefined } });
  });

  it('refuse any other "about", naming the line', () => {
    for (const about of [7, { caisi: true }, ['caisi', 2]]) {
      expect(read({ id: 1, text: 'x', about })).toEqual({ ok: false, id: 1, error: 'line 3: "about" must be a tracker id or a list of them, like "caisi" or ["caisi"]' });
    }
  });
});
