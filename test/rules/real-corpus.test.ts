import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/rules/eval.js';
import { config, extractor } from '../helpers/extractor.js';

// Floors on the real corpus (issue 15): the figures the extractor reaches today, on the tune
// split and on the check split (read as figures only). Raise them as the extractor improves;
// never lower them to pass.
const FLOORS = {
  tune: { precision: 0.95, recall: 0.94, f1: 0.97 },
  check: { precision: 0.95, recall: 0.64, f1: 0.78 },
};
// Hypothetical labels that still get an asserted status: a ceiling that only goes down.
const TRAPS_FAILED = { tune: 0, check: 1 };

const FILE = join(import.meta.dirname, '../../../shared/corpus/real-dev.jsonl');
const present = existsSync(FILE);
if (!present) console.warn(`real corpus tests skipped: ${FILE} is absent`);

describe.skipIf(!present)('the real corpus (../shared/corpus/real-dev.jsonl)', () => {
  const lines = present ? readFileSync(FILE, 'utf8').split('\n') : [];

  for (const split of ['tune', 'check'] as const) {
    it(`${split}: every line is read, and CAISI scores at least P ${FLOORS[split].precision}, R ${FLOORS[split].recall}, F1 ${FLOORS[split].f1}`, () => {
      const report = evaluate(extractor, lines, { trackers: config.trackers, split });
      expect(report.errors).toEqual([]);
      expect(report.examples).toBe(split === 'tune' ? 219 : 91);
      const { precision, recall, f1 } = report.overall;
      expect({ precision, recall, f1 }).toEqual({
        precision: expect.toSatisfy((p: number) => p >= FLOORS[split].precision),
        recall: expect.toSatisfy((r: number) => r >= FLOORS[split].recall),
        f1: expect.toSatisfy((f: number) => f >= FLOORS[split].f1),
      });
    });

    it(`${split}: claims no false signing, and refuses all but ${TRAPS_FAILED[split]} of the hypotheticals`, () => {
      const report = evaluate(extractor, lines, { trackers: config.trackers, split });
      // The error that costs most: a party posted as having signed when it has not.
      expect(report.byStatus.signed?.fp ?? 0).toBe(0);
      expect(report.traps.failed).toBeLessThanOrEqual(TRAPS_FAILED[split]);
    });
  }
});
