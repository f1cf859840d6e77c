// `pactwatch replay`: stored items (JSON Lines) as pipeline Items, in item-date order.
import type { Config } from './config/load.js';
import { TRUST_TIERS } from './config/schema.js';
import type { Item } from './pipeline.js';
import type { Trust } from './status/reduce.js';
import { parseItemDate } from './item-date.js';

export interface ReplayLine {
  line: number;
  item: Item;
}

/** Parses every line; bad lines come back as errors naming the line, and the rest go on. */
export function parseReplay(text: string, config: Config, fetchedAt: Date): { items: ReplayLine[]; errors: string[] } {
  const items: ReplayLine[] = [];
  const errors: string[] = [];
  const sources = new Map(config.sources.map((s) => [s.id, s]));
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const fail = (message: string) => errors.push(`line ${line}: ${message}`);
    let o: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('expected a JSON object');
      o = parsed as Record<string, unknown>;
    } catch (err) {
      return fail(`not JSON: ${(err as Error).message}`);
    }
    const str = (k: string) => (typeof o[k] === 'string' && (o[k] as string).trim() !== '' ? (o[k] as string) : undefined);
    const id = typeof o.id === 'number' ? String(o.id) : str('id');
    if (!id) return fail('"id" is missing');
    const text = str('text');
    if (!text) return fail('"text" is missing');
    if (!text.isWellFormed() || !(str('title')?.isWellFormed() ?? true)) return fail('text contains an unpaired UTF-16 surrogate');
    const published = str('published');
    const publishedAt = published ? parseItemDate(published) : undefined;
    if (published && !publishedAt) return fail(`"published" is not an ISO date: ${published}`);
    const url = str('url');
    const sourceId = str('source');
    const source = sourceId ? sources.get(sourceId) : undefined;
    if (sourceId && !source) return fail(`unknown source "${sourceId}" (not in sources.yaml)`);
    const trust = (source?.trust ?? str('trust')) as Trust | undefined;
    if (!trust || !(TRUST_TIERS as readonly string[]).includes(trust)) return fail(`"trust" must be one of ${TRUST_TIERS.join(', ')} (or name a configured "source")`);
    let host: string | undefined;
    try {
      host = url ? new URL(url).hostname.replace(/^www\./, '') : undefined;
    } catch {
      return fail(`"url" is not a URL: ${url}`);
    }
    const publisher = source?.publisher ?? str('publisher') ?? host;
    if (!publisher) return fail('"publisher" is missing, and there is no "url" to take it from');
    const speaksFor = source ? (source.speaksFor ?? null) : o.speaksFor === 'all' ? 'all' : Array.isArray(o.speaksFor) ? (o.speaksFor as unknown[]).map(String) : null;
    items.push({
      line,
      item: { id, sourceId: sourceId ?? 'replay', url, title: str('title'), text, publishedAt, fetchedAt, trust, publisher, speaksFor },
    });
  });
  // Item-date order (an undated line counts as fetched now); ties keep file order.
  const time = (r: ReplayLine) => (r.item.publishedAt ?? r.item.fetchedAt).getTime();
  items.sort((a, b) => time(a) - time(b) || a.line - b.line);
  return { items, errors };
}
