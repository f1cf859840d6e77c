// rss-parser, made safe on hostile feeds: a fresh parser per document, and its tag stripping and
// XML rebuilding replaced where they take quadratic time or recurse without bound.
import Parser from 'rss-parser';
import { createRequire } from 'node:module';
import { stripTags } from '../http/html.js';
import { RAW_FIELDS, raw } from './feed-entry.js';

/** Elements nested deeper inside one item are read as plain text, not rebuilt as markup. */
export const MAX_XML_DEPTH = 1_000;

interface RssUtils {
  stripHtml(html: string): string;
  getContent(content: unknown): unknown;
}

const utils = createRequire(import.meta.url)('rss-parser/lib/utils.js') as RssUtils;
// Its stripHtml uses lazy regular expressions that take quadratic time on text with many "<" and
// no ">": one such feed blocks the event loop (docs/performance.md).
utils.stripHtml = stripTags;
// Its getContent rebuilds markup inside an item with xml2js's Builder, which recurses: 50,000
// nested elements overflow the stack and lose the whole feed.
const getContent = utils.getContent.bind(utils);
utils.getContent = (content) => (deeperThan(content, MAX_XML_DEPTH) ? textOf(content) : getContent(content));

/**
 * A parser for one document: rss-parser keeps one xml2js parser, and after some errors that parser
 * swallows the next document's errors, so one bad feed would change how the next one reads.
 * Every element the entry reader reads is kept raw (an array of values with their attributes),
 * under its own name (feed-entry.ts). Atom dates come through renamed (see feed-document.ts):
 * rss-parser converts them with toISOString, which throws on a bad date and so loses the feed.
 */
export function newParser() {
  return new Parser({
    defaultRSS: 2,
    customFields: { item: RAW_FIELDS.map((f): [string, string, { keepArray: boolean }] => [f, raw(f), { keepArray: true }]) },
  });
}

function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, c]) => (k === '$' ? [] : [c]));
  return [];
}

function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > limit) return true;
    for (const c of children(v)) stack.push([c, depth + 1]);
  }
  return false;
}

/** The text of a value xml2js may give as a string, as {_: text, $: attributes}, or as nested elements (walked without recursion). */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return undefined;
  const parts: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      parts.push(v);
      continue;
    }
    const inner = children(v);
    for (let i = inner.length - 1; i >= 0; i--) stack.push(inner[i]);
  }
  return parts.join(' ');
}
