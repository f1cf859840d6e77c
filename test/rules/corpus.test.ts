import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectFloors, type Floor } from '../helpers/floors.js';

// Floors for the project's labelled corpus, one per file: the four files the rules were tuned
// on, and heldout.jsonl, written afterwards without sight of the rules and never tuned on, so
// its figure is the one that says how the rules generalise. Each floor only goes up; so does
// each file's example count, so that deleting examples (hard ones included) turns a test red.
const FLOORS: Record<string, Floor> = {
  'headlines.jsonl': { examples: 95, precision: 0.98, recall: 0.97, f1: 0.97 },
  'summaries.jsonl': { examples: 85, precision: 0.98, recall: 0.87, f1: 0.92 },
  'posts.jsonl': { examples: 65, precision: 0.98, recall: 0.87, f1: 0.92 },
  'adversarial.jsonl': { examples: 50, precision: 0.97, recall: 0.83, f1: 0.89 },
  'heldout.jsonl': { examples: 60, precision: 0.92, recall: 0.84, f1: 0.88 },
};

const dir = join(import.meta.dirname, '../../fixtures/corpus');
const linesOf = (file: string) => readFileSync(join(dir, file), 'utf8').split('\n');

interface Label {
  modality?: string;
  historical?: boolean;
}

/** A hard example: one that claims nothing, or whose claim is hedged, denied or history, or one of the adversarial file's. */
function isHard(file: string, line: string): boolean {
  const expected = (JSON.parse(line) as { expected: Label[] }).expected;
  return file === 'adversarial.jsonl' || expected.length === 0 || expected.some((e) => (e.modality ?? 'asserted') !== 'asserted' || e.historical === true);
}

describe('the labelled corpus, file by file', () => {
  for (const [file, floor] of Object.entries(FLOORS)) {
    it(`${file}: at least ${floor.examples} examples, P ${floor.precision}, R ${floor.recall}, F1 ${floor.f1}, and no false signing for Meta`, () => {
      const report = expectFloors(linesOf(file), floor);
      // The one mistake a subscriber must never see.
      expect(report.misses.filter((m) => m.kind === 'spurious' && m.assertion === 'caisi/meta signed')).toEqual([]);
    });
  }

  it('has a floor for every file, and at least a third of its examples are hard', () => {
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()).toEqual(Object.keys(FLOORS).sort());
    const lines = Object.keys(FLOORS).flatMap((file) => linesOf(file).filter((l) => l.trim() !== '').map((line) => ({ file, line })));
    const hard = lines.filter(({ file, line }) => isHard(file, line)).length;
    expect(hard / lines.length).toBeGreaterThanOrEqual(1 / 3);
  });
});
