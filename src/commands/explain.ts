// `pactwatch explain TEXT`: which rules fired on TEXT, on which words, and why each modifier applied.
import type { Runtime } from '../config/settings.js';
import { UsageError } from '../errors.js';
import { oversize } from '../text/item-size.js';
import { compileConfig } from '../extract/compile.js';
import { formatExplain } from '../extract/explain.js';
import { analyze, createExtractor } from '../extract/extract.js';
import { parseItemDate } from '../text/item-date.js';
import { loadConfigNoting } from './load.js';

export function explain(runtime: Runtime, words: string[], opts: { published?: string; title?: string; url?: string }): void {
  const text = words.join(' ');
  if (text.trim() === '') throw new UsageError('explain needs a TEXT to explain');
  let published: Date | undefined;
  if (opts.published !== undefined) {
    published = parseItemDate(opts.published);
    if (!published) throw new UsageError(`--published: "${opts.published}" is not a date (use 2026-06-12)`);
  }
  const over = oversize({ text, title: opts.title });
  if (over) throw new UsageError(`explain: ${over}`);
  const ex = createExtractor(compileConfig(loadConfigNoting(runtime)));
  const analysis = analyze(ex, { id: 'explain', text, title: opts.title, published, url: opts.url });
  process.stdout.write(`${formatExplain(analysis)}\n`);
}
