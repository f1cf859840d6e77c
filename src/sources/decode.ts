// Bytes to text, and broken feeds to well-formed XML: charsets from the BOM, the XML
// declaration or Content-Type; HTML entities and stray ampersands repaired; DOCTYPE dropped, so
// no entity is ever expanded (billion laughs, external entities) and the parse cannot be tricked.
import { decodeHTML } from 'entities';
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

/** Decodes a feed or page: BOM first, then the XML declaration (or HTML meta), then Content-Type, then UTF-8. */
export function decodeBody(body: Buffer, contentType?: string): { text: string; charset: string } {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(body.subarray(3)), charset: 'utf-8 (BOM)' };
  if (body[0] === 0xff && body[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(body.subarray(2)), charset: 'utf-16le (BOM)' };
  if (body[0] === 0xfe && body[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(body.subarray(2)), charset: 'utf-16be (BOM)' };
  // UTF-16 without a BOM still starts "<?xml": every other byte is zero.
  if (body[0] === 0x3c && body[1] === 0x00) return { text: new TextDecoder('utf-16le').decode(body), charset: 'utf-16le' };
  if (body[0] === 0x00 && body[1] === 0x3c) return { text: new TextDecoder('utf-16be').decode(body), charset: 'utf-16be' };
  const head = body.subarray(0, 1024).toString('latin1');
  const declared =
    head.match(/^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i)?.[1] ??
    head.match(/<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i)?.[1];
  for (const label of [declared, charsetOf(contentType)]) {
    const decoder = decoderFor(label);
    // A declaration of UTF-16 on bytes that are not UTF-16 is a lie; the byte sniff above found none.
    if (decoder && !decoder.encoding.startsWith('utf-16')) return { text: decoder.decode(body), charset: decoder.encoding };
  }
  return { text: new TextDecoder('utf-8').decode(body), charset: 'utf-8' };
}

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * Makes what feeds really serve parse as XML: drops the XML declaration's now-wrong encoding and
 * any DOCTYPE (with its internal subset), turns HTML named entities into character references,
 * escapes stray "&", and removes characters XML forbids.
 */
export function repairXml(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/<!DOCTYPE(?:[^[>]|\[[^\]]*\])*>/gi, '')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&(?:(#\d{1,7}|#x[\da-f]{1,6})|([a-z][a-z\d]{0,31}));?/gi, (whole: string, numeric: string | undefined, name: string | undefined) => {
      if (numeric) return whole.endsWith(';') ? whole : `&${numeric};`;
      if (!name || !whole.endsWith(';')) return `&amp;${whole.slice(1)}`;
      if (XML_ENTITIES.has(name)) return whole;
      const decoded = decodeHTML(whole);
      return decoded === whole ? `&amp;${name};` : [...decoded].map((c) => `&#${c.codePointAt(0)};`).join('');
    })
    .replace(/&(?![a-z][a-z\d]{0,31};|#\d{1,7};|#x[\da-f]{1,6};)/gi, '&amp;');
}
