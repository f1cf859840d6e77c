// One line of a replay file as a pipeline Item, or why it is not one: the reader every replay
// thread uses, hand-written for speed, accepting what the replay line schema describes.
import type { Config, Source } from '../config/types.js';
import type { ReplayField } from '../config/replay-schema.js';
import { oversize } from '../text/item-size.js';
import type { Item, Trust } from '../model/item.js';
import { parseItemDate } from '../text/item-date.js';
import { TRUST_TIERS } from '../model/item.js';
import { publisherOf } from '../text/publisher.js';
import { langsField } from '../text/langs.js';

export function sourceMap(config: Pick<Config, 'sources'>): Map<string, Source> {
  return new Map(config.sources.map((s) => [s.id, s]));
}

/** A line's date and publisher, as the first pass found them. */
export interface Known {
  date: number;
  publisher: string;
}

/**
 * One line as an Item, or why it is not one ('' for a blank line). Checked in the order a
 * reader fixes them: JSON, then each field. A line read before comes with its date and
 * publisher, and only what the Item needs is checked again. What it accepts is the replay line
 * schema (config/replay-schema.ts); a test holds the two together.
 */
export function parseLine(raw: string, sources: Map<string, Source>, fetchedAt: Date, known?: Known): Item | string {
  if (raw.trim() === '') return '';
  // Only the schema's fields: reading one it lacks does not compile.
  let o: { [F in ReplayField]?: unknown };
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'expected a JSON object';
    o = parsed as typeof o;
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
  // Each field read by name: a lookup by a computed key is slower (docs/performance.md).
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  const id = typeof o.id === 'number' ? String(o.id) : str(o.id);
  if (!id) return '"id" is missing';
  const text = str(o.text);
  if (!text) return '"text" is missing';
  const title = str(o.title);
  // Reported as a bad line, as `extract` does: the rest of the file goes on.
  const over = oversize({ text, title });
  if (over) return over;
  const url = str(o.url);
  const sourceId = str(o.source);
  const source = sourceId ? sources.get(sourceId) : undefined;
  if (sourceId && !source) return `unknown source "${sourceId}" (not in sources.yaml)`;
  const trust = (source?.trust ?? str(o.trust)) as Trust | undefined;
  if (!trust || !(TRUST_TIERS as readonly string[]).includes(trust)) return `"trust" must be one of ${TRUST_TIERS.join(', ')} (or name a configured "source")`;
  const speaksFor = source ? (source.speaksFor ?? null) : o.speaksFor === 'all' ? 'all' : Array.isArray(o.speaksFor) ? (o.speaksFor as unknown[]).map(String) : null;
  const fictional = o.fictional === true;
  const langs = langsField(o.langs);
  if (known) {
    const publishedAt = Number.isNaN(known.date) ? undefined : new Date(known.date);
    return { id, sourceId: sourceId ?? 'replay', url, title, text, publishedAt, fetchedAt, trust, publisher: known.publisher, speaksFor, about: source?.about, fictional, ...langs };
  }
  // A field of the wrong type is a mistake to report, not a field to leave out.
  const wrong =
    notString('title', o.title) ?? notString('url', o.url) ?? notString('source', o.source) ?? notString('publisher', o.publisher) ?? notString('published', o.published);
  if (wrong) return wrong;
  // Checked even beside a source, whose trust is the one used: a bad value is still a mistake.
  if (o.trust != null && !(TRUST_TIERS as readonly unknown[]).includes(o.trust)) return `"trust" must be one of ${TRUST_TIERS.join(', ')}, not ${shown(o.trust)}`;
  if (o.speaksFor != null && o.speaksFor !== 'all' && !(Array.isArray(o.speaksFor) && o.speaksFor.every((p) => typeof p === 'string'))) {
    return `"speaksFor" must be "all" or a list of party ids, not ${shown(o.speaksFor)}`;
  }
  if (!text.isWellFormed() || !(title?.isWellFormed() ?? true)) return 'text contains an unpaired UTF-16 surrogate';
  const published = str(o.published);
  const publishedAt = published ? parseItemDate(published) : undefined;
  if (published && !publishedAt) return `"published" is not an ISO date: ${published}`;
  let link: URL | undefined;
  try {
    link = url ? new URL(url) : undefined;
  } catch {
    return `"url" is not a URL: ${url}`;
  }
  const publisher = source?.publisher ?? str(o.publisher) ?? (link ? publisherOf(link) : undefined);
  if (!publisher) return '"publisher" is missing, and there is no "url" to take it from';
  // Anything but a plain true or false is a mistake to stop at, not a story to post.
  if (o.fictional != null && typeof o.fictional !== 'boolean') return `"fictional" must be true or false, not ${shown(o.fictional)}`;
  // A list of anything but strings is a mistake; a string that is no tag is the writer's noise, dropped as the stream drops it.
  if (o.langs != null && !(Array.isArray(o.langs) && o.langs.every((l) => typeof l === 'string'))) return `"langs" must be a list of language tags, not ${shown(o.langs)}`;
  return { id, sourceId: sourceId ?? 'replay', url, title, text, publishedAt, fetchedAt, trust, publisher, speaksFor, about: source?.about, fictional, ...langs };
}

function notString(field: ReplayField, value: unknown): string | undefined {
  return value != null && typeof value !== 'string' ? `"${field}" must be a string, not ${shown(value)}` : undefined;
}

/** A value in an error, cut short: the line itself may be long. */
function shown(value: unknown): string {
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 39)}…` : json;
}
