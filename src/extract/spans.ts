// Spans and clauses: where things stand in a sentence, and what lies between them.
import { wordMatches } from './word-patterns.js';
import { type CompiledLanguage } from './compile.js';
import type { Span } from './trace.js';

export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

export function wordsBetween(text: string, from: number, to: number): number {
  if (to <= from) return 0;
  const gap = text.slice(from, to).match(/[\p{L}\p{N}][\p{L}\p{N}'.-]*/gu);
  return gap ? gap.length : 0;
}

/** Keeps the longest of overlapping spans (then the earliest). */
export function longestFirst<T extends Span>(spans: T[]): T[] {
  const sorted = [...spans].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: T[] = [];
  for (const s of sorted) if (!kept.some((k) => overlaps(k, s))) kept.push(s);
  return kept.sort((a, b) => a.start - b.start);
}

export function clauseStarts(lang: CompiledLanguage, text: string): number[] {
  return [0, ...wordMatches(lang.clauseRe, text).map((m) => m.index)];
}

export function clauseOf(starts: number[], pos: number): number {
  let i = 0;
  while (i + 1 < starts.length && starts[i + 1]! <= pos) i++;
  return i;
}
