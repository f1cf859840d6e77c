import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, PACKAGED_CONFIG_DIR } from '../src/config/load.js';
import { replayItemFields, replayItemSchema, type ReplayField } from '../src/config/replay-schema.js';
import { compileConfig } from '../src/extract/compile.js';
import { createExtractor } from '../src/extract/extract.js';
import { extractItem, type Extracted } from '../src/pipeline/process.js';
import { readReplay } from '../src/replay.js';
import { parseLine, sourceMap } from '../src/replay-line.js';
import { textHash } from '../src/text/fingerprints.js';

// The worker runs the built file (vitest's global setup builds dist/), as the command does.
const built = '../dist/src/replay-reader.js';
const { readReplayInWorker } = (await import(built)) as typeof import('../src/replay-reader.js');

const config = loadConfig(PACKAGED_CONFIG_DIR);
const fetchedAt = new Date('2026-11-27T00:00:00Z');
const open: number[] = [];
afterEach(() => open.splice(0).forEach((fd) => closeSync(fd)));

function fileWith(content: string | Buffer): { file: string; fd: number } {
  const file = join(mkdtempSync(join(tmpdir(), 'pw-replay-')), 'items.jsonl');
  writeFileSync(file, content);
  const fd = openSync(file, 'r');
  open.push(fd);
  return { file, fd };
}

const line = (id: string, published?: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id, text: `story ${id}`, url: `https://example.com/${id}`, trust: 'press', ...(published ? { published } : {}), ...extra });

describe('readReplay', () => {
  it('gives the items in date order, ties in file order, an undated line at fetch time', () => {
    const { file, fd } = fileWith(
      [line('c', '2026-03-01'), line('undated'), line('a', '2026-01-01'), line('b1', '2026-02-01'), line('b2', '2026-02-01')].join('\n') + '\n',
    );
    const replay = readReplay(fd, file, config, fetchedAt);
    expect(replay.errors).toEqual([]);
    expect(replay.count).toBe(5);
    expect([...replay.items()].map((i) => i.id)).toEqual(['a', 'b1', 'b2', 'c', 'undated']);
  });

  it('reports bad lines by number, skips blank ones, and reads CRLF, a BOM and a last line without a newline', () => {
    const { file, fd } = fileWith('\uFEFF' + [line('first', '2026-01-01'), '', 'not json', '{"id":"x"}', '  ', line('last', '2026-01-02')].join('\r\n'));
    const replay = readReplay(fd, file, config, fetchedAt);
    expect(replay.errors).toEqual([expect.stringMatching(/^line 3: not JSON/), 'line 4: "text" is missing']);
    expect([...replay.items()].map((i) => i.id)).toEqual(['first', 'last']);
  });

  it('reads a file bigger than its buffer, shuffled, with a line longer than the buffer', () => {
    const filler = 'x'.repeat(300);
    const lines = Array.from({ length: 6000 }, (_, i) => line(`n${i}`, new Date(Date.UTC(2026, 0, 1) + ((i * 7919) % 6000) * 60_000).toISOString(), { title: filler }));
    // 2.5 MB: more than twice the 1 MB buffer; the text itself stays under the per-item bound.
    const long = 'word '.repeat(30_000);
    const padding = 'word '.repeat(500_000);
    lines.splice(3000, 0, JSON.stringify({ id: 'long', text: long, padding, trust: 'press', publisher: 'example.com', published: '2025-12-31' }));
    const { file, fd } = fileWith(lines.join('\n'));
    const replay = readReplay(fd, file, config, fetchedAt);
    expect(replay.errors).toEqual([]);
    const items = [...replay.items()];
    expect(items).toHaveLength(6001);
    expect(items[0]!.id).toBe('long');
    expect(items[0]!.text).toBe(long);
    const times = items.map((i) => i.publishedAt!.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(items.map((i) => i.id)).size).toBe(6001);
    expect(items.every((i) => i.id === 'long' || i.title === filler)).toBe(true);
  });

  it('carries a line\'s "fictional" mark to its item, names the first marked line, and refuses a mark that is not true or false', () => {
    const { file, fd } = fileWith(
      [
        line('real', '2026-01-03'),
        line('made-up', '2026-01-01', { fictional: true }),
        line('said-false', '2026-01-02', { fictional: false }),
        line('said-yes', '2026-01-04', { fictional: 'yes' }),
        line('also-made-up', '2026-01-05', { fictional: true }),
      ].join('\n'),
    );
    const replay = readReplay(fd, file, config, fetchedAt);
    expect(replay.errors).toEqual(['line 4: "fictional" must be true or false, not "yes"']);
    expect(replay.firstFictional).toBe(2);
    expect([...replay.items()].map((i) => `${i.id} ${i.fictional}`)).toEqual(['made-up true', 'said-false false', 'real false', 'also-made-up true']);
    const { file: plain, fd: plainFd } = fileWith(line('real', '2026-01-03'));
    expect(readReplay(plainFd, plain, config, fetchedAt).firstFictional).toBeUndefined();
  });

  it('reports an item over the per-item bound as a bad line and reads the rest', () => {
    const huge = JSON.stringify({ id: 'huge', text: 'word '.repeat(50_000), url: 'https://example.com/huge', trust: 'press', published: '2026-01-02' });
    const { file, fd } = fileWith([line('first', '2026-01-01'), huge, line('last', '2026-01-03')].join('\n'));
    const replay = readReplay(fd, file, config, fetchedAt);
    expect(replay.errors).toEqual(['line 2: text is 250,000 characters; the limit is 200,000']);
    expect([...replay.items()].map((i) => i.id)).toEqual(['first', 'last']);
  });

  it('names the line when the file changes between reading it and replaying it', () => {
    const { file, fd } = fileWith([line('a', '2026-01-01'), line('b', '2026-01-02'), line('c', '2026-01-03')].join('\n'));
    const replay = readReplay(fd, file, config, fetchedAt);
    writeFileSync(file, [line('a', '2026-01-01'), line('B', '2026-01-02'), line('c', '2026-01-03')].join('\n').replace('"B"', '{B}'));
    expect(() => [...replay.items()]).toThrow(`${file}: line 2 changed while it was replayed: not JSON`);
    writeFileSync(file, line('a', '2026-01-01'));
    expect(() => [...replay.items()]).toThrow(`${file}: line 2 changed while it was replayed: the file is shorter`);
  });

  it('names the file it cannot read', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pw-replay-')), 'a-folder');
    mkdirSync(dir);
    const fd = openSync(dir, 'r');
    open.push(fd);
    expect(() => readReplay(fd, dir, config, fetchedAt)).toThrow(`cannot read ${dir}: EISDIR`);
  });
});

