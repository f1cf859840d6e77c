import { mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readReplay } from '../../src/replay/replay.js';
import { closeReplayFiles, config, fetchedAt, keepOpen, line, replayFile } from '../helpers/replay-file.js';

afterEach(closeReplayFiles);

describe('readReplay', () => {
  it('gives the items in date order, ties in file order, an undated line at fetch time', () => {
    const { file, fd } = replayFile(
      [line('c', '2026-03-01'), line('undated'), line('a', '2026-01-01'), line('b1', '2026-02-01'), line('b2', '2026-02-01')].join('\n') + '\n',
    );
    const replay = readReplay(fd, file, config, fetchedAt);
    expect(replay.errors).toEqual([]);
    expect(replay.count).toBe(5);
    expect([...replay.items()].map((i) => i.id)).toEqual(['a', 'b1', 'b2', 'c', 'undated']);
  });

  it('reports bad lines by number, skips blank ones, and reads CRLF, a BOM and a last line without a newline', () => {
    const { file, fd } = replayFile('\uFEFF' + [line('first', '2026-01-01'), '', 'not json', '{"id":"x"}', '  ', line('last', '2026-01-02')].join('\r\n'));
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
    const { file, fd } = replayFile(lines.join('\n'));
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
    const { file, fd } = replayFile(
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
    const { file: plain, fd: plainFd } = replayFile(line('real', '2026-01-03'));
    expect(readReplay(plainFd, plain, config, fetchedAt).firstFictional).toBeUndefined();
  });

  it('reports an item over the per-item bound as a bad line and reads the rest', () => {
    const huge = JSON.stringify({ id: 'huge', text: 'word '.repeat(50_000), url: 'https://example.com/huge', trust: 'press', published: '2026-01-02' });
    const { file, fd } = replayFile([line('first', '2026-01-01'), huge, line('last', '2026-01-03')].join('\n'));
    const replay = readReplay(fd, file, config, fetchedAt);
    expect(replay.errors).toEqual(['line 2: text is 250,000 characters; the limit is 200,000']);
    expect([...replay.items()].map((i) => i.id)).toEqual(['first', 'last']);
  });

  it('names the line when the file changes between reading it and replaying it', () => {
    const { file, fd } = replayFile([line('a', '2026-01-01'), line('b', '2026-01-02'), line('c', '2026-01-03')].join('\n'));
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
    keepOpen(fd);
    expect(() => readReplay(fd, dir, config, fetchedAt)).toThrow(`cannot read ${dir}: EISDIR`);
  });
});
