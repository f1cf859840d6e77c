import { mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileConfig } from '../../src/extract/compile.js';
import { createExtractor } from '../../src/extract/extract.js';
import { extractItem, type Extracted } from '../../src/pipeline/process.js';
import { readReplay } from '../../src/replay/replay.js';
import { textHash } from '../../src/text/fingerprints.js';
import { closeReplayFiles, config, fetchedAt, keepOpen, line, replayFile } from '../helpers/replay-file.js';

// The worker runs the built file (vitest's global setup builds dist/), as the command does.
const built = '../../dist/src/replay/reader.js';
const { readReplayInWorker } = (await import(built)) as typeof import('../../src/replay/reader.js');

afterEach(closeReplayFiles);

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
    const { file, fd } = replayFile('\uFEFF' + lines.join('\r\n'));
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
    const { file, fd } = replayFile([line('a', '2026-01-01'), line('b', '2026-01-02'), line('c', '2026-01-03')].join('\n'));
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
      const { file, fd } = replayFile(content);
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
    keepOpen(fd);
    expect(() => readReplayInWorker(fd, dir, config, fetchedAt)).toThrow(`cannot read ${dir}: not a file`);
  });
});
