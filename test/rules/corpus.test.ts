import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/rules/eval.js';
import { config, extractor } from '../helpers/extractor.js';

// Floors for the labelled corpus. Raise them as the rules improve; never lower them to pass.
const FLOOR = { precision: 0.96, recall: 0.86, f1: 0.91 };

const dir = join(import.meta.dirname, '../../fixtures/corpus');
const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
const lines = files.flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'));

describe('labelled corpus', () => {
  const report = evaluate(extractor, lines, { trackers: config.trackers });

  it('has at least 250 well-formed examples, a third of them hard', () => {
    expect(report.errors).toEqual([]);
    expect(report.examples).toBeGreaterThanOrEqual(250);
    const negatives = lines.filter((l) => l.includes('"expected": []')).length;
    expect(negatives).toBeGreaterThanOrEqual(50);
  });

  it(`scores at least P ${FLOOR.precision}, R ${FLOOR.recall}, F1 ${FLOOR.f1} overall`, () => {
    const { precision, recall, f1 } = report.overall;
    expect({ precision, recall, f1 }).toEqual({
      precision: expect.toSatisfy((p: number) => p >= FLOOR.precision),
      recall: expect.toSatisfy((r: number) => r >= FLOOR.recall),
      f1: expect.toSatisfy((f: number) => f >= FLOOR.f1),
    });
  });

  it('claims no false signing for Meta', () => {
    // The one mistake a subscriber must never see.
    const spurious = report.misses.filter((m) => m.kind === 'spurious' && /^caisi\/meta signed$/.test(m.assertion));
    expect(spurious).toEqual([]);
  });
});
