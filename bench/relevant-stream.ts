// The bench's second extraction stream: real-looking relevant text, where every item names a
// party and most an agreement, so extraction does its whole work on each instead of leaving at
// the prefilter. Its sentences are the real corpus's (../shared/corpus/, read where it is, never
// copied) or, where that file is absent, the project's own corpus; shuffled and recombined, one
// to three sentences an item, deterministically for a seed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PACKAGED_CONFIG_DIR } from '../src/config/load.js';
import { prng } from '../world/prng.js';
import type { BenchItem } from './corpus.js';
import { REAL_CORPUS_FILE } from './real-corpus.js';

/** Each line's `text` (and `title`) from JSON Lines files; lines that are not JSON are skipped. */
function texts(files: string[]): string[] {
  return files.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .flatMap((line) => {
        try {
          const o = JSON.parse(line) as { text?: unknown; title?: unknown };
          return [o.title, o.text].filter((t): t is string => typeof t === 'string' && t.trim() !== '');
        } catch {
          return [];
        }
      }),
  );
}

/** Where the sentences come from: the real corpus when present, else the project's corpus. */
export function relevantSource(realFile = REAL_CORPUS_FILE): { name: string; files: string[] } {
  if (existsSync(realFile)) return { name: 'the real corpus', files: [realFile] };
  const dir = join(dirname(PACKAGED_CONFIG_DIR), 'fixtures', 'corpus');
  return { name: "the project's corpus", files: readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => join(dir, f)) };
}

export function relevantStream(count: number, files: string[], seed = 17): BenchItem[] {
  const sentences = texts(files).flatMap((t) => t.split(/(?<=[.!?])\s+(?=[A-Z“"])/)).filter((s) => s.length > 20);
  if (sentences.length === 0) throw new Error(`no sentences in ${files.join(', ')}`);
  const rand = prng(seed);
  const pick = () => sentences[Math.floor(rand() * sentences.length)]!;
  const base = Date.parse('2026-06-01T00:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const n = 1 + Math.floor(rand() * 3);
    return { id: `rel${i}`, title: pick(), text: Array.from({ length: n }, pick).join(' '), published: new Date(base + Math.floor(rand() * 180 * 86_400_000)) };
  });
}
