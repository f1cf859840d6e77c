import { describe, expect, it } from 'vitest';
import { aliasRegExp, referencePass } from '../../bench/reference.js';
import { config } from '../helpers/extractor.js';

const item = (title: string, text: string) => ({ id: 'b', title, text, published: new Date(0) });

describe("the bench's reference pass", () => {
  const aliases = aliasRegExp(config);

  it('matches every party and agreement alias of the loaded config, as a whole word, in any case', () => {
    const all = config.trackers.flatMap((t) => [...t.parties.flatMap((p) => p.aliases), ...[t.agreement, ...t.others].flatMap((a) => a.aliases)]);
    expect(all.length).toBeGreaterThan(20);
    const missed = all.filter((a) => !aliases.test(`News: ${a.text}.`) || !aliases.test(a.text.toUpperCase()));
    expect(missed).toEqual([]);
    expect(['Metaverse sales', 'the Googleplex', 'xMeta', 'Me\u200Bta', 'X!AI'].filter((t) => aliases.test(t))).toEqual([]);
  });

  it('is built from the config given, not a list of its own', () => {
    const [tracker] = config.trackers;
    const party = { id: 'cohere', name: 'Cohere', aliases: [{ text: 'Cohere', caseSensitive: false }], exclude: [] };
    const more = { ...config, trackers: [{ ...tracker!, parties: [...tracker!.parties, party] }] };
    expect(aliases.test('Cohere signs')).toBe(false);
    expect(aliasRegExp(more).test('Cohere signs')).toBe(true);
  });

  it('reads title and text in compatibility form and counts the items that name anything', () => {
    const items = [item('ＯｐｅｎＡＩ ships', 'a model'), item('Apple ships', 'a phone'), item('Weekly roundup', 'and the AI Safety Institute'), item('Metaverse', 'news')];
    expect(referencePass(items, aliases)).toBe(2);
  });
});
