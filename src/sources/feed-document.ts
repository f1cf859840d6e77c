// A feed's text made ready for rss-parser: namespaces under the prefixes it reads, markup inside
// an item's text kept as text, a missing <channel> supplied; and, when the document will not
// parse, its complete items cut out of it so that they can be read on their own.

/** The namespaces pactwatch reads, by URI: the prefix rss-parser and the entry reader expect. */
const PREFIXES: Record<string, string> = {
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://www.w3.org/2005/Atom': 'atom',
  'http://purl.org/atom/ns#': 'atom',
  'http://purl.org/rss/1.0/': 'rss',
  'http://my.netscape.com/rdf/simple/0.9/': 'rss',
  'http://backend.userland.com/rss2': 'rss',
  'http://blogs.law.harvard.edu/tech/rss': 'rss',
  'http://backend.userland.com/rss': 'rss',
};

/** What a document is, by the local name of its root element. */
export type Format = 'rss' | 'rdf' | 'atom';

export function formatOf(root: string): Format | undefined {
  const local = root.slice(root.indexOf(':') + 1);
  return local === 'rss' ? 'rss' : local === 'RDF' ? 'rdf' : local === 'feed' ? 'atom' : undefined;
}

const DECLARATION = /xmlns:([\w.-]+)\s*=\s*(["'])([^"']*)\2/y;

/**
 * Renames the prefixes a document chose to the ones read here, by what they are bound to: the
 * document's own vocabulary (Atom in an Atom feed, RSS in RSS) loses its prefix, and so does a
 * root element's prefix bound to nothing known (<r:rss xmlns:r="">). Declarations are read
 * document-wide: a prefix bound two ways in one feed is not worth a namespace-aware parser.
 */
function renamePrefixes(xml: string, root: string, format: Format): string {
  const rename = new Map<string, string>();
  // indexOf finds the few declarations faster than a pattern scanning the whole text.
  for (let at = xml.indexOf('xmlns:'); at >= 0; at = xml.indexOf('xmlns:', at + 6)) {
    DECLARATION.lastIndex = at;
    const m = /\s/.test(xml[at - 1] ?? '') ? DECLARATION.exec(xml) : null;
    if (!m) continue;
    const [, prefix, , uri] = m as unknown as [string, string, string, string];
    let target = PREFIXES[uri.trim()];
    if (target === 'rss' || target === 'atom') target = (target === 'atom') === (format === 'atom') ? '' : target;
    if (target !== undefined && target !== prefix) rename.set(prefix, target);
  }
  const rootPrefix = root.includes(':') ? root.slice(0, root.indexOf(':')) : undefined;
  if (rootPrefix && format !== 'rdf' && !rename.has(rootPrefix)) rename.set(rootPrefix, '');
  if (format === 'rdf' && rootPrefix && rootPrefix !== 'rdf') rename.set(rootPrefix, 'rdf');
  if (rename.size === 0) return xml;
  return xml.replace(/<(\/?)([\w.-]+):(?=[\w.-])/g, (whole, slash: string, prefix: string) => {
    const target = rename.get(prefix);
    return target === undefined ? whole : `<${slash}${target ? `${target}:` : ''}`;
  });
}

// Elements that hold an item's words. Markup written inside them unescaped (XHTML content, or
// HTML a CMS pasted into <description>) would be taken apart by the XML parser, its text and its
// children kept apart and their order lost; kept as one text, it is read as HTML.
const TEXT_ELEMENTS = /<(content:encoded|dc:description|itunes:summary|media:description|xhtml:body|description|content|summary|title|body|fullitem)(?=[\s/>])([^>]*)>/g;

function wrapMarkup(xml: string): string {
  let out = '';
  let at = 0;
  TEXT_ELEMENTS.lastIndex = 0;
  for (let m = TEXT_ELEMENTS.exec(xml); m; m = TEXT_ELEMENTS.exec(xml)) {
    if (m[2]!.endsWith('/')) continue;
    const start = m.index + m[0].length;
    const end = xml.indexOf(`</${m[1]}>`, start);
    if (end < 0) break;
    const inner = xml.slice(start, end);
    TEXT_ELEMENTS.lastIndex = end;
    if (!hasMarkup(inner)) continue;
    // The text is the markup as written: its entity references stay for the HTML reading to
    // decode, and CDATA sections inside give up their delimiters.
    const text = inner.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1').replaceAll(']]>', ']]]]><![CDATA[>');
    // Elements written inside are markup, never literal text: an element that names no type
    // is marked as holding XHTML (Atom's default, text, would print the tags).
    const tag = /\stype\s*=/.test(m[2]!) ? m[0] : `<${m[1]}${m[2]} type="xhtml">`;
    out += `${xml.slice(at, m.index)}${tag}<![CDATA[${text}]]>`;
    at = end;
  }
  return at === 0 ? xml : out + xml.slice(at);
}

/** Whether XML text holds an element (not only CDATA sections, comments or processing instructions). */
function hasMarkup(inner: string): boolean {
  for (let lt = inner.indexOf('<'); lt >= 0; lt = inner.indexOf('<', lt + 1)) {
    const end = inner.startsWith('<![CDATA[', lt) ? ']]>' : inner.startsWith('<!--', lt) ? '-->' : inner.startsWith('<?', lt) ? '?>' : undefined;
    if (!end) return true;
    const close = inner.indexOf(end, lt);
    if (close < 0) return false;
    lt = close;
  }
  return false;
}

const START_TAGS = new Map<string, RegExp>();

/** The start tag of the first element named `name`, from its "<" to its ">". */
export function startTag(xml: string, name: string): { at: number; end: number } | undefined {
  let re = START_TAGS.get(name);
  if (!re) START_TAGS.set(name, (re = new RegExp(`<${name}(?=[\\s/>])[^>]*>`)));
  const m = re.exec(xml);
  return m ? { at: m.index, end: m.index + m[0].length } : undefined;
}

