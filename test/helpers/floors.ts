// A labelled file's figures held to its floors: read whole, at least so many examples, and P, R
// and F1 at or above what it reached (floors only go up).
import { expect } from 'vitest';
import { evaluate, type EvalReport } from '../../src/rules/eval.js';
import { config, extractor } from './extractor.js';

export interface Floor {
  examples: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Scores `lines` and fails below `floor`; the report, for the checks a test adds. */
export function expectFloors(lines: string[], floor: Floor): EvalReport {
  const report = evaluate(extractor, lines, { trackers: config.trackers });
  expect(report.errors).toEqual([]);
  expect(report.examples).toBeGreaterThanOrEqual(floor.examples);
  const { precision, recall, f1 } = report.overall;
  expect({ precision, recall, f1 }).toEqual({
    precision: expect.toSatisfy((p: number) => p >= floor.precision),
    recall: expect.toSatisfy((r: number) => r >= floor.recall),
    f1: expect.toSatisfy((f: number) => f >= floor.f1),
  });
  return report;
}
