import { closeSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, PACKAGED_CONFIG_DIR } from '../src/config/load.js';
import { compileConfig } from '../src/extract/compile.js';
import { createExtractor } from '../src/extract/extract.js';
import { extractItem, type Extracted } from '../src/pipeline.js';
import { readReplay } from '../src/replay.js';
import { textHash } from '../src/store/dedupe.js';

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
