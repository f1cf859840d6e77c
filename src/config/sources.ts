// sources.yaml, normalized: each source checked for what its kind needs, its schedule, the
// parties it speaks for and the trackers it is about, and given a publisher (named, else its
// URL's site, else its account).
import { existsSync } from 'node:fs';
import type { ConfigProblem } from '../errors.js';
import { isValidSchedule } from './schedule.js';
import { publisherOf } from '../text/publisher.js';
import { unknownAbout, unknownSpokenFor, watchedParties } from './cross-checks.js';
import { sourcesSchema } from './schema.js';
import { checkStreamAuthors, checkStreamFields } from './stream-source.js';
import type { Source, Tracker } from './types.js';
import { formatPath, parseYamlFile } from './yaml.js';

/** `sources.yaml`: optional; a missing file or `sources: []` means nothing is polled. */
/** `trackers` undefined: a tracker file could not be read, so whom a source speaks for is not checked. */
export function loadSources(file: string, label: string, trackers: Tracker[] | undefined, problems: ConfigProblem[], warnings: ConfigProblem[]): Source[] {
  if (!existsSync(file)) return [];
  const parsed = parseYamlFile(file, label, sourcesSchema, problems);
  if (!parsed.value) return [];
  const where = (i: number, field?: string) => {
    const path = field ? ['sources', i, field] : ['sources', i];
    return { file: label, line: parsed.lineOf(path), field: formatPath(path) };
  };
  const watched = trackers ? watchedParties(trackers) : undefined;
  const ids = new Set<string>();
  const out: Source[] = [];
  parsed.value.sources.forEach((src, i) => {
    if (ids.has(src.id)) problems.push({ ...where(i, 'id'), message: `source "${src.id}" is defined twice` });
    ids.add(src.id);
    const needs = src.kind === 'bluesky-stream' ? undefined : src.kind.startsWith('bluesky-') ? (src.kind === 'bluesky-search' ? 'query' : 'actor') : 'url';
    if (needs && src[needs] === undefined) problems.push({ ...where(i), message: `a ${src.kind} source needs "${needs}"` });
    checkStreamFields(src, (field) => where(i, field), problems, warnings);
    if (src.kind === 'html' && !src.selectors) problems.push({ ...where(i), message: 'an html source needs "selectors" (item and title at least)' });
    if (src.schedule !== undefined && !isValidSchedule(src.schedule)) {
      problems.push({ ...where(i, 'schedule'), message: `"${src.schedule}" is not a cron expression (like "*/15 * * * *")` });
    }
    for (const p of watched ? unknownSpokenFor(src.speaksFor, watched) : []) problems.push({ ...where(i, 'speaksFor'), message: `unknown party "${p}"` });
    const about = typeof src.about === 'string' ? [src.about] : src.about;
    for (const t of trackers ? unknownAbout(about, trackers) : []) problems.push({ ...where(i, 'about'), message: `unknown tracker "${t}"` });
    if (src.allowPrivateNetwork && src.kind.startsWith('bluesky-') && src.kind !== 'bluesky-stream') {
      warnings.push({ ...where(i, 'allowPrivateNetwork'), message: 'a Bluesky source fetches no URL of its own; ignored' });
    }
    if (src.speaksFor !== undefined && src.trust !== 'official') {
      warnings.push({ ...where(i, 'speaksFor'), message: 'only an official source speaks for a party; ignored for trust ' + (src.trust ?? 'social') });
    }
    const url = src.url ?? src.urls?.[0];
    const publisher = src.publisher ?? (url ? publisherOf(new URL(url)) : src.actor ? publisherOf(src.actor) : src.id);
    // A missing trust is already a problem for every kind but the stream, whose default is social.
    out.push({ ...src, trust: src.trust ?? 'social', publisher, about, where: { file: label, line: parsed.lineOf(['sources', i]) } });
  });
  checkStreamAuthors(parsed.value.sources, where, warnings);
  return out;
}
