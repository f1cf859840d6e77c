// Reading one YAML config file: parse it, check it against its schema, and say where in it
// (file, line, field) each problem is.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { ConfigProblem } from '../errors.js';

/** The line a path in the file starts on (the nearest existing parent's, for a missing field). */
export type LineOf = (path: ReadonlyArray<PropertyKey>) => number | undefined;

export interface ParsedFile<T> {
  value?: T;
  lineOf: LineOf;
}

/** Where one file's problems go, named as the user would type the file. */
export interface FileReport {
  label: string;
  lineOf: LineOf;
  problems: ConfigProblem[];
  warnings: ConfigProblem[];
}

/** Records a problem at `path` in the file. */
export function problemAt(report: FileReport, path: (string | number)[], message: string): void {
  report.problems.push({ file: report.label, line: report.lineOf(path), field: formatPath(path), message });
}

export function parseYamlFile<S extends z.ZodType>(
  file: string,
  label: string,
  schema: S,
  problems: ConfigProblem[],
): ParsedFile<z.infer<S>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    problems.push({ file: label, message: `cannot read: ${(err as Error).message}` });
    return { lineOf: () => undefined };
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const lineOf = lineFinder(doc, counter);
  if (doc.errors.length > 0) {
    // The first syntax error is the root cause; the parser's later ones mostly follow from it
    // (one tab gives a dozen), so they are counted, not listed.
    const [first] = doc.errors;
    const more = doc.errors.length - 1;
    const after = more > 0 ? ` (and ${more} more YAML error${more > 1 ? 's' : ''} after it, most likely following from it)` : '';
    problems.push({ file: label, line: counter.linePos(first!.pos[0]).line, message: `YAML: ${first!.message.split('\n')[0]}${after}` });
    return { lineOf };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    problems.push({ file: label, message: `YAML: ${(err as Error).message}` });
    return { lineOf };
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      // An unknown key is reported where it stands, not at the mapping that holds it.
      const at = issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path;
      problems.push({ file: label, line: lineOf(at), field: formatPath(issue.path), message: issue.message });
    }
    return { lineOf };
  }
  return { value: result.data, lineOf };
}

function lineFinder(doc: Document, counter: LineCounter): LineOf {
  return (path) => {
    // Walk up to the nearest node that exists: a missing field is reported at its parent.
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return counter.linePos(node.range[0]).line;
    }
    return undefined;
  };
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
