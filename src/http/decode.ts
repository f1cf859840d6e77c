// Bytes to text, and broken feeds to well-formed XML: charsets from the BOM, the XML
// declaration or Content-Type (undeclared: UTF-8 if valid, else windows-1252); binary bodies recognised; HTML entities and stray ampersands
// repaired; DOCTYPE dropped, so no entity is ever expanded (billion laughs, external entities)
// and the parse cannot be tricked.
import { decodeHTMLStrict } from 'entities';
import { TextDecoder } from 'node:util';

const LABELS: Record<string, string> = { latin1: 'iso-8859-1', 'us-ascii': 'windows-1252', ascii: 'windows-1252', utf16: 'utf-16le', 'utf-16': 'utf-16le' };

// windows-1252's 0x80–0x9F (Node decodes them as C1 controls, as ISO-8859-1 would).
const CP1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

interface Decoder {
  encoding: string;
  decode(bytes: Buffer): string;
}

function decoderFor(label: string | undefined): Decoder | undefined {
  if (!label) return undefined;
  const name = LABELS[label.toLowerCase()] ?? label.toLowerCase();
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(name);
  } catch {
    return undefined;
  }
  // The web treats ISO-8859-1 as windows-1252, and so do feeds that say either.
  if (decoder.encoding === 'windows-1252' || decoder.encoding === 'iso-8859-1') {
    return { encoding: 'windows-1252', decode: (b) => b.toString('latin1').replace(/[\u0080-\u009F]/g, (c) => CP1252[c.charCodeAt(0) - 0x80]!) };
  }
  return { encoding: decoder.encoding, decode: (b) => decoder.decode(b) };
}

