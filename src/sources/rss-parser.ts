// rss-parser, made safe on hostile feeds and right on HTML: a fresh parser per document, its HTML
// to text replaced by pactwatch's, and its XML rebuilding where it recurses without bound.
import Parser from 'rss-parser';
import { createRequire } from 'node:module';
import { htmlText } from '../http/html.js';
import type { Format } from './feed-document.js';
import { RAW_FIELDS } from './feed-entry.js';

/** Elements nested deeper inside one item are read as plain text, not rebuilt as markup. */
export const MAX_XML_DEPTH = 1_000;

interface RssUtils {
  getSnippet(html: string): string;
  getContent(content: unknown): unknown;
}

const utils = createRequire(import.meta.url)('rss-parser/lib/utils.js') as RssUtils;
// Its snippet (the text of description, content:encoded and Atom content) strips tags with lazy
// regular expressions that take quadratic time on text with many "<" and no ">" (one such feed
// blocked the event loop: docs/performance.md), keeps the words of scripts and styles, and
// decodes entities a second time. pactwatch's own reading is used instead, and the entry reader
// takes it from there rather than reading the same HTML twice.
utils.getSnippet = htmlText;
// Its getContent rebuilds markup inside an item with xml2js's Builder, which recurses: 50,000
// nested elements overflow the stack and lose the whole feed.
const getContent = utils.getContent.bind(utils);
utils.getContent = (content) => (deeperThan(content, MAX_XML_DEPTH) ? textOf(content) : getContent(content));

/**
 * A parser for one document: rss-parser keeps one xml2js parser, and after some errors that parser
 * swallows the next document's errors, so one bad feed would change how the next one reads.
 * The entry reader reads each item's element as xml2js gave it: RSS 2 and Atom hand over their
 * list of items as a feed field (`elements`), in rss-parser's order; RSS 1.0, whose items sit
 * outside its channel, has each element it reads copied as it is. Atom dates come through
 * renamed (see feed-document.ts): rss-parser converts them with toISOString, which throws on a
 * bad date and so loses the whole feed.
 */
export function newParser(format: Format) {
  type Field = [string, string, { keepArray: boolean }];
  const customFields: { feed?: Field[]; item?: Field[] } =
    format === 'rdf' ? { item: RAW_FIELDS.map((f): Field => [f, f, { keepArray: true }]) } : { feed: [[format === 'atom' ? 'entry' : 'item', 'elements', { keepArray: true }]] };
  return new Parser({ defaultRSS: 2, customFields: customFields as never });
}

function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, c]) => (k === '$' ? [] : [c]));
  return [];
}

/** An element xml2js gave as its text and attributes only ({_, $}): most are. */
function isTextElement(value: object): value is { _: string } {
  if (typeof (value as { _?: unknown })._ !== 'string') return false;
  for (const key in value) if (key !== '_' && key !== '$') return false;
  return true;
}

function deeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null || isTextElement(value)) return false;
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
  if (isTextElement(value)) return value._;
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
