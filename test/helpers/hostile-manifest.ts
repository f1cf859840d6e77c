// The hostile corpus's manifest (fixtures/hostile/outcomes.jsonl): its lines, and how the record
// switch rewrites one. Only the outcome column is recorded from the code; what a reader must get
// from a file (`first`, `rest`, `titleContains`, `textContains`, `lacks`) is written by hand, and
// recording keeps it as it is, byte for byte.

export const PAGE_SELECTORS = { item: 'article', title: 'h2', link: 'a', date: 'time', summary: 'p' };

/** Fields of one item as written by hand: null means absent; {{ORIGIN}} is the fixture server. */
export type Fields = Record<string, string | null>;

export interface Case {
  file: string;
  kind: 'rss' | 'techmeme' | 'html';
  contentType: string;
  /** Served gzip-compressed, with Content-Encoding: gzip. */
  gzip?: boolean;
  /** Extra response headers, served as they are (a Content-Encoding that lies). */
  headers?: Record<string, string>;
  selectors?: typeof PAGE_SELECTORS;
  // The outcome column: what PACTWATCH_UPDATE_GOLDEN=1 records.
  outcome: 'ok' | 'error';
  items?: number;
  /** An `ok` poll of a document read only in part (cut off, not well-formed): says so. */
  degraded?: boolean;
  /** A part of the error message; {{ORIGIN}} is the fixture server. */
  error?: string;
  // What a reader must get, written by hand from the file; never recorded.
  /** Fields of the first item. */
  first?: Fields;
  /** Fields of the items after the first, in order. */
  rest?: Fields[];
  /** Parts the first item's title must hold, where its exact words are not the point. */
  titleContains?: string[];
  /** Parts the first item's text must hold. */
  textContains?: string[];
  /** What no item's title or text may hold: a control character, a leaked entity or file. */
  lacks?: string[];
}

/** The keys the record switch rewrites. */
const OUTCOME_KEYS = new Set(['outcome', 'items', 'degraded', 'error']);
const CONTENT_KEYS = new Set(['first', 'rest', 'titleContains', 'textContains', 'lacks']);

export type Outcome = Pick<Case, 'outcome' | 'items' | 'degraded' | 'error'>;

// Characters a reader of the manifest could not see or that an editor might mangle: written as
// \u escapes (JSON.stringify escapes only C0 controls, quotes and backslashes).
const INVISIBLE = /[\u007f-\u00a0\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufffe\uffff]|\p{Cs}/gu;

/** One JSON value in the manifest's format: a space after each colon and comma, invisible characters escaped. */
export function formatJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${formatJson(k)}: ${formatJson(v)}`).join(', ')}}`;
  if (typeof value === 'string') return JSON.stringify(value).replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return JSON.stringify(value);
}

export function parseManifest(text: string): Case[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Case);
}

/**
 * The manifest line of `c` with its outcome column replaced by `outcome`, in place of the old
 * one (or before what a reader must get, on a new line without one); every other key keeps its
 * place and its value.
 */
export function recordedLine(c: Case, outcome: Outcome): string {
  const line: Record<string, unknown> = {};
  let placed = false;
  const place = () => {
    placed = true;
    for (const [k, v] of Object.entries(outcome)) if (v !== undefined) line[k] = v;
  };
  for (const [k, v] of Object.entries(c)) {
    if ((OUTCOME_KEYS.has(k) || CONTENT_KEYS.has(k)) && !placed) place();
    if (!OUTCOME_KEYS.has(k)) line[k] = v;
  }
  if (!placed) place();
  return formatJson(line);
}
