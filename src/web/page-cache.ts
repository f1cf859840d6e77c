// Rendered pages kept until the data behind them changes, and the ETag that lets a client ask
// whether what it holds is still current (a 304 then costs no rendering and no body).
import { createHash } from 'node:crypto';

export interface CachedPage {
  body: Buffer;
  /** A strong validator: a digest of the body. */
  etag: string;
}

export class PageCache {
  private readonly pages = new Map<string, { stamp: string; page: CachedPage }>();

  /** `limit` bounds the entries: keys carry the Host a request named, which anyone may vary. */
  constructor(private readonly limit = 256) {}

  /** The page under `key` as rendered for `stamp`; rendered anew when the stamp has changed. */
  async get(key: string, stamp: string, render: () => string | Buffer | Promise<string | Buffer>): Promise<CachedPage> {
    const hit = this.pages.get(key);
    if (hit && hit.stamp === stamp) return hit.page;
    const rendered = await render();
    const body = typeof rendered === 'string' ? Buffer.from(rendered, 'utf8') : rendered;
    const page = { body, etag: etagOf(body) };
    if (!hit && this.pages.size >= this.limit) this.pages.delete(this.pages.keys().next().value!);
    this.pages.set(key, { stamp, page });
    return page;
  }
}

export function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** If-None-Match (RFC 9110 §13.1.2): "*", or any tag of a list, compared weakly. */
export function stillCurrent(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => bare(tag) === bare(etag));
}
