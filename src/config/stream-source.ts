// What sources.yaml must say of a bluesky-stream source (a Jetstream connection), and the fields
// that belong to it alone; checked beside the other kinds' needs in sources.ts.
import type { ConfigProblem } from '../errors.js';
import type { SourceFile } from './schema.js';

type Place = (field?: string) => { file: string; line: number | undefined; field: string };

const STREAM_ONLY = ['urls', 'mode', 'maxLag', 'watchdog', 'retention'] as const;
/** Seconds a stream may lag before /healthz fails, unless the source says. */
const DEFAULT_MAX_LAG = 300;
const NOT_FOR_STREAM = ['query', 'actor', 'schedule', 'selectors'] as const;

/** The stream's own checks; for another kind, that it has none of the stream's fields. */
export function checkStreamFields(src: SourceFile, at: Place, problems: ConfigProblem[], warnings: ConfigProblem[]): void {
  if (src.kind !== 'bluesky-stream') {
    for (const field of STREAM_ONLY) if (src[field] !== undefined) problems.push({ ...at(field), message: `only a bluesky-stream source has "${field}"` });
    if (src.url !== undefined && !/^https?:/.test(src.url)) problems.push({ ...at('url'), message: `"${src.url}" is not an http:// or https:// URL` });
    if (src.trust === undefined) problems.push({ ...at(), message: `a ${src.kind} source needs "trust" (official, press or social)` });
    return;
  }
  if (src.url === undefined && src.urls === undefined) problems.push({ ...at(), message: 'a bluesky-stream source needs "url" or "urls" (Jetstream /subscribe endpoints, ws:// or wss://)' });
  if (src.url !== undefined && src.urls !== undefined) problems.push({ ...at('urls'), message: 'give "url" or "urls", not both' });
  if (src.url !== undefined && !/^wss?:/.test(src.url)) problems.push({ ...at('url'), message: `"${src.url}" is not a ws:// or wss:// URL (a Jetstream /subscribe endpoint)` });
  if (src.mode === undefined) problems.push({ ...at(), message: 'a bluesky-stream source needs "mode": authors or firehose' });
  if (src.trust === 'official') {
    problems.push({ ...at('trust'), message: 'a stream is never official (anyone posts on it); make an official account a bluesky-author source, which authors mode follows' });
  }
  // A silent connection is found out only after the watchdog: by then the lag is past its limit.
  if (src.watchdog !== undefined && src.watchdog >= (src.maxLag ?? DEFAULT_MAX_LAG)) {
    warnings.push({ ...at('watchdog'), message: `a watchdog of ${src.watchdog} s reconnects a silent connection only after the lag has passed maxLag (${src.maxLag ?? DEFAULT_MAX_LAG} s): make it shorter` });
  }
  for (const field of NOT_FOR_STREAM) if (src[field] !== undefined) warnings.push({ ...at(field), message: `a bluesky-stream source has no "${field}"; ignored` });
  if (src.articleText) warnings.push({ ...at('articleText'), message: 'a bluesky-stream source fetches no articles; ignored' });
}

/** Authors mode follows the bluesky-author sources named by DID: say so when there is none. */
export function checkStreamAuthors(sources: SourceFile[], at: (i: number, field?: string) => ReturnType<Place>, warnings: ConfigProblem[]): void {
  const dids = sources.filter((s) => s.kind === 'bluesky-author' && s.actor?.startsWith('did:')).length;
  const handles = sources.filter((s) => s.kind === 'bluesky-author' && s.actor !== undefined && !s.actor.startsWith('did:')).map((s) => s.id);
  sources.forEach((s, i) => {
    if (s.kind !== 'bluesky-stream' || s.mode !== 'authors') return;
    if (dids === 0) warnings.push({ ...at(i, 'mode'), message: 'authors mode follows the bluesky-author sources whose actor is a DID, and none is: the stream reads nothing' });
    else if (handles.length) warnings.push({ ...at(i, 'mode'), message: `authors mode follows accounts named by DID; not yet ${handles.join(', ')} (a handle)` });
  });
}
