import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { MAX_PIECE_CHARS, pieces, testBounded } from '../../src/extract/bound.js';
import { MAX_ITEM_CHARS } from '../../src/text/item-size.js';
import { compileConfig } from '../../src/extract/compile.js';
import { analyze, createExtractor, extract } from '../../src/extract/extract.js';
import { ItemTooLargeError } from '../../src/errors.js';
import { copyConfig } from '../helpers/repo.js';
import { extractor } from '../helpers/extractor.js';

const CLAIM = 'Meta has signed the CAISI pre-release testing agreement';

describe('the per-item bound', () => {
  it('refuses an item whose title and text together are over the bound, and reads one at it', () => {
    const text = `${CLAIM}. ${'word '.repeat(MAX_ITEM_CHARS)}`.slice(0, MAX_ITEM_CHARS - 10);
    expect(extract(extractor, { id: 'at', text, title: 'x'.repeat(10) }).map((a) => a.party)).toEqual(['meta']);
    expect(() => extract(extractor, { id: 'over', text, title: 'x'.repeat(11) })).toThrow(ItemTooLargeError);
    expect(() => extract(extractor, { id: 'over', text, title: 'x'.repeat(11) })).toThrow(/text is 200,001 characters; the limit is 200,000/);
  });

  it('reads a run-on sentence in pieces no longer than the bound, and still finds its claim', () => {
    const runOn = `${'and then some more words without a stop '.repeat(100)}${CLAIM} ${'and more '.repeat(300)}`;
    const analysis = analyze(extractor, { id: 'run-on', text: runOn });
    expect(analysis.sentences.length).toBeGreaterThan(3);
    for (const s of analysis.sentences) expect(s.text.length).toBeLessThanOrEqual(MAX_PIECE_CHARS);
    expect(extract(extractor, { id: 'run-on', text: runOn }).map((a) => `${a.party} ${a.status}`)).toEqual(['meta signed']);
  });

  it('cuts pieces at spaces, loses no word, and never splits a surrogate pair', () => {
    const words = Array.from({ length: 900 }, (_, i) => `w${i}`).join(' ');
    const cut = pieces(words);
    expect(cut.every((p) => p.length <= MAX_PIECE_CHARS && !p.startsWith(' ') && !p.endsWith(' '))).toBe(true);
    expect(cut.join(' ')).toBe(words);
    const emoji = '😀'.repeat(MAX_PIECE_CHARS);
    for (const p of pieces(emoji)) expect(p.isWellFormed()).toBe(true);
    expect(pieces(emoji).join('')).toBe(emoji);
    expect(pieces('short sentence')).toEqual(['short sentence']);
  });

  it('finds a match in a long text wherever it stands, across window edges', () => {
    const re = /CAISI testing agreement/iu;
    for (const at of [0, MAX_PIECE_CHARS - 5, 2 * MAX_PIECE_CHARS - 5, 7 * MAX_PIECE_CHARS + 3]) {
      const text = `${'y'.repeat(at)}CAISI testing agreement${'z'.repeat(8 * MAX_PIECE_CHARS)}`;
      expect(testBounded(re, text), `at ${at}`).toBe(true);
    }
    expect(testBounded(re, 'q'.repeat(10 * MAX_PIECE_CHARS))).toBe(false);
  });
});

/** How many characters each call of a regex whose source holds `marker` may read, while `run` runs. */
function readsOf(marker: string, run: () => void): number[] {
  const exec = RegExp.prototype.exec;
  const reads: number[] = [];
  // test(), match() and friends call exec() too.
  RegExp.prototype.exec = function (this: RegExp, text: string) {
    if (this.source.includes(marker)) reads.push(text.length - (this.global || this.sticky ? this.lastIndex : 0));
    return exec.call(this, text);
  };
  try {
    run();
  } finally {
    RegExp.prototype.exec = exec;
  }
  return reads;
}

describe('the work one hostile item costs, with the worst pattern of each shape that config still loads', () => {
  // Config refuses a pattern whose failing match costs more than the square of the text a call
  // reads (config/backtracking.ts). So what one item costs is at most a constant times the sum,
  // over the calls that run a maintainer's pattern, of the square of what each call reads:
  // here at most (2 × 1,000) × (4 × 200,000) = 1.6 × 10⁹ steps per pattern, seconds at worst,
  // where the same pattern over the whole item at once would be 4 × 10¹⁰.
  const head = 'Meta signed the CAISI pre-release testing agreement. ';
  const run = ' Meta signed ' + 'q'.repeat(985);
  const tracker = (edit: (yaml: string) => string) => (dir: string) => {
    const file = join(dir, 'trackers/caisi.yaml');
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
  };
  const language = (edit: (yaml: string) => string) => (dir: string) => {
    const file = join(dir, 'language.yaml');
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
  };
  const shapes: [string, string, (dir: string) => void, string][] = [
    ['a rule cue: one loop after the search', 'q+x', tracker((y) => y.replace("- 'holdouts?'", "- 'q+x'")), run],
    ['an agreement pattern, probed in windows', 'q+x', tracker((y) => y.replace("  patterns:\n    - 'pre-?", "  patterns:\n    - 'q+x'\n    - 'pre-?")), run],
    ['a party exclusion', 'q+x', tracker((y) => y.replace("exclude: ['Meta[- ]?analys[ie]s',", "exclude: ['q+x', 'Meta[- ]?analys[ie]s',")), run],
    ['a negation trigger', 'q+x', language((y) => y.replace('    - cannot\n', "    - 'q+x'\n")), run],
    ['a lookahead tried at every position', '(?=q+x)q', tracker((y) => y.replace("- 'holdouts?'", "- '(?=q+x)q'")), run],
    ['a lookbehind read back from every position', '(?<=q+)x', tracker((y) => y.replace("- 'holdouts?'", "- '(?<=q+)x'")), run],
    ['a list connector: two loops, tried from the start of a gap', 'q*q*,', language((y) => y.replace("listConnectors: ['", "listConnectors: ['\\s*q*q*,', '")), 'Meta ' + 'q'.repeat(970) + ' Google signed. '],
  ];

  it.each(shapes)('%s', (_, marker, edit, unit) => {
    const dir = copyConfig();
    edit(dir);
    const ex = createExtractor(compileConfig(loadConfig(dir)));
    const text = (head + unit.repeat(MAX_ITEM_CHARS / unit.length + 1)).slice(0, MAX_ITEM_CHARS);
    const reads = readsOf(marker, () => extract(ex, { id: 'hostile', text }));
    expect(reads.length).toBeGreaterThan(MAX_ITEM_CHARS / MAX_PIECE_CHARS / 2);
    // The figures the power check counts on, whatever the constants become.
    expect(Math.max(...reads)).toBeLessThanOrEqual(2_000);
    expect(reads.reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(800_000);
  });
});
