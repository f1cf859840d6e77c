// `rules eval`: precision, recall and F1 of the extractor on a labelled corpus.
import type { Extractor } from '../extract/extract.js';
import { extract } from '../extract/extract.js';
import { parseInputLine } from '../extract/input.js';
import { ASSERTED_STATUSES, MODALITIES } from '../types.js';

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
}

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

interface Labelled {
  tracker: string;
  party: string;
  status: string;
  modality: string;
  historical: boolean;
}

function key(a: Labelled): string {
  return `${a.tracker}/${a.party} ${a.status}${a.modality === 'asserted' ? '' : ` ${a.modality}`}${a.historical ? ' historical' : ''}`;
}

function parseExpected(value: unknown, lineNo: number): Labelled[] | string {
  if (!Array.isArray(value)) return `line ${lineNo}: "expected" must be an array`;
  const out: Labelled[] = [];
  for (const [i, e] of value.entries()) {
    const o = (e ?? {}) as Record<string, unknown>;
    const where = `line ${lineNo}: expected[${i}]`;
    if (typeof o.tracker !== 'string' || typeof o.party !== 'string') return `${where}: needs "tracker" and "party"`;
    if (!ASSERTED_STATUSES.includes(o.status as never)) return `${where}: "status" must be one of ${ASSERTED_STATUSES.join(', ')}`;
    const modality = o.modality ?? 'asserted';
    if (!MODALITIES.includes(modality as never)) return `${where}: "modality" must be one of ${MODALITIES.join(', ')}`;
    if (o.historical !== undefined && typeof o.historical !== 'boolean') return `${where}: "historical" must be true or false`;
    out.push({ tracker: o.tracker, party: o.party, status: o.status as string, modality: modality as string, historical: o.historical === true });
  }
  return out;
}

/** Scores every line of a corpus; bad lines are reported and skipped. */
export function evaluate(ex: Extractor, lines: string[]): EvalReport {
  const total: Counts = { tp: 0, fp: 0, fn: 0 };
  const byStatus = new Map<string, Counts>();
  const byParty = new Map<string, Counts>();
  const misses: Miss[] = [];
  const errors: string[] = [];
  let examples = 0;
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
    const expected = parseExpected(parsed.raw.expected, i + 1);
    if (typeof expected === 'string') {
      errors.push(expected);
      return;
    }
    examples++;
    const got: Labelled[] = extract(ex, parsed.value);
    const want = new Map(expected.map((e) => [key(e), e]));
    const have = new Map(got.map((g) => [key(g), g]));
    const text = parsed.value.title ? `${parsed.value.title} | ${parsed.value.text}` : parsed.value.text;
    for (const [k, e] of want) {
      if (have.has(k)) bump(e, 'tp');
      else {
        bump(e, 'fn');
        misses.push({ id: parsed.value.id, text, kind: 'missed', assertion: k });
      }
    }
    for (const [k, g] of have) {
      if (want.has(k)) continue;
      bump(g, 'fp');
      misses.push({ id: parsed.value.id, text, kind: 'spurious', assertion: k });
    }
  });

  const table = (m: Map<string, Counts>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, c]) => [k, score(c)]));
  return { examples, overall: score(total), byStatus: table(byStatus), byParty: table(byParty), misses, errors };
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
  if (r.misses.length) {
    out.push('', `misses (${r.misses.length}):`);
    for (const m of r.misses) out.push(`  ${m.id}  ${m.kind.padEnd(8)}  ${m.assertion}  — ${m.text.length > 160 ? `${m.text.slice(0, 157)}...` : m.text}`);
  }
  if (r.errors.length) out.push('', `bad lines (${r.errors.length}):`, ...r.errors.map((e) => `  ${e}`));
  return out.join('\n');
}
