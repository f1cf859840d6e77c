// URLs as pactwatch compares them: one canonical form per article, and the registrable domain a
// host belongs to.
import { getDomain } from 'tldts';

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

/** `href` resolved against `base`, whatever its scheme; `base` when `href` is absent or no URL. */
export function resolvedUrl(href: string | null | undefined, base: string | undefined): string | undefined {
  const h = href?.trim();
  if (!h) return base;
  try {
    return new URL(h, base).toString();
  } catch {
    return base;
  }
}
