// HTML that sources and link cards read (pages, article text, markup inside feed items), safe on hostile markup.
// Both of cheerio's parsers take time quadratic in nesting depth (parse5 scans its open elements
// for every new one; htmlparser2 unshifts onto an array): 100,000 nested <div>s block the event
// loop for over a minute, and cheerio's text() recurses, so very deep trees overflow the stack.
// So depth is measured first, by a one-pass scan, and documents nested too deep are not parsed.
import * as cheerio from 'cheerio';
import { decodeHTML } from 'entities';
import { Parser } from 'htmlparser2';
import { decodeBody, sniffBinary, windows1252Controls } from './decode.js';
import type { Access, Fetcher } from './fetch.js';

/** Deeper than any real page: a document nested deeper is refused, not parsed. */
export const MAX_HTML_DEPTH = 1_000;

const VOID = new Set(['area', 'base', 'basefont', 'bgsound', 'br', 'col', 'embed', 'frame', 'hr', 'img', 'image', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
// Elements whose content is text up to their end tag, each with a search for that end tag.
const RAW_TEXT = new Map(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript'].map((t) => [t, new RegExp(`</${t}`, 'gi')]));
const COMMENT_END = /--!?>/g;
const CLOSES_P = ['address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'ul'];
// The end tags browsers infer when the next element starts: <li> after <li>, <tr> after <td>, …
const IMPLIED_CLOSE = new Map<string, Set<string>>([
  ...CLOSES_P.map((t): [string, Set<string>] => [t, new Set(['p'])]),
  ['li', new Set(['li'])],
  ['dt', new Set(['dt', 'dd'])],
  ['dd', new Set(['dt', 'dd'])],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['tr', new Set(['tr', 'td', 'th'])],
  ['td', new Set(['td', 'th'])],
  ['th', new Set(['td', 'th'])],
  ['thead', new Set(['thead', 'tbody', 'tfoot', 'tr', 'td', 'th'])],
  ['tbody', new Set(['thead', 'tbody', 'tfoot', 'tr', 'td', 'th'])],
  ['tfoot', new Set(['thead', 'tbody', 'tfoot', 'tr', 'td', 'th'])],
  ['rt', new Set(['rt', 'rp'])],
  ['rp', new Set(['rt', 'rp'])],
]);

/** Where the start tag whose name ends at `from` ends (its ">"), honouring quoted attribute values; -1 if it never does. */
function tagEnd(html: string, from: number): number {
  let i = from;
  while (i < html.length) {
    const c = html[i];
    if (c === '>') return i;
    i++;
    if (c !== '=') continue;
    while (i < html.length && /\s/.test(html[i]!)) i++;
    const quote = html[i];
    if (quote !== '"' && quote !== "'") continue;
    const close = html.indexOf(quote, i + 1);
    if (close < 0) return -1;
    i = close + 1;
  }
  return -1;
}

/**
 * How deeply a browser would nest the elements of `html`, or a little more (never much less), in
 * one pass: stops counting past `limit`. Comments, raw text (script, style…), void elements and the
 * end tags browsers infer are accounted for, so sloppy real pages measure as they are.
 */
export function nestingDepth(html: string, limit = MAX_HTML_DEPTH): number {
  const stack: string[] = [];
  const open = new Map<string, number>(); // per name, how many are on the stack: end tags find theirs in O(1)
  const pop = (): string => {
    const name = stack.pop()!;
    open.set(name, open.get(name)! - 1);
    return name;
  };
  let deepest = 0;
  let at = 0;
  while (at < html.length) {
    const lt = html.indexOf('<', at);
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      // "<!-->" and "<!--->" are whole comments; "--!>" also ends one.
      COMMENT_END.lastIndex = lt + 2;
      const close = COMMENT_END.exec(html);
      if (!close) break;
      at = close.index + close[0].length;
      continue;
    }
    if (html[lt + 1] === '!' || html[lt + 1] === '?') {
      const gt = html.indexOf('>', lt);
      if (gt < 0) break;
      at = gt + 1;
      continue;
    }
    const tag = /^<(\/?)([a-zA-Z][^\s/>]*)/.exec(html.slice(lt, lt + 64));
    if (!tag) {
      at = lt + 1;
      continue;
    }
    const end = tagEnd(html, lt + tag[0].length);
    if (end < 0) break; // a tag cut off at the end: browsers drop it and what follows
    at = end + 1;
    const name = tag[2]!.toLowerCase();
    if (tag[1]) {
      // An end tag closes its element and all opened inside it; one with no open element is ignored.
      if ((open.get(name) ?? 0) > 0) while (pop() !== name);
      continue;
    }
    if (VOID.has(name)) continue;
    if (name === 'plaintext') break; // the rest is text
    if (RAW_TEXT.has(name)) {
      const close = RAW_TEXT.get(name)!;
      close.lastIndex = at;
      if (!close.exec(html)) break;
      at = close.lastIndex - name.length - 2;
      continue;
    }
    // Self-closing syntax counts only inside SVG and MathML; <div/> opens a div.
    if (html[end - 1] === '/' && ((open.get('svg') ?? 0) > 0 || (open.get('math') ?? 0) > 0)) continue;
    const implied = IMPLIED_CLOSE.get(name);
    while (implied && stack.length > 0 && implied.has(stack[stack.length - 1]!)) pop();
    stack.push(name);
    open.set(name, (open.get(name) ?? 0) + 1);
    if (stack.length > deepest) deepest = stack.length;
    if (deepest > limit) break;
  }
  return deepest;
}

/**
 * A page as browsers parse it, without scripts, styles and templates (their text is not the
 * page's), or undefined when its elements nest deeper than MAX_HTML_DEPTH.
 */
export function loadPage(html: string): cheerio.CheerioAPI | undefined {
  if (nestingDepth(html) > MAX_HTML_DEPTH) return undefined;
  const $ = cheerio.load(html);
  $('script, style, noscript, template').remove();
  return $;
}

/**
 * A page fetched and parsed with the guards every fetched page gets: no binary body, and
 * nothing nested too deep to parse in time. Undefined when it cannot be had; `url` is where it
 * was found (after redirects).
 */
export async function fetchPage(fetcher: Fetcher, url: string, access: Access = {}): Promise<{ $: cheerio.CheerioAPI; url: string } | undefined> {
  const got = await fetcher.get(url, {}, access);
  if (got.kind !== 'ok' || sniffBinary(got.body)) return undefined;
  const $ = loadPage(decodeBody(got.body, got.contentType).text);
  return $ && { $, url: got.url };
}

/** A page's <meta> content by property (og:…) or name, trimmed; '' when it has none. */
export function metaContent($: cheerio.CheerioAPI, name: string): string {
  return $(`meta[property="${name}"], meta[name="${name}"]`).attr('content')?.trim() ?? '';
}

// Elements whose content is never text a reader sees (htmlparser2 reports script and style
// content as text, and head holds the title of a whole document pasted into a feed item).
// The fallback content of iframe and object is kept: feeds put words there that readers show.
const HIDDEN = new Set(['script', 'style', 'noscript', 'template', 'head']);
// Elements that start a new block: their text never runs into their neighbours' ("signed today").
const BLOCKS = new Set([...CLOSES_P, 'body', 'br', 'caption', 'center', 'dd', 'dir', 'dt', 'frameset', 'legend', 'li', 'menu', 'option', 'summary', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr']);

/**
 * The text of an HTML fragment (a feed item's title or body) as a reader sees it: hidden
 * elements and comments dropped, entities decoded once, a blank line between blocks and a line
 * break for <br>, spaces collapsed. Fragments nested too deep to parse in time lose their tags
 * by a one-pass scan instead.
 */
export function htmlText(source: string): string {
  if (!/[<&]/.test(source)) return tidyText(source);
  // CDATA markers left in a feed's text (one nested in another) mark text, not a comment.
  const html = source.includes('<![CDATA[') ? source.replace(/<!\[CDATA\[|\]\]>/g, '') : source;
  // Most fragments hold nothing a reader does not see: their tags are dropped in one pass,
  // which needs no tree and so cares nothing for depth. The rest are parsed.
  if (!HAS_HIDDEN.test(html)) return plainText(html);
  // Nesting deeper than the limit takes more than three characters a level: too deep to parse
  // in time, its tags go in one pass, hidden or not.
  if (html.length > 3 * MAX_HTML_DEPTH && nestingDepth(html) > MAX_HTML_DEPTH) return plainText(html);
  fragment.parts = [];
  fragment.hidden = 0;
  textParser.reset();
  textParser.end(html);
  return tidyText(fragment.parts.join(''));
}

// What the one-pass reading cannot drop by tags alone: hidden elements' content, comments,
// CDATA sections and processing instructions.
const HAS_HIDDEN = /<(?:script|style|noscript|template|head)[\s/>]|<!|<\?/i;
const TAG_NAME = /<\/?([a-zA-Z][^\s/>]*)/y;

/** The text of a fragment with nothing hidden in it: tags out (blocks as breaks), then entities decoded once. */
function plainText(html: string): string {
  const parts: string[] = [];
  let at = 0;
  for (let lt = html.indexOf('<'); lt >= 0; lt = html.indexOf('<', at)) {
    TAG_NAME.lastIndex = lt;
    const tag = TAG_NAME.exec(html);
    if (!tag) {
      parts.push(html.slice(at, lt + 1)); // a "<" that starts no tag is text
      at = lt + 1;
      continue;
    }
    // The next ">" ends the tag unless a quoted attribute value comes first.
    const gt = html.indexOf('>', TAG_NAME.lastIndex);
    const quote = html.slice(TAG_NAME.lastIndex, gt).search(/["']/);
    const end = gt >= 0 && quote < 0 ? gt : tagEnd(html, TAG_NAME.lastIndex);
    if (end < 0) {
      // A tag cut off at the end: browsers drop it and what follows.
      parts.push(html.slice(at, lt));
      at = html.length;
      break;
    }
    parts.push(html.slice(at, lt));
    const name = tag[1]!.toLowerCase();
    if (name === 'br') parts.push('\n');
    else if (BLOCKS.has(name)) parts.push('\n\n');
    at = end + 1;
  }
  parts.push(html.slice(at));
  return tidyText(decodeHTML(parts.join('')));
}

// One parser for every fragment (making one costs more than reading a short fragment), and the
// state its handlers write. htmlText runs to the end without yielding, so no two calls overlap.
const fragment = { parts: [] as string[], hidden: 0 };
const textParser = new Parser(
  {
    onopentag(name) {
      if (HIDDEN.has(name)) fragment.hidden++;
      else if (name === 'br') fragment.parts.push('\n');
      else if (BLOCKS.has(name)) fragment.parts.push('\n\n');
    },
    onclosetag(name, implied) {
      if (HIDDEN.has(name)) fragment.hidden = Math.max(0, fragment.hidden - 1);
      else if (BLOCKS.has(name) && !(implied && VOID.has(name))) fragment.parts.push('\n\n');
    },
    ontext(t) {
      if (fragment.hidden === 0) fragment.parts.push(t);
    },
  },
  { decodeEntities: true },
);

// Characters that are no words and that a reader must not get: C0 controls other than whitespace
// (a NUL, a bell, a terminal escape), DEL, and the bidi embeddings, overrides and isolates that
// make a text show other than it reads ("Meta \u202Esngis\u202C" shows as "Meta signs").
// C1 controls (U+0080–U+009F) are matched with them, in the same pass, and read as windows-1252.
const UNSEEN = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const unseen = (c: string) => (c >= '\u0080' && c <= '\u009F' ? windows1252Controls(c) : '');

/** Spaces collapsed, a line break kept, at most one blank line between blocks, the ends trimmed; controls out, C1 as windows-1252. */
export function tidyText(text: string): string {
  // Only whitespace that is not already one space is matched: most of a text is left alone.
  return text
    .replace(UNSEEN, unseen)
    .replace(/\s{2,}|[^\S ]/g, (ws) => {
      const first = ws.indexOf('\n');
      return first < 0 ? ' ' : ws.indexOf('\n', first + 1) < 0 ? '\n' : '\n\n';
    })
    .trim();
}
