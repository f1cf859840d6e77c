import { describe, expect, it } from 'vitest';
import { evaluate, formatEval } from '../../src/rules/eval.js';
import { config, extractor } from '../helpers/extractor.js';

// Lines in the real corpus's form, written for this test: agreement and party display names,
// hypothetical and mentioned labels, a split.
const line = (id: string, split: string, text: string, expected: object[]) => JSON.stringify({ id, split, case: 'A', text, source_url: 'https://example.com/', published: null, expected });
const LINES = [
  line('signed', 'tune', 'Meta has signed the CAISI pre-release testing agreement.', [{ party: 'Meta', agreement: 'CAISI', status: 'signed', historical: false }]),
  // Google DeepMind is the config's name for the party whose aliases include Google.
  line('alias', 'tune', 'Google DeepMind joined the CAISI testing agreement.', [{ party: 'Google DeepMind', agreement: 'CAISI', status: 'signed', historical: false }]),
  // An agreement no tracker watches is not scored; a status the extractor asserts for CAISI there would be.
  line('uk', 'tune', 'OpenAI agreed to let the UK AI Security Institute test its models.', [{ party: 'OpenAI', agreement: 'UK-AISI', status: 'signed', historical: false }]),
  line('trap', 'tune', 'If Meta signs the CAISI agreement, all six will be in.', [{ party: 'Meta', agreement: 'CAISI', status: 'hypothetical', historical: false }]),
  line('unknown-party', 'tune', 'Cohere has signed the CAISI pre-release testing agreement.', [{ party: 'Cohere', agreement: 'CAISI', status: 'signed', historical: false }]),
  line('other-split', 'check', 'Meta has signed the CAISI pre-release testing agreement.', [{ party: 'Meta', agreement: 'CAISI', status: 'signed', historical: false }]),
];

describe('rules eval on the real corpus form', () => {
  const report = evaluate(extractor, LINES, { trackers: config.trackers, split: 'tune' });

  it('maps agreement and party names to ids through the config, and reads only the split asked for', () => {
    expect(report.errors).toEqual([]);
    expect(report.examples).toBe(5);
    expect(report.byParty.meta).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(report.byParty['google-deepmind']).toMatchObject({ tp: 1, fn: 0 });
  });

  it('scores no label of an agreement no tracker watches, counts hypothetical traps, and keeps a party the config lacks as a miss', () => {
    expect(report.misses.filter((m) => m.id === 'uk')).toEqual([]);
    expect(report.traps).toEqual({ total: 1, failed: 0 });
    expect(report.misses).toContainEqual(expect.objectContaining({ id: 'unknown-party', kind: 'missed', assertion: 'caisi/Cohere signed' }));
  });

  it('counts the check split\'s misses without listing them, so its texts are never shown one by one', () => {
    const check = evaluate(extractor, [line('missed-in-check', 'check', 'Cohere has signed the CAISI pre-release testing agreement.', [{ party: 'Cohere', agreement: 'CAISI', status: 'signed', historical: false }])], {
      trackers: config.trackers,
      split: 'check',
    });
    expect(check.overall).toMatchObject({ tp: 0, fn: 1 });
    expect(check.misses).toEqual([]);
    expect(check.sealed).toBe(1);
    expect(formatEval(check)).toContain('1 misses on the check split are not listed');
    expect(formatEval(check)).not.toContain('Cohere has signed');
    expect(report.sealed).toBe(0);
  });

  it('refuses a status the real form does not have, naming the line', () => {
    const bad = evaluate(extractor, [line('bad', 'tune', 'Meta signed.', [{ party: 'Meta', agreement: 'CAISI', status: 'rumoured' }])], { trackers: config.trackers });
    expect(bad.errors).toEqual([expect.stringMatching(/^line 1: expected\[0\]: "status" must be one of signed, .*hypothetical, mentioned$/)]);
  });
});
