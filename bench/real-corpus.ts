// The real corpus's figures for the bench report: `rules eval` on both splits of
// ../shared/corpus/real-dev.jsonl (beside the package), or null where the file is absent.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PACKAGED_CONFIG_DIR } from '../src/config/load.js';
import type { Config } from '../src/config/types.js';
import type { Extractor } from '../src/extract/extract.js';
import { evaluate } from '../src/rules/eval.js';

export const REAL_CORPUS_FILE = join(dirname(PACKAGED_CONFIG_DIR), '..', 'shared', 'corpus', 'real-dev.jsonl');

export interface SplitFigures {
  precision: number;
  recall: number;
  f1: number;
  examples: number;
  /** Lines `rules eval` could not read (it skips them). */
  badLines: number;
}

export interface RealCorpusFigures {
  tune: SplitFigures;
  check: SplitFigures;
}

/** The scores on `tune` and on `check`, to three places; null when `file` does not exist. */
export function realCorpusFigures(file: string, config: Config, ex: Extractor): RealCorpusFigures | null {
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n');
  const figures = (split: string): SplitFigures => {
    const report = evaluate(ex, lines, { trackers: config.trackers, split });
    const round = (x: number) => Number(x.toFixed(3));
    const { precision, recall, f1 } = report.overall;
    return { precision: round(precision), recall: round(recall), f1: round(f1), examples: report.examples, badLines: report.errors.length };
  };
  return { tune: figures('tune'), check: figures('check') };
}