describe('readReplayInWorker', () => {
  const extractor = createExtractor(compileConfig(config));
  /** Every item of a reader, asking for `size` at a time, a few chunks ahead as replay does. */
  async function readAll(reader: ReturnType<typeof readReplayInWorker>, size: number): Promise<Extracted[]> {
    const out: Extracted[] = [];
    const ahead = [reader.next(size), reader.next(size), reader.next(size)];
    for (;;) {
      const chunk = await ahead.shift()!;
      ahead.push(reader.next(size));
      out.push(...chunk.items);
      if (chunk.length < size) return out;
    }
  }

  it('gives the items, assertions and text hashes that one thread works out, for any chunk size', async () => {
    const claims = ['Meta signs the CAISI pre-release testing agreement.', 'Meta has not signed the CAISI agreement.', 'Microsoft joins CAISI testing.'];
    const lines = Array.from({ length: 3000 }, (_, i) =>
      line(`n${i}`, new Date(Date.UTC(2026, 0, 1) + ((i * 7919) % 3000) * 60_000).toISOString(), {
        text: i % 97 === 0 ? claims[i % 3] : `story n${i}: Apple ships a budget laptop. “Strong demand” was cited.`,
        url: `https://www.example.com/${i}/?utm_source=feed#top`,
        title: i % 2 ? `Headline ${i}` : undefined,
        // Made-up lines, all after the long line in the middle: the worker, which reads that half, finds the first.
        fictional: i >= 2000 && i % 3 === 0 ? true : undefined,
      }),
    );
    lines.splice(1500, 0, JSON.stringify({ id: 'long', text: 'word '.repeat(30_000), padding: 'word '.repeat(500_000), trust: 'press', publisher: 'example.com', published: '2025-12-31' }), 'not json');
    const { file, fd } = fileWith('\uFEFF' + lines.join('\r\n'));
    const alone = readReplay(fd, file, config, fetchedAt);
    const expected = [...alone.items()].map((item) => ({ item, assertions: extractItem(extractor, item), textHash: textHash(item.title, item.text) }));
    expect(expected.filter((p) => p.assertions.length).length).toBeGreaterThan(20);
    expect(expected.filter((p) => p.item.fictional).length).toBe(333);
    expect(alone.firstFictional).toBe(2004);
    for (const size of [7, 500]) {
      const reader = readReplayInWorker(fd, file, config, fetchedAt);
      try {
        expect(await reader.index()).toStrictEqual({ errors: alone.errors, count: 3001, firstFictional: 2004 });
        const got = await readAll(reader, size);
        expect(got.map((p) => p.item)).toEqual(expected.map((p) => p.item));
        expect(got.map((p) => p.assertions)).toEqual(expected.map((p) => p.assertions));
        expect(got.map((p) => p.textHash.toString('hex'))).toEqual(expected.map((p) => p.textHash.toString('hex')));
      } finally {
        await reader.close();
      }
    }
  });

  it('names the line when the file changes after it was indexed', async () => {
    const { file, fd } = fileWith([line('a', '2026-01-01'), line('b', '2026-01-02'), line('c', '2026-01-03')].join('\n'));
    const reader = readReplayInWorker(fd, file, config, fetchedAt);
    try {
      expect(await reader.index()).toEqual({ errors: [], count: 3 });
      writeFileSync(file, [line('a', '2026-01-01'), '{B}'.padEnd(line('b', '2026-01-02').length), line('c', '2026-01-03')].join('\n'));
      const failed = reader.next(10);
      await expect(failed).rejects.toThrow(`${file}: line 2 changed while it was replayed: not JSON`);
      await expect(failed).rejects.toMatchObject({ name: 'UsageError' });
      // Once failed, it stays failed.
      await expect(reader.next(10)).rejects.toThrow('line 2 changed');
    } finally {
      await reader.close();
    }
  });

  it('splits the first pass between the threads anywhere and still numbers every line as one thread does', async () => {
    const good = (id: string, day: number) => line(id, `2026-01-${String(day).padStart(2, '0')}`);
    const files = [
      '',
      good('only', 1),
      `${good('a', 2)}\n${good('b', 1)}\n`,
      `\uFEFF${good('a', 3)}\r\nnot json\r\n\r\n${good('b', 1)}\r\n{"id":"x"}\r\n${good('c', 2)}`,
      // A made-up line in either half, or in both.
      [good('a', 2), good('b', 1), line('c', '2026-01-03', { fictional: true })].join('\n'),
      [line('a', '2026-01-02', { fictional: true }), good('b', 1), good('c', 3)].join('\n'),
      [line('a', '2026-01-02', { fictional: true }), good('b', 1), line('c', '2026-01-03', { fictional: true })].join('\n'),
      // The middle falls in a long line: the second half starts after it.
      [good('a', 2), JSON.stringify({ id: 'long', text: 'word '.repeat(20_000), trust: 'press', publisher: 'example.com' }), 'bad', good('b', 1)].join('\n'),
    ];
    for (const content of files) {
      const { file, fd } = fileWith(content);
      const alone = readReplay(fd, file, config, fetchedAt);
      const reader = readReplayInWorker(fd, file, config, fetchedAt);
      try {
        expect(await reader.index()).toEqual({ errors: alone.errors, count: alone.count, firstFictional: alone.firstFictional });
        expect((await readAll(reader, 2)).map((p) => p.item)).toEqual([...alone.items()]);
      } finally {
        await reader.close();
      }
    }
  });

  it('names the file it cannot read', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pw-replay-')), 'a-folder');
    mkdirSync(dir);
    const fd = openSync(dir, 'r');
    open.push(fd);
    expect(() => readReplayInWorker(fd, dir, config, fetchedAt)).toThrow(`cannot read ${dir}: not a file`);
  });
});

describe('parseLine and the replay line schema (config/schema/replay-item.schema.json)', () => {
  const sources = sourceMap(config);
  const parsed = (raw: string) => parseLine(raw, sources, fetchedAt);
  const schemaTakes = (raw: string) => replayItemSchema.safeParse(JSON.parse(raw)).success;
  const base = { id: 'x', text: 'Meta signs the CAISI agreement.', url: 'https://example.com/x', published: '2026-05-12T14:00:00Z', trust: 'press' };
  /** The base line with `change` applied; a field set to `undefined` is left out. */
  const lineWith = (change: Record<string, unknown>) => JSON.stringify({ ...base, ...change });

  const good = [
    ...readFileSync(join(import.meta.dirname, '../fixtures/demo/caisi-story.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== ''),
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