/**
 * The document as rss-parser reads it. Atom's dates are renamed, so rss-parser never converts
 * them itself (it throws on a bad one, and so loses the whole feed), and a <link> written as
 * text becomes the href rss-parser reads.
 */
export function prepareDocument(xml: string, root: string, format: Format): string {
  let doc = wrapMarkup(renamePrefixes(xml, root, format));
  if (format === 'atom') {
    if (doc.includes('<link>')) doc = doc.replace(/<link>\s*([^<\s]+)\s*<\/link>/g, (_m, url: string) => `<link href="${url.replace(/"/g, '&quot;')}"/>`);
    doc = doc.replace(/<(\/?)(published|updated)(?=[\s/>])/g, '<$1pactwatch-$2');
  }
  const channelEnd = format === 'rss' ? doc.indexOf('</channel>') : -1;
  if (channelEnd >= 0 && doc.indexOf('<item', channelEnd) >= 0 && doc.indexOf('<rss', channelEnd) < 0) {
    // Items written after </channel> (under <rss>): the channel is closed after them instead.
    const rssEnd = doc.lastIndexOf('</rss>');
    if (rssEnd > channelEnd) doc = `${doc.slice(0, channelEnd)}${doc.slice(channelEnd + 10, rssEnd)}</channel>${doc.slice(rssEnd)}`;
  }
  if (format !== 'atom' && !/<channel[\s/>]/.test(doc)) {
    const root = startTag(doc, format === 'rss' ? 'rss' : 'rdf:RDF');
    if (root && format === 'rdf') {
      // RSS 1.0 keeps its items beside <channel>: without one there is only nothing to read about the feed.
      doc = `${doc.slice(0, root.end)}<channel></channel>${doc.slice(root.end)}`;
    } else if (root) {
      // RSS 0.9x written without its <channel>: its items sit right under <rss>.
      const close = doc.lastIndexOf('</rss>');
      doc = `${doc.slice(0, root.end)}<channel>${close > root.end ? `${doc.slice(root.end, close)}</channel>${doc.slice(close)}` : doc.slice(root.end)}`;
    }
  }
  return doc;
}

/**
 * Microsoft's Channel Definition Format (1997; <CHANNEL>, <ITEM HREF LASTMOD>, <TITLE>, <ABSTRACT>)
 * rewritten as the RSS it maps to, one channel holding every item, so rss-parser reads it.
 */
export function cdfAsRss(xml: string): string {
  const root = /<channel\b[^>]*>/i.exec(xml);
  if (!root) return xml;
  const attr = (attrs: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*(["'])([^"']*)\\1`, 'i').exec(attrs)?.[2];
  const body = xml
    .slice(root.index)
    .replace(/<\/?channel\b[^>]*>/gi, '')
    .replace(/<item\b([^>]*?)(\/?)>/gi, (_m, attrs: string, empty: string) => {
      const href = attr(attrs, 'href');
      const lastmod = attr(attrs, 'lastmod');
      return `<item>${href ? `<link>${href}</link>` : ''}${lastmod ? `<pubDate>${lastmod}</pubDate>` : ''}${empty ? '</item>' : ''}`;
    })
    .replace(/<(\/?)(item|title|abstract)>/gi, (_m, slash: string, name: string) => `<${slash}${name.toLowerCase() === 'abstract' ? 'description' : name.toLowerCase()}>`);
  return `${xml.slice(0, root.index)}<rss version="2.0"><channel>${body}</channel></rss>`;
}

/** A document's complete items, cut out so that each can be read alone, and what is missing. */
export interface Salvage {
  /** Opens a document that an item can be put in: the root's start tag (and <channel>). */
  open: string;
  close: string;
  items: string[];
  /** The document ends inside an item, which is left out. */
  cutOff: boolean;
}

/**
 * The complete items of a document that will not parse: every <item> or <entry> with its end
 * tag, found by a scan that steps over CDATA sections and comments.
 */
export function salvageItems(doc: string, root: string, format: Format): Salvage | undefined {
  const rootTag = startTag(doc, root);
  if (!rootTag) return undefined;
  const channel = format === 'atom' ? undefined : startTag(doc, 'channel');
  const itemName = format === 'atom' ? 'entry' : 'item';
  // RSS 1.0's items sit beside its <channel>, which rss-parser needs to see, empty or not.
  const open = doc.slice(rootTag.at, rootTag.end) + (format === 'rss' && channel ? '<channel>' : format === 'rdf' ? '<channel></channel>' : '');
  const close = (format === 'rss' && channel ? '</channel>' : '') + `</${root}>`;
  const items: string[] = [];
  let start = -1;
  let at = rootTag.end;
  for (;;) {
    const lt = doc.indexOf('<', at);
    if (lt < 0) break;
    const skip = doc.startsWith('<![CDATA[', lt) ? ']]>' : doc.startsWith('<!--', lt) ? '-->' : undefined;
    if (skip) {
      const end = doc.indexOf(skip, lt);
      if (end < 0) break;
      at = end + skip.length;
      continue;
    }
    if (startsElement(doc, lt + 1, itemName)) start = lt;
    else if (start >= 0 && doc.startsWith(`/${itemName}`, lt + 1)) {
      const end = doc.indexOf('>', lt);
      if (end < 0) break;
      items.push(doc.slice(start, end + 1));
      start = -1;
    }
    at = lt + 1;
  }
  return { open, close, items, cutOff: start >= 0 };
}

function startsElement(doc: string, at: number, name: string): boolean {
  return doc.startsWith(name, at) && /[\s/>]/.test(doc[at + name.length] ?? '');
}
