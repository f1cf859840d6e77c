import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectFloors, type Floor } from '../helpers/floors.js';

// Floors on the blind probes (fixtures/probes/README.md): what the rules reach on each set now.
// They only go up, and so does each set's size; every hypothetical in them stays refused.
const FLOORS: Record<string, Floor> = {
  'wire.jsonl': { examples: 120, precision: 0.98, recall: 0.83, f1: 0.9 },
  'forms.jsonl': { examples: 100, precision: 0.99, recall: 0.82, f1: 0.89 },
  'longform.jsonl': { examples: 90, precision: 0.99, recall: 0.77, f1: 0.87 },
  'mixed.jsonl': { examples: 110, precision: 0.98, recall: 0.88, f1: 0.93 },
  'fresh.jsonl': { examples: 100, precision: 0.95, recall: 0.82, f1: 0.88 },
};

const dir = join(import.meta.dirname, '../../fixtures/probes');

describe('the blind probes, set by set', () => {
  it('has a floor for every set', () => {
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()).toEqual(Object.keys(FLOORS).sort());
  });

  for (const [file, floor] of Object.entries(FLOORS)) {
    it(`${file}: at least ${floor.examples} items, P ${floor.precision}, R ${floor.recall}, F1 ${floor.f1}, no false signing, every hypothetical refused`, () => {
      const report = expectFloors(readFileSync(join(dir, file), 'utf8').split('\n'), floor);
      expect(report.byStatus.signed?.fp ?? 0).toBe(0);
      expect(report.traps.failed).toBe(0);
    });
  }
});
