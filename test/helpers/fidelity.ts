// The feed fidelity corpus's header (fixtures/feeds/fidelity/README.md): how to serve a file and
// what must come out of it, read from the file's first comment or from its `.expect` sidecar.
import { existsSync, readFileSync } from 'node:fs';
import type { FeedLine } from '../../src/commands/feed.js';

export interface Expectation {
  line: string;
  field: string;
  op: '==' | 'contains' | 'lacks' | 'present' | 'absent';
  value: string;
}

export interface FidelityCase {
  shows: string;
  headers: [string, string][];
  kind: 'rss' | 'techmeme';
  redirected: boolean;
  expect: Expectation[];
}

const EXPECT = /^(outcome|error|degraded|contentType|charset|count|item\[\d+\]\.(?:id|url|title|text|author|publishedAt))\s+(==|contains|lacks|present|absent)(?:\s+(.*))?$/;

export function readCase(file: string): FidelityCase {
  const sidecar = `${file}.expect`;
  let header: string;
  if (existsSync(sidecar)) header = readFileSync(sidecar, 'utf8');
  else {
    const text = readFileSync(file, 'utf8');
    const comment = [...text.matchAll(/<!--([\s\S]*?)-->/g)].find((m) => /^\s*Shows:/m.test(m[1]!));
    if (!comment) throw new Error(`${file}: no header comment with a Shows: line, and no ${sidecar}`);
    header = comment[1]!;
  }
  const c: FidelityCase = { shows: '', headers: [], kind: 'rss', redirected: false, expect: [] };
  for (const raw of header.split('\n')) {
    const m = /^\s*(Shows|Header|Kind|Request|Expect):\s*(.*?)\s*$/.exec(raw);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'Shows') c.shows = value;
    else if (key === 'Header') {
      const colon = value.indexOf(':');
      c.headers.push([value.slice(0, colon).trim(), value.slice(colon + 1).trim()]);
    } else if (key === 'Kind') c.kind = value as FidelityCase['kind'];
    else if (key === 'Request') c.redirected = value === 'redirected';
    else {
      const e = EXPECT.exec(value);
      if (!e) throw new Error(`${file}: cannot read "Expect: ${value}"`);
      c.expect.push({ line: value, field: e[1]!, op: e[2] as Expectation['op'], value: e[3] ?? '' });
    }
  }
  if (!c.shows || c.expect.length === 0) throw new Error(`${file}: a header needs Shows: and at least one Expect:`);
  return c;
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

function actual(line: FeedLine, field: string): string | number | null | undefined {
  if (field === 'count') return line.items.length;
  const m = /^item\[(\d+)\]\.(\w+)$/.exec(field);
  if (!m) return (line as unknown as Record<string, string | undefined>)[field];
  const item = line.items[Number(m[1])] as Record<string, string | null> | undefined;
  return item === undefined ? undefined : item[m[2]!];
}

/** The expectations `line` fails, each with what came instead; `places` fills {url}, {dir}, {origin}. */
export function failures(c: FidelityCase, line: FeedLine, places: Record<string, string>): string[] {
  const out: string[] = [];
  for (const e of c.expect) {
    const got = actual(line, e.field);
    const value = collapse(e.value.replace(/\{(url|dir|origin)\}/g, (_m, k: string) => places[k]!));
    const text = got === null || got === undefined ? undefined : collapse(String(got));
    const ok =
      e.op === 'present' ? text !== undefined && text !== ''
      : e.op === 'absent' ? text === undefined || text === ''
      : text === undefined ? false
      : e.op === '==' ? text === value
      : e.op === 'contains' ? text.includes(value)
      : !text.includes(value);
    if (!ok) out.push(`${e.line}  ← got ${text === undefined ? '(absent)' : JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)}`);
  }
  return out;
}
