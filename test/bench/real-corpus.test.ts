import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { realCorpusFigures, REAL_CORPUS_FILE } from '../../bench/real-corpus.js';
import { config, extractor } from '../helpers/extractor.js';

// Lines in the real corpus's form, written for this test: one the extractor reads, on `tune`, and
// one it cannot, on `check`.
const line = (id: string, split: string, text: string) =>
  JSON.stringify({ id, split, case: 'A', text, source_url: 'https://example.com/', published: null, expected: [{ party: 'Meta', agreement: 'CAISI', status: 'signed', historical: false }] });

describe("the bench's real corpus figures", () => {
  const dir = mkdtempSync(join(tmpdir(), 'pactwatch-real-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scores each split apart, as rules eval does', () => {
    const file = join(dir, 'real.jsonl');
    writeFileSync(file, `${line('read', 'tune', 'Meta has signed the CAISI pre-release testing agreement.')}\n${line('unread', 'check', 'Nothing was said today.')}\n`);
    expect(realCorpusFigures(file, config, extractor)).toEqual({
      tune: { precision: 1, recall: 1, f1: 1, examples: 1, badLines: 0 },
      check: { precision: 1, recall: 0, f1: 0, examples: 1, badLines: 0 },
    });
  });

  it('gives nothing, rather than failing, when the file is absent', () => {
    expect(realCorpusFigures(join(dir, 'absent.jsonl'), config, extractor)).toBeNull();
  });

  it('looks for the corpus in shared/corpus beside the package', () => {
    expect(REAL_CORPUS_FILE).toBe(join(import.meta.dirname, '../../../shared/corpus/real-dev.jsonl'));
  });
});
