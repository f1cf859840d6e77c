import { closeSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, PACKAGED_CONFIG_DIR } from '../src/config/load.js';
import { readReplay } from '../src/replay.js';

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
    const long = 'word '.repeat(500_000); // 2.5 MB: more than twice the 1 MB buffer
    lines.splice(3000, 0, JSON.stringify({ id: 'long', text: long, trust: 'press', publisher: 'example.com', published: '2025-12-31' }));
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
