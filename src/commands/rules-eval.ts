// `pactwatch rules eval FILE`: precision, recall and F1 per status and party on a labelled corpus.
import { readFileSync } from 'node:fs';
import type { Runtime } from '../config/settings.js';
import { UsageError } from '../errors.js';
import { compileConfig } from '../extract/compile.js';
import { createExtractor } from '../extract/extract.js';
import { evaluate, formatEval } from '../rules/eval.js';
import { loadConfigNoting } from './load.js';
import { note } from './output.js';

export function rulesEval(runtime: Runtime, file: string, opts: { json?: boolean; split?: string }): void {
  const config = loadConfigNoting(runtime);
  const ex = createExtractor(compileConfig(config));
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const report = evaluate(ex, text.split('\n'), { trackers: config.trackers, split: opts.split });
  if (report.examples === 0) {
    for (const e of report.errors.slice(0, 5)) note(`${file}: ${e}`);
    throw new UsageError(`${file} has no labelled examples (one JSON object per line: {"id", "text", "expected": [...]})`);
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(`${formatEval(report)}\n`);
}
