// What makes two items the same: canonical URLs, text hashes and near-duplicate fingerprints.
import { hash } from 'node:crypto';
import { getDomain } from 'tldts';
import { normalizeText } from '../text/normalize.js';

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
  // Built from the parsed parts rather than through URL's setters: each setter re-parses the
  // whole URL, and together they cost more than the parse. The parts are already serialized
  // (lower-case host, percent-encoded path), so the string is the one the setters produced.
  // Dropped: fragment, port, user name and password.
  let host = u.hostname.toLowerCase();
  const hostname = host;
  if (host.startsWith('www.')) host = host.slice(4);
  if (host.startsWith('amp.')) host = host.slice(4);
  // (An http(s) URL cannot have an empty host: "www." stays as it is.)
  if (host === '') host = hostname;
  let search = '';
  if (u.search !== '') {
    const params = [...u.searchParams].filter(([k]) => !TRACKING_PARAMS.test(k) && k.toLowerCase() !== 'amp');
    params.sort(([a], [b]) => a.localeCompare(b));
    if (params.length) search = `?${new URLSearchParams(params).toString()}`;
  }
  const path = u.pathname
    .replace(/\/amp(?:\/|$)/i, '/')
    .replace(/\.amp(\.html?)$/i, '$1')
    .replace(/\/+$/, '');
  // The site's root has no trailing slash either.
  return path === '' && search === '' ? `https://${host}` : `https://${host}${path || '/'}${search}`;
}

/** The registrable domain corroboration counts ("www.bbc.co.uk/news" → "bbc.co.uk"). */
export function registrableDomain(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const domain = getDomain(value.includes('://') ? value : `https://${value}`);
  return domain ?? undefined;
}

/** The normalized headline and text, lower-cased. */
function textKey(title: string | undefined, text: string): string {
  // The normalized parts, joined by a space, are the normalized whole, and the extractor has
  // just normalized the parts (normalizeText remembers them). The one exception is a zero-width
  // no-break space, which the dash rule reads as a space but which is kept otherwise.
  if (title?.includes('\uFEFF') || text.includes('\uFEFF')) return normalizeText(`${title ?? ''} ${text}`).toLowerCase();
  const head = normalizeText(title ?? '');
  const body = normalizeText(text);
  return (head && body ? `${head} ${body}` : head || body).toLowerCase();
}

/** Same normalized headline and text: an exact repeat. 128 bits, stored as a BLOB. */
export function textHash(title: string | undefined, text: string): Buffer {
  // One-shot hashing: no Hash object per item.
  return hash('sha256', textKey(title, text), 'buffer').subarray(0, 16);
}

/** Word 3-shingles of a normalized text: what copy detection compares. */
export function shingles(text: string): Set<string> {
  const words = normalizeText(text).toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length < 3) return new Set([words.join(' ')]);
  const out = new Set<string>();
  for (let i = 0; i + 2 < words.length; i++) out.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  return out;
}

/** Jaccard similarity of two shingle sets. */
export function similarity(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const s of a) if (b.has(s)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/**
 * Two bodies this similar are copies of one text (a syndicated wire story, a lightly edited
 * rewrite); independent reports of one story share far fewer three-word runs.
 */
export const COPY_SIMILARITY = 0.5;
