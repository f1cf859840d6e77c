import { describe, expect, it } from 'vitest';
import { testRuleExamples } from '../../src/rules/examples.js';
import { config } from '../helpers/extractor.js';

describe('rule examples', () => {
  it('every example of every shipped rule passes', () => {
    const report = testRuleExamples(config);
    expect(report.total).toBeGreaterThan(20);
    expect(report.failures.map((f) => `${f.example.where.file}:${f.example.where.line} ${f.rule}`)).toEqual([]);
  });

  it('a broken example is reported with its rule, line and difference', () => {
    const tracker = structuredClone(config.trackers[0]!);
    const rule = tracker.rules.find((r) => r.id === 'declined')!;
    rule.examples = [{ text: 'Meta declined to sign the CAISI deal.', expect: [{ party: 'meta', status: 'signed', modality: 'asserted', historical: false }], where: { file: 'x.yaml', line: 7 } }];
    const report = testRuleExamples({ trackers: [tracker], language: config.language });
    const failure = report.failures.find((f) => f.rule === 'declined')!;
    expect(failure.example.where.line).toBe(7);
    expect(failure.missing).toEqual([expect.objectContaining({ party: 'meta', status: 'signed' })]);
    expect(failure.unexpected).toEqual([expect.objectContaining({ party: 'meta', status: 'declined' })]);
  });
});
