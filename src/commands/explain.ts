// `pactwatch explain TEXT`: which rules fired on TEXT, on which words, and why each modifier applied.
import type { Runtime } from '../config/settings.js';
import { UsageError } from '../errors.js';
import { oversize } from '../text/item-size.js';
import { compileConfig } from '../extract/compile.js';
import { formatExplain } from '../extract/explain.js';
import { analyze, createExtractor } from '../extract/extract.js';
import { parseItemDate } from '../text/item-date.js';
import { unknownAbout } from '../config/cross-checks.js';
import { loadConfigNoting } from './load.js';

export function explain(runtime: Runtime, words: string[], opts: { published?: string; title?: string; url?: string; about?: string }): void {
  const text = words.join(' ');
  if (text.trim() === '') throw new UsageError('explain needs a TEXT to explain');
  let published: Date | undefined;
  if (opts.published !== undefined) {
    published = parseItemDate(opts.published);
    if (!published) throw new UsageError(`--published: "${opts.published}" is not a date (use 2026-06-12)`);
  }
  const over = oversize({ text, title: opts.title });
  if (over) throw new UsageError(`explain: ${over}`);
  const config = loadConfigNoting(runtime);
  // As sources.yaml's `about`: the trackers the item's source is about.
  const about = opts.about?.split(',').map((t) => t.trim()).filter(Boolean);
  const [unknown] = unknownAbout(about, config.trackers);
  if (unknown !== undefined) throw new UsageError(`--about: unknown tracker "${unknown}" (trackers: ${config.trackers.map((t) => t.id).join(', ')})`);
  const ex = createExtractor(compileConfig(config));
  const analysis = analyze(ex, { id: 'explain', text, title: opts.title, published, url: opts.url, about });
  process.stdout.write(`${formatExplain(analysis)}\n`);
}
