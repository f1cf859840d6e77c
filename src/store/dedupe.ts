// What makes two items the same: canonical URLs, text hashes and near-duplicate fingerprints.
import { createHash } from 'node:crypto';
import { getDomain } from 'tldts';
import { normalizeText } from '../extract/normalize.js';

const TRACKING_PARAMS = /^(?:utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref_src|ref|cmpid|smid|ocid|taid|sr_share|outputtype)$/i;

/**
 * One URL per article: https, lower-case host without "www." or default port, no fragment,
 * no tracking parameters, no AMP form, no trailing slash, sorted query. Undefined for a value
 * that is not an http(s) URL.
 */
export function canonicalUrl(raw: string | undefined | null): string | undefined {
  if (!raw) return undefined;
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  u.protocol = 'https:';
  u.hash = '';
  u.port = '';
  u.username = '';
  u.password = '';
  let host = u.hostname.toLowerCase();
  if (host.startsWith('www.')) host = host.slice(4);
  if (host.startsWith('amp.')) host = host.slice(4);
  u.hostname = host;
  const params = [...u.searchParams].filter(([k]) => !TRACKING_PARAMS.test(k) && k.toLowerCase() !== 'amp');
  params.sort(([a], [b]) => a.localeCompare(b));
  u.search = params.length ? `?${new URLSearchParams(params).toString()}` : '';
  let path = u.pathname
    .replace(/\/amp(?:\/|$)/i, '/')
    .replace(/\.amp(\.html?)$/i, '$1')
    .replace(/\/+$/, '');
  if (path === '') path = '/';
  u.pathname = path;
  const out = u.toString();
  return path === '/' && !u.search ? out.replace(/\/$/, '') : out;
}

/** The registrable domain corroboration counts ("www.bbc.co.uk/news" → "bbc.co.uk"). */
export function registrableDomain(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const domain = getDomain(value.includes('://') ? value : `https://${value}`);
  return domain ?? undefined;
}

function textKey(title: string | undefined, text: string): string {
  return normalizeText(`${title ?? ''} ${text}`).toLowerCase();
}

/** Same normalized headline and text: an exact repeat. */
export function textHash(title: string | undefined, text: string): string {
  return createHash('sha256').update(textKey(title, text)).digest('hex').slice(0, 32);
}

function fnv1a(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * A 64-bit SimHash (Charikar) of the body's word 3-shingles, as 16 hex digits. Copies of one
 * wire text differ in a few bits; independent reports of one story differ in many.
 */
export function simhash(text: string): string {
  const words = normalizeText(text).toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const weights = new Int32Array(64);
  const shingles = words.length < 3 ? [words.join(' ')] : words.slice(0, -2).map((_, i) => `${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  for (const sh of shingles) {
    const hi = fnv1a(sh, 0x811c9dc5);
    const lo = fnv1a(sh, 0x01000193);
    for (let b = 0; b < 32; b++) {
      weights[b]! += (hi >>> b) & 1 ? 1 : -1;
      weights[b + 32]! += (lo >>> b) & 1 ? 1 : -1;
    }
  }
  let hi = 0;
  let lo = 0;
  for (let b = 0; b < 32; b++) {
    if (weights[b]! > 0) hi |= 1 << b;
    if (weights[b + 32]! > 0) lo |= 1 << b;
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

export function hammingDistance(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < 16; i += 8) {
    let x = (parseInt(a.slice(i, i + 8), 16) ^ parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      x &= x - 1;
      d++;
    }
  }
  return d;
}

/** Bits two copies of one text may differ by. */
export const COPY_DISTANCE = 6;