export function charsetOf(contentType: string | undefined): string | undefined {
  return contentType?.match(/charset\s*=\s*"?([\w.:-]+)/i)?.[1];
}

/** UTF-16 or UTF-32 from a BOM, or from the zero bytes around the first "<" when there is none. */
function sniffUnicode(body: Buffer): { encoding: 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be'; skip: number } | undefined {
  const head = body.subarray(0, 256).toString('latin1');
  if (head.startsWith('\x00\x00\xfe\xff')) return { encoding: 'utf-32be', skip: 4 };
  if (head.startsWith('\xff\xfe\x00\x00')) return { encoding: 'utf-32le', skip: 4 };
  if (head.startsWith('\xff\xfe')) return { encoding: 'utf-16le', skip: 2 };
  if (head.startsWith('\xfe\xff')) return { encoding: 'utf-16be', skip: 2 };
  // Without a BOM, a document still starts with "<" after whitespace, padded with zero bytes.
  if (/^(?:[\t\n\r ]\x00\x00\x00)*<\x00\x00\x00/.test(head)) return { encoding: 'utf-32le', skip: 0 };
  if (/^(?:\x00\x00\x00[\t\n\r ])*\x00\x00\x00</.test(head)) return { encoding: 'utf-32be', skip: 0 };
  if (/^(?:[\t\n\r ]\x00)*<\x00/.test(head)) return { encoding: 'utf-16le', skip: 0 };
  if (/^(?:\x00[\t\n\r ])*\x00</.test(head)) return { encoding: 'utf-16be', skip: 0 };
  return undefined;
}

// TextDecoder has no UTF-32; nobody serves it on purpose, but it is a few lines to read.
function decodeUtf32(bytes: Buffer, littleEndian: boolean): string {
  const chars: string[] = [];
  for (let i = 0; i + 3 < bytes.length; i += 4) {
    const c = littleEndian ? bytes.readUInt32LE(i) : bytes.readUInt32BE(i);
    chars.push(c <= 0x10ffff && (c < 0xd800 || c > 0xdfff) ? String.fromCodePoint(c) : '\uFFFD');
  }
  return chars.join('');
}

const SIGNATURES: [string, string][] = [
  ['\x89PNG\r\n\x1a\n', 'a PNG image'],
  ['GIF8', 'a GIF image'],
  ['\xff\xd8\xff', 'a JPEG image'],
  ['RIFF', 'a RIFF file (WebP, WAV or AVI)'],
  ['\x1f\x8b', 'gzip-compressed data the server did not declare with Content-Encoding'],
  ['BZh', 'bzip2-compressed data'],
  ['\xfd7zXZ\x00', 'xz-compressed data'],
  ['(\xb5/\xfd', 'zstd-compressed data'],
  ['PK\x03\x04', 'a ZIP archive'],
  ['%PDF-', 'a PDF document'],
  ['\x7fELF', 'an executable'],
  ['\x00asm', 'a WebAssembly module'],
];

/**
 * What a body is when it is not text at all: a known file signature, or, unless it starts like
 * markup, a start in which more than one byte in 20 is a control character (text has almost none;
 * random bytes, one in nine). Undefined for text in any encoding decodeBody reads.
 */
export function sniffBinary(body: Buffer): string | undefined {
  const head = body.subarray(0, 1024).toString('latin1');
  const known = SIGNATURES.find(([magic]) => head.startsWith(magic));
  if (known) return `binary data (${known[1]})`;
  if (head.length === 0 || sniffUnicode(body) || /^(?:\xef\xbb\xbf)?\s*</.test(head)) return undefined;
  const controls = head.match(/[\x00-\x08\x0b\x0e-\x1f\x7f]/g)?.length ?? 0;
  return controls * 20 > head.length ? 'binary data' : undefined;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const WINDOWS_1252 = decoderFor('windows-1252')!;

/**
 * Decodes a feed or page: BOM first, then the XML declaration (or HTML meta), then Content-Type.
 * Bytes that declare nothing are UTF-8 when they are valid UTF-8 (ASCII is), else windows-1252,
 * the last resort: read as UTF-8, every accented letter and curly quote of a legacy page would
 * become U+FFFD, which nothing later can undo. `encoding` is what the text was decoded as.
 */
export function decodeBody(body: Buffer, contentType?: string): { text: string; encoding: string } {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(body.subarray(3)), encoding: 'utf-8' };
  const unicode = sniffUnicode(body);
  if (unicode) {
    const bytes = body.subarray(unicode.skip);
    const text = unicode.encoding.startsWith('utf-32') ? decodeUtf32(bytes, unicode.encoding === 'utf-32le') : new TextDecoder(unicode.encoding).decode(bytes);
    return { text, encoding: unicode.encoding };
  }
  const head = body.subarray(0, 1024).toString('latin1');
  const declared =
    head.match(/^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i)?.[1] ??
    head.match(/<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i)?.[1];
  for (const label of [declared, charsetOf(contentType)]) {
    const decoder = decoderFor(label);
    // A declaration of UTF-16 on bytes that are not UTF-16 is a lie; the byte sniff above found none.
    if (decoder && !decoder.encoding.startsWith('utf-16')) return { text: decoder.decode(body), encoding: decoder.encoding };
  }
  try {
    return { text: UTF8.decode(body), encoding: 'utf-8' };
  } catch {
    return { text: WINDOWS_1252.decode(body), encoding: WINDOWS_1252.encoding };
  }
}

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

// A DOCTYPE with its internal subset; quoted values may hold "]" and ">" (<!ENTITY x "]>">).
const DOCTYPE = /<!DOCTYPE(?:[^[>"']|"[^"]*"|'[^']*'|\[(?:[^\]"']|"[^"]*"|'[^']*')*\])*>/iy;

/** The text without its first DOCTYPE. Only the first: searching on from every "<!DOCTYPE" that never closes would take quadratic time. */
function dropDoctype(text: string): string {
  const at = text.search(/<!DOCTYPE/i);
  if (at < 0) return text;
  DOCTYPE.lastIndex = at;
  const m = DOCTYPE.exec(text);
  return m ? text.slice(0, at) + text.slice(at + m[0].length) : text;
}

/** A character XML allows (a reference to any other, such as &#0; or a lone surrogate, is a fatal error in sax). */
function xmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/**
 * Makes what feeds really serve parse as XML: drops the XML declaration's now-wrong encoding and
 * the DOCTYPE (with its internal subset), turns HTML named entities into character references,
 * escapes stray "&", removes characters XML forbids, and turns references to them into U+FFFD.
 */
export function repairXml(text: string): string {
  return dropDoctype(text.replace(/^\uFEFF/, ''))
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&(?:(#\d{1,7}|#x[\da-f]{1,6})|([a-z][a-z\d]{0,31}));?/gi, (whole: string, numeric: string | undefined, name: string | undefined) => {
      if (numeric) {
        const code = numeric[1] === 'x' || numeric[1] === 'X' ? parseInt(numeric.slice(2), 16) : parseInt(numeric.slice(1), 10);
        if (!xmlChar(code)) return '&#xFFFD;';
        return whole.endsWith(';') ? whole : `&${numeric};`;
      }
      if (!name || !whole.endsWith(';')) return `&amp;${whole.slice(1)}`;
      if (XML_ENTITIES.has(name)) return whole;
      // Strict: "&notit;" is not "&not" followed by "it;".
      const decoded = decodeHTMLStrict(whole);
      return decoded === whole ? `&amp;${name};` : [...decoded].map((c) => `&#${c.codePointAt(0)};`).join('');
    })
    .replace(/&(?![a-z][a-z\d]{0,31};|#\d{1,7};|#x[\da-f]{1,6};)/gi, '&amp;');
}
