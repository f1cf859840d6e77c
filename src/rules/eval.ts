// `rules eval`: precision, recall and F1 of the extractor on a labelled corpus, in the project's
// form or the real corpus's (see labels.ts).
import type { Tracker } from '../config/types.js';
import type { Extractor } from '../extract/extract.js';
import { extract } from '../extract/extract.js';
import { parseInputLine } from '../extract/input.js';
import { NameMap, parseLabels, type Labelled } from './labels.js';

export interface Score {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Miss {
  id: string;
  text: string;
  kind: 'missed' | 'spurious';
  assertion: string;
}

export interface EvalReport {
  examples: number;
  overall: Score;
  byStatus: Record<string, Score>;
  byParty: Record<string, Score>;
  misses: Miss[];
  errors: string[];
  /** The real corpus's `hypothetical` labels, and how many of them got an asserted status anyway. */
  traps: { total: number; failed: number };
  /** Misses on lines of the measuring split, counted but not listed (see SEALED_SPLIT). */
  sealed: number;
}

// The real corpus's `check` split is read as figures only (its README): listing its misses would
// show its texts one by one and turn it into a second tuning set, so they are counted, not shown.
const SEALED_SPLIT = 'check';

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

function score(c: Counts): Score {
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1 };
}

/** The project's key: status, modality and history all count. */
function key(a: Labelled): string {
  return `${a.tracker}/${a.party} ${a.status}${a.modality === 'asserted' ? '' : ` ${a.modality}`}${a.historical ? ' historical' : ''}`;
}

/** The real corpus's key (its README, "Scoring"): asserted statuses only, history aside. */
function realKey(a: Labelled): string {
  return `${a.tracker}/${a.party} ${a.status}`;
}

export interface EvalOptions {
  /** The config's trackers: the real corpus's agreement and party names map to ids through them. */
  trackers: Tracker[];
  /** Only the lines of this `split` (the real corpus's `tune` or `check`). */
  split?: string | undefined;
}

/** Scores every line of a corpus; bad lines are reported and skipped. */
export function evaluate(ex: Extractor, lines: string[], options: EvalOptions): EvalReport {
  const names = new NameMap(options.trackers);
  const traps = { total: 0, failed: 0 };
  const total: Counts = { tp: 0, fp: 0, fn: 0 };
  const byStatus = new Map<string, Counts>();
  const byParty = new Map<string, Counts>();
  const misses: Miss[] = [];
  const errors: string[] = [];
  let examples = 0;
  let sealed = 0;
  const bump = (a: Labelled, field: keyof Counts) => {
    total[field]++;
    for (const [map, k] of [
      [byStatus, a.status],
      [byParty, a.party],
    ] as const) {
      const c = map.get(k) ?? { tp: 0, fp: 0, fn: 0 };
      c[field]++;
      map.set(k, c);
    }
  };

  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const parsed = parseInputLine(line, i + 1);
    if (!parsed.ok) {
      errors.push(parsed.error);
      return;
    }
    if (options.split !== undefined && parsed.raw.split !== options.split) return;
    const labels = parseLabels(parsed.raw.expected, i + 1, names);
    if (typeof labels === 'string') {
      errors.push(labels);
      return;
    }
    examples++;
    // A line of the real corpus (its labels name agreements, or it has a split) is scored its way.
    const real = labels.real || typeof parsed.raw.split === 'string';
    const extracted: Labelled[] = extract(ex, parsed.value);
    const got = real ? extracted.filter((g) => g.modality === 'asserted') : extracted;
    const k = real ? realKey : key;
    const want = new Map(labels.expected.map((e) => [k(e), e]));
    const have = new Map(got.map((g) => [k(g), g]));
    for (const trap of labels.traps) {
      traps.total++;
      if (got.some((g) => `${g.tracker}/${g.party}` === trap)) traps.failed++;
    }
    const text = parsed.value.title ? `${parsed.value.title} | ${parsed.value.text}` : parsed.value.text;
    const miss = (kind: Miss['kind'], assertion: string) => {
      if (parsed.raw.split === SEALED_SPLIT) sealed++;
      else misses.push({ id: parsed.value.id, text, kind, assertion });
    };
    for (const [k, e] of want) {
      if (have.has(k)) bump(e, 'tp');
      else {
        bump(e, 'fn');
        miss('missed', k);
      }
    }
    for (const [k, g] of have) {
      if (want.has(k)) continue;
      bump(g, 'fp');
      miss('spurious', k);
    }
  });

  const table = (m: Map<string, Counts>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, c]) => [k, score(c)]));
  return { examples, overall: score(total), byStatus: table(byStatus), byParty: table(byParty), misses, errors, traps, sealed };
}

export function formatEval(r: EvalReport): string {
  const pct = (x: number) => (x * 100).toFixed(1).padStart(6);
  const row = (name: string, s: Score) =>
    `${name.padEnd(18)}${pct(s.precision)}${pct(s.recall)}${pct(s.f1)}${String(s.tp).padStart(6)}${String(s.fp).padStart(6)}${String(s.fn).padStart(6)}`;
  const head = `${''.padEnd(18)}${'P%'.padStart(6)}${'R%'.padStart(6)}${'F1%'.padStart(6)}${'TP'.padStart(6)}${'FP'.padStart(6)}${'FN'.padStart(6)}`;
  const out = [`${r.examples} examples`, '', `${'by status'.padEnd(18)}`, head];
  for (const [k, s] of Object.entries(r.byStatus)) out.push(row(k, s));
  out.push('', 'by party', head);
  for (const [k, s] of Object.entries(r.byParty)) out.push(row(k, s));
  out.push('', row('overall', r.overall));
  if (r.traps.total) out.push(`hypothetical traps: ${r.traps.total - r.traps.failed} of ${r.traps.total} refused`);
  if (r.misses.length) {
    out.push('', `misses (${r.misses.length}):`);
    for (const m of r.misses) out.push(`  ${m.id}  ${m.kind.padEnd(8)}  ${m.assertion}  — ${m.text.length > 160 ? `${m.text.slice(0, 157)}...` : m.text}`);
  }
  if (r.sealed) out.push('', `${r.sealed} misses on the ${SEALED_SPLIT} split are not listed: it is read as figures only`);
  if (r.errors.length) out.push('', `bad lines (${r.errors.length}):`, ...r.errors.map((e) => `  ${e}`));
  return out.join('\n');
}
