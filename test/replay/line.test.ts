import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGED_CONFIG_DIR } from '../../src/config/load.js';
import { replayItemFields, replayItemSchema, type ReplayField } from '../../src/config/replay-schema.js';
import { parseLine, sourceMap } from '../../src/replay/line.js';
import { config, fetchedAt } from '../helpers/replay-file.js';

describe('parseLine and the replay line schema (config/schema/replay-item.schema.json)', () => {
  const sources = sourceMap(config);
  const parsed = (raw: string) => parseLine(raw, sources, fetchedAt);
  const schemaTakes = (raw: string) => replayItemSchema.safeParse(JSON.parse(raw)).success;
  const base = { id: 'x', text: 'Meta signs the CAISI agreement.', url: 'https://example.com/x', published: '2026-05-12T14:00:00Z', trust: 'press' };
  /** The base line with `change` applied; a field set to `undefined` is left out. */
  const lineWith = (change: Record<string, unknown>) => JSON.stringify({ ...base, ...change });

  const good = [
    ...readFileSync(join(import.meta.dirname, '../../fixtures/demo/caisi-story.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== ''),
    lineWith({}),
    lineWith({ id: 42, title: 'Meta signs', fictional: false, speaksFor: null, padding: 'fields it does not read are ignored' }),
    lineWith({ url: undefined, publisher: 'reuters.com', published: undefined }),
    lineWith({ url: null, publisher: 'reuters.com', published: null, title: null, source: null, fictional: null, speaksFor: null }),
    lineWith({ url: '', publisher: 'reuters.com', published: '  ', title: '', source: '' }),
    lineWith({ url: 'mailto:desk@example.com', publisher: 'example.com' }),
    lineWith({ trust: undefined, url: undefined, source: 'nist-news' }),
    lineWith({ source: 'nist-news', trust: 'social', publisher: 'ignored.example', speaksFor: ['ignored'] }),
    lineWith({ trust: 'official', speaksFor: 'all' }),
    lineWith({ trust: 'official', speaksFor: ['meta', 'openai'] }),
    lineWith({ trust: 'official', speaksFor: [] }),
    lineWith({ text: 'Meta 🖊 signs' }),
    // A post's language tags: a malformed one is dropped, never a bad line.
    lineWith({ langs: ['ja', 'EN', 'not a tag!!'] }),
    lineWith({ langs: [] }),
    lineWith({ langs: null }),
    ...['2026-05-12', '2026-05-12 14:00', '2026-05-12t14:00:05.123456z', '2026-05-12T14:00+0200', '2026-05-12T14:00:00-05:30', ' 2026-05-12 ', '2024-02-29'].map((published) => lineWith({ published })),
  ];

  // Keyed by field, so a field added to the schema needs lines here that parseLine refuses.
  const bad: Record<ReplayField, Record<string, unknown>[]> = {
    id: [{ id: undefined }, { id: '' }, { id: '  ' }, { id: null }, { id: true }, { id: { n: 1 } }],
    text: [{ text: undefined }, { text: '' }, { text: 5 }, { text: null }, { text: 'half a pair \ud800' }, { text: 'x'.repeat(200_001) }],
    title: [{ title: 5 }, { title: ['Meta signs'] }, { title: 'lone \udc00' }, { text: 'x'.repeat(150_000), title: 'y'.repeat(60_000) }],
    url: [{ url: 5 }, { url: 5, publisher: 'example.com' }, { url: 'not a url' }, { url: ['https://example.com/x'] }],
    published: [{ published: 1_747_058_400 }, { published: 'yesterday' }, { published: '2026-02-30' }, { published: '2026-13-01' }, { published: '12' }, { published: '12 May 2026' }],
    source: [{ source: 5 }, { source: ['nist-news'] }],
    trust: [{ trust: undefined }, { trust: 'rumour' }, { trust: '' }, { trust: 'Press' }, { trust: 1 }, { trust: null }, { source: 'nist-news', trust: 'rumour' }],
    publisher: [{ publisher: 5 }, { url: undefined, publisher: undefined }, { url: undefined, publisher: '  ' }, { url: 'mailto:desk@example.com' }],
    speaksFor: [{ speaksFor: 'meta' }, { speaksFor: 'All' }, { speaksFor: [1] }, { speaksFor: { meta: true } }, { speaksFor: true }],
    fictional: [{ fictional: 'yes' }, { fictional: 'true' }, { fictional: 1 }, { fictional: {} }],
    langs: [{ langs: 'ja' }, { langs: [1] }, { langs: { ja: true } }, { langs: true }],
  };

  it('both accept every good line, the demo story\'s included', () => {
    expect(good.length).toBeGreaterThan(11);
    const refused = good.filter((raw) => typeof parsed(raw) === 'string' || !schemaTakes(raw));
    expect(refused).toEqual([]);
  });

  it('both refuse every bad line, for each field', () => {
    const accepted: string[] = [];
    for (const [field, changes] of Object.entries(bad)) {
      for (const change of changes) {
        const raw = lineWith(change);
        const reader = parsed(raw);
        if (typeof reader !== 'string' || reader === '') accepted.push(`${field}: parseLine takes ${raw.slice(0, 200)}`);
        if (schemaTakes(raw)) accepted.push(`${field}: the schema takes ${raw.slice(0, 200)}`);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('has a property for each field parseLine reads and no other, in zod and in the shipped JSON Schema', () => {
    // parseLine reads a line as a ReplayField record (a field it reads that the schema lacks
    // does not compile); every field here has bad lines above that it refuses, so it reads them all.
    const fields = Object.keys(replayItemFields.shape).sort();
    expect(Object.keys(bad).sort()).toEqual(fields);
    const shipped = JSON.parse(readFileSync(join(PACKAGED_CONFIG_DIR, 'schema/replay-item.schema.json'), 'utf8')) as { allOf: { properties?: object }[] };
    expect(Object.keys(shipped.allOf[0]!.properties!).sort()).toEqual(fields);
  });

  it("carries a post's language tags to its item, read as the Bluesky sources read them", () => {
    expect(parsed(lineWith({ langs: [' JA ', 'not a tag!!', 'pt-BR'] }))).toMatchObject({ langs: ['ja', 'pt-br'] });
    expect(parsed(lineWith({ langs: [] }))).not.toHaveProperty('langs');
    expect(parsed(lineWith({ langs: 'ja' }))).toBe('"langs" must be a list of language tags, not "ja"');
  });

  it('names the field of the wrong type and shows its value', () => {
    expect(parsed(lineWith({ published: 1_747_058_400 }))).toBe('"published" must be a string, not 1747058400');
    expect(parsed(lineWith({ title: ['Meta signs'] }))).toBe('"title" must be a string, not ["Meta signs"]');
    expect(parsed(lineWith({ source: 'nist-news', trust: 'rumour' }))).toBe('"trust" must be one of official, press, social, not "rumour"');
    expect(parsed(lineWith({ speaksFor: 'x'.repeat(100) }))).toBe(`"speaksFor" must be "all" or a list of party ids, not "${'x'.repeat(38)}…`);
  });

  it('leaves to parseLine only what needs the config: whether a source is configured', () => {
    const raw = lineWith({ source: 'nowhere' });
    expect(parsed(raw)).toBe('unknown source "nowhere" (not in sources.yaml)');
    expect(schemaTakes(raw)).toBe(true);
  });
});
