// Parses one JSON line of `extract` / `rules eval` input into an ExtractInput, or says what is wrong.
import type { ExtractInput } from '../model/assertion.js';
import { parseItemDate } from '../text/item-date.js';
import { oversize } from '../text/item-size.js';

export type ParsedLine<T> = { ok: true; value: T; raw: Record<string, unknown> } | { ok: false; id?: string | number; error: string };

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

export function parseInputLine(line: string, lineNo: number): ParsedLine<ExtractInput> {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    return { ok: false, error: `line ${lineNo}: not JSON: ${(err as Error).message}` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, error: `line ${lineNo}: expected a JSON object like {"id": "1", "text": "…"}` };
  }
  const o = raw as Record<string, unknown>;
  const idOk = typeof o.id === 'string' || typeof o.id === 'number';
  const id = idOk ? (o.id as string | number) : undefined;
  const fail = (error: string): ParsedLine<ExtractInput> => (id === undefined ? { ok: false, error } : { ok: false, id, error });
  if (!idOk) return fail(`line ${lineNo}: "id" must be a string or a number`);
  if (!present(o.text)) return fail(`line ${lineNo}: "text" is missing`);
  if (typeof o.text !== 'string') return fail(`line ${lineNo}: "text" must be a string`);
  if (present(o.title) && typeof o.title !== 'string') return fail(`line ${lineNo}: "title" must be a string`);
  const title = present(o.title) ? (o.title as string) : undefined;
  // Refused here rather than by the extractor: the line still gets its {id, error}.
  const over = oversize({ text: o.text, title });
  if (over) return fail(`line ${lineNo}: ${over}`);
  for (const [field, value] of [['text', o.text], ['title', title]] as const) {
    if (value !== undefined && !value.isWellFormed()) {
      return fail(`line ${lineNo}: "${field}" contains an unpaired UTF-16 surrogate at index ${firstLoneSurrogate(value)}`);
    }
  }
  // `source_url` is the real corpus's name for it.
  const address = present(o.url) ? o.url : o.source_url;
  if (present(address) && typeof address !== 'string') return fail(`line ${lineNo}: "url" must be a string`);
  let published: Date | undefined;
  if (present(o.published)) {
    published = typeof o.published === 'string' ? parseItemDate(o.published) : undefined;
    if (!published) return fail(`line ${lineNo}: "published" must be an ISO date like "2026-06-12" or "2026-06-12T14:00:00Z"`);
  }
  // A tracker id or a list of them, as sources.yaml's `about` is written.
  let about: string[] | undefined;
  if (present(o.about)) {
    about = typeof o.about === 'string' ? [o.about] : Array.isArray(o.about) && o.about.every((t) => typeof t === 'string') ? (o.about as string[]) : undefined;
    if (!about) return fail(`line ${lineNo}: "about" must be a tracker id or a list of them, like "caisi" or ["caisi"]`);
  }
  return { ok: true, value: { id: String(o.id), text: o.text, title, published, url: present(address) ? (address as string) : undefined, about }, raw: o };
}

function firstLoneSurrogate(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const n = s.charCodeAt(i + 1);
      if (n >= 0xdc00 && n <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}
