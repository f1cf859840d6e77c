// Bytes to text, and broken feeds to well-formed XML: charsets from the BOM, Content-Type or the
// XML declaration, detected when none is declared or the bytes are not valid in what was
// declared; binary bodies recognised; HTML entities and stray ampersands repaired; DOCTYPE
// dropped, so no entity is ever expanded (billion laughs, external entities) and the parse
// cannot be tricked.
import chardet from 'chardet';
import { decodeHTMLStrict } from 'entities';
import { isAscii, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';

const LABELS: Record<string, string> = { latin1: 'iso-8859-1', 'us-ascii': 'windows-1252', ascii: 'windows-1252', utf16: 'utf-16le', 'utf-16': 'utf-16le' };

// windows-1252's 0x80–0x9F (Node decodes them as C1 controls, as ISO-8859-1 would).
const CP1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/** Text with C1 controls (U+0080–U+009F) read as windows-1252 reads those bytes (’ “ ” – …), as browsers read `&#146;`. */
export function windows1252Controls(text: string): string {
  return /[\u0080-\u009F]/.test(text) ? text.replace(/[\u0080-\u009F]/g, (c) => CP1252[c.charCodeAt(0) - 0x80]!) : text;
}

interface Decoder {
  encoding: string;
  /** The text, or undefined when the bytes are not valid in this encoding. */
  decode(bytes: Buffer): string | undefined;
}

// Decoders by label: making one costs more than decoding a small feed with it.
const decoders = new Map<string, Decoder | undefined>();

function decoderFor(label: string | undefined): Decoder | undefined {
  if (!label) return undefined;
  const key = label.toLowerCase();
  if (!decoders.has(key)) decoders.set(key, makeDecoder(LABELS[key] ?? key));
  return decoders.get(key);
}

function makeDecoder(name: string): Decoder | undefined {
  let encoding: string;
  try {
    encoding = new TextDecoder(name).encoding;
  } catch {
    return undefined;
  }
  // The web treats ISO-8859-1 as windows-1252, and so do feeds that say either.
  if (encoding === 'windows-1252' || encoding === 'iso-8859-1') {
    return { encoding: 'windows-1252', decode: (b) => windows1252Controls(b.toString('latin1')) };
  }
  if (encoding === 'utf-8') return { encoding, decode: (b) => (isUtf8(b) ? b.toString('utf8') : undefined) };
  // Fatal: bytes that are not valid in what was declared make the declaration a lie, to be
  // detected past rather than turned into U+FFFD, which nothing later can undo.
  const fatal = new TextDecoder(encoding, { fatal: true });
  return {
    encoding,
    decode: (b) => {
      try {
        return fatal.decode(b);
      } catch {
        return undefined;
      }
    },
  };
}

/** The charset parameter of a Content-Type, quoted ("…" or '…') or bare. */
export function charsetOf(contentType: string | undefined): string | undefined {
  return contentType?.match(/;\s*charset\s*=\s*["']?([\w.:-]+)/i)?.[1];
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

const WINDOWS_1252 = decoderFor('windows-1252')!;
const UTF8 = decoderFor('utf-8')!;

const MULTI_BYTE = new Set(['shift_jis', 'euc-jp', 'iso-2022-jp', 'gbk', 'gb18030', 'big5', 'euc-kr', 'utf-8', 'utf-16le', 'utf-16be']);
const SINGLE_BYTE = (encoding: string) => !MULTI_BYTE.has(encoding);
const hasNonAscii = (body: Buffer) => !isAscii(body);

// What the detector names, as TextDecoder labels: ISO-8859-1 is windows-1252 on the web, and
// GB18030 text decodes the same as GBK, the name GB2312 declarations get.
const DETECTED: Record<string, string> = { 'ISO-8859-1': 'windows-1252', GB18030: 'gbk' };

/**
 * The encoding a detector finds most likely, among those that decode the bytes. It is shown the
 * text between the tags: markup is ASCII in every encoding read here (no multi-byte sequence holds
 * "<" or ">"), so it only dilutes the statistics, and costs time.
 */
function detect(body: Buffer): Decoder | undefined {
  const words = Buffer.from(body.subarray(0, 64 * 1024).toString('latin1').replace(/<[^>]*>/g, ' '), 'latin1');
  for (const guess of chardet.analyse(words)) {
    const decoder = decoderFor(DETECTED[guess.name] ?? guess.name);
    if (decoder && !decoder.encoding.startsWith('utf-16') && decoder.decode(body) !== undefined) return decoder;
  }
  return undefined;
}

/** The length of the valid multi-byte UTF-8 sequence at `i` (no overlong form, no surrogate), or 0. */
function utf8Sequence(b: Buffer, i: number): number {
  const lead = b[i]!;
  const n = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  if (n === 0 || i + n > b.length) return 0;
  for (let k = 1; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return 0;
  const second = b[i + 1]!;
  if ((lead === 0xe0 && second < 0xa0) || (lead === 0xed && second > 0x9f) || (lead === 0xf0 && second < 0x90) || (lead === 0xf4 && second > 0x8f)) return 0;
  return n;
}

/**
 * Whether bytes that are not valid UTF-8 are still mostly UTF-8: as many valid multi-byte sequences
 * as stray bytes. Legacy text has almost none (a GBK or windows-1252 byte pair is valid UTF-8
 * by accident one time in ten or less).
 */
function mostlyUtf8(b: Buffer): boolean {
  let valid = 0;
  let stray = 0;
  for (let i = 0; i < b.length; ) {
    if (b[i]! < 0x80) i++;
    else {
      const n = utf8Sequence(b, i);
      if (n > 0) valid++;
      else stray++;
      i += n || 1;
    }
  }
  return valid > 0 && valid >= stray;
}

/** Valid UTF-8 sequences as UTF-8, every other byte as windows-1252. */
function mixedUtf8(b: Buffer): string {
  const parts: string[] = [];
  let run = 0; // start of the bytes not yet decoded
  for (let i = 0; i < b.length; ) {
    if (b[i]! < 0x80) {
      i++;
      continue;
    }
    const n = utf8Sequence(b, i);
    if (n > 0) {
      i += n;
      continue;
    }
    parts.push(b.toString('utf8', run, i), WINDOWS_1252.decode(b.subarray(i, i + 1))!);
    run = ++i;
  }
  parts.push(b.toString('utf8', run));
  return parts.join('');
}

/**
 * Decodes a feed or page: a BOM first; then what is declared, Content-Type before the XML
 * declaration (or HTML meta) as RFC 7303 says, except that bytes valid as UTF-8 are UTF-8 when
 * either says so (servers that add a default charset to every response are common); a
 * declaration the bytes are not valid in is passed over. Bytes that declare nothing usable are
 * UTF-8 when they are valid UTF-8 (ASCII is), else what a detector finds, else windows-1252.
 * `encoding` is what the text was decoded as.
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
  const inDocument =
    head.match(/^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i)?.[1] ??
    head.match(/<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i)?.[1];
  // A declaration of UTF-16 on bytes that are not UTF-16 is a lie; the byte sniff above found none.
  const declared = [charsetOf(contentType), inDocument].map(decoderFor).filter((d): d is Decoder => d !== undefined && !d.encoding.startsWith('utf-16'));
  // Bytes that are valid UTF-8 with letters beyond ASCII are UTF-8 whatever a single-byte
  // charset claims: legacy text is valid UTF-8 only as mojibake ("CafÃ©").
  const utf8First = declared.some((d) => d.encoding === 'utf-8' || (SINGLE_BYTE(d.encoding) && hasNonAscii(body) && isUtf8(body)));
  const ordered = utf8First ? [UTF8, ...declared] : declared;
  for (const decoder of [...ordered, UTF8]) {
    const text = decoder.decode(body);
    if (text !== undefined) return { text, encoding: decoder.encoding };
  }
  // UTF-8 with some windows-1252 pasted in (a CMS that joined two sources): each part as it is.
  if ((declared.length === 0 || declared[0]!.encoding === 'utf-8') && mostlyUtf8(body)) return { text: mixedUtf8(body), encoding: 'utf-8' };
  const found = detect(body) ?? WINDOWS_1252;
  return { text: found.decode(body)!, encoding: found.encoding };
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
 * escapes stray "&", removes characters XML forbids (a vertical tab or form feed becomes the
 * space it stands for; a terminal escape goes whole, "\x1b[31m", not leaving "[31m" behind), and
 * turns references to them into U+FFFD.
 */
// Characters XML forbids: a terminal escape sequence goes whole, a vertical tab or form feed
// becomes a space (it separated words), the rest go.
const FORBIDDEN = /\u001B(?:\[[0-?]*[ -/]*[@-~])?|[\u0000-\u0008\u000B\u000C\u000E-\u001A\u001C-\u001F\uFFFE\uFFFF]/g;
const forbidden = (c: string) => (c === '\u000B' || c === '\u000C' ? ' ' : '');

export function repairXml(text: string): string {
  const doc = dropDoctype(text.replace(/^\uFEFF/, ''));
  // A CDATA section is text as it is (its "&" is no reference), bar the forbidden characters;
  // the sections are found by indexOf, much faster than a pattern over their content.
  const parts: string[] = [];
  let changed = false;
  const keep = (before: string, after: string) => {
    changed ||= after !== before;
    parts.push(after);
  };
  let at = 0;
  for (let open = doc.indexOf('<![CDATA['); open >= 0; open = doc.indexOf('<![CDATA[', at)) {
    const close = doc.indexOf(']]>', open + 9);
    if (close < 0) break;
    const text = doc.slice(at, open);
    const section = doc.slice(open, close + 3);
    keep(text, repairText(text));
    keep(section, section.replace(FORBIDDEN, forbidden));
    at = close + 3;
  }
  const rest = doc.slice(at);
  keep(rest, repairText(rest));
  // Most feeds need no repair: then the text is returned as it came, not copied.
  return changed ? parts.join('') : doc;
}

/**
 * XML text outside CDATA, in one pass: forbidden characters go; XML's own five references, by
 * far the most common, are left alone without a call; every other "&" becomes a reference or
 * is escaped.
 */
function repairText(text: string): string {
  return text.replace(
    /\u001B(?:\[[0-?]*[ -/]*[@-~])?|[\u0000-\u0008\u000B\u000C\u000E-\u001A\u001C-\u001F\uFFFE\uFFFF]|&(?!(?:amp|lt|gt|quot|apos);)(?:(#\d{1,7}|#[xX][\da-fA-F]{1,6})|([a-zA-Z][a-zA-Z\d]{0,31}))?;?/g,
    (whole: string, numeric: string | undefined, name: string | undefined) => {
      if (whole[0] !== '&') return forbidden(whole);
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
    },
  );
}
