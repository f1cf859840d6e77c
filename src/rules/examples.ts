// `rules test`: runs every rule's examples against the compiled rules.
import type { Config, Expectation, Rule, RuleExample, Tracker } from '../config/types.js';
import { createExtractor, extract, type Extractor } from '../extract/extract.js';
import { compileConfig } from '../extract/compile.js';
import type { Assertion } from '../model/assertion.js';

export interface ExampleFailure {
  tracker: string;
  rule: string;
  example: RuleExample;
  missing: Expectation[];
  unexpected: Expectation[];
}

export interface ExampleReport {
  total: number;
  failures: ExampleFailure[];
}

export function expectationKey(e: Pick<Expectation, 'party' | 'status' | 'modality' | 'historical'>): string {
  return `${e.party} ${e.status}${e.modality === 'asserted' ? '' : ` ${e.modality}`}${e.historical ? ' historical' : ''}`;
}

function asExpectation(a: Assertion): Expectation {
  return { party: a.party, status: a.status, modality: a.modality, historical: a.historical };
}

export function runExample(ex: Extractor, tracker: Tracker, example: RuleExample): Assertion[] {
  return extract(ex, {
    id: 'example',
    text: example.text,
    title: example.title,
    published: example.published ? new Date(example.published) : undefined,
  }).filter((a) => a.tracker === tracker.id);
}

export function testRuleExamples(config: Pick<Config, 'trackers' | 'language'>): ExampleReport {
  const ex = createExtractor(compileConfig(config));
  const failures: ExampleFailure[] = [];
  let total = 0;
  for (const tracker of config.trackers) {
    for (const rule of tracker.rules) {
      for (const example of rule.examples) {
        total++;
        const failure = checkExample(ex, tracker, rule, example);
        if (failure) failures.push(failure);
      }
    }
  }
  return { total, failures };
}

function checkExample(ex: Extractor, tracker: Tracker, rule: Rule, example: RuleExample): ExampleFailure | undefined {
  const got = runExample(ex, tracker, example).map(asExpectation);
  const gotKeys = new Set(got.map(expectationKey));
  const wantKeys = new Set(example.expect.map(expectationKey));
  const missing = example.expect.filter((e) => !gotKeys.has(expectationKey(e)));
  const unexpected = got.filter((g) => !wantKeys.has(expectationKey(g)));
  if (missing.length === 0 && unexpected.length === 0) return undefined;
  return { tracker: tracker.id, rule: rule.id, example, missing, unexpected };
}
