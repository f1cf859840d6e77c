// `pactwatch feed [--json] [--kind rss|techmeme] [URL...]` (contract): what pactwatch reads from a
// feed, fetched once through the real fetcher and parser with the config's fetch settings, no
// conditional GET and no database. With no URL it answers each line of stdin as it is read.
import { createInterface } from 'node:readline';
import { fetchSettings, realDeps, type Deps } from '../app.js';
import { checkConfigFolder } from '../config/folder.js';
import { loadConfig } from '../config/load.js';
import { appSettings, type Runtime } from '../config/settings.js';
import { UsageError } from '../errors.js';
import type { Fetcher } from '../http/fetch.js';
import { FeedError } from '../sources/feed.js';
import { readBody } from '../sources/poll.js';
import { write } from './output.js';

export const FEED_KINDS = ['rss', 'techmeme'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

/** One URL's answer, one JSON line (contract). `contentType` and `charset` whenever a body was read. */
export interface FeedLine {
  url: string;
  outcome: 'ok' | 'error';
  error?: string;
  degraded?: string;
  contentType?: string | null;
  charset?: string;
  items: { id: string; url: string | null; title: string | null; text: string; author: string | null; publishedAt: string | null }[];
}

/** Fetches and reads one URL as a source of `kind` would on its first poll. Never throws. */
export async function readFeedUrl(fetcher: Fetcher, kind: FeedKind, url: string, now: Date): Promise<FeedLine> {
  const got = await fetcher.get(url);
  if (got.kind !== 'ok') {
    const message = got.kind === 'not-modified' ? 'not modified' : got.message;
    return { url, outcome: 'error', error: message, items: [] };
  }
  const line: FeedLine = { url, outcome: 'ok', contentType: got.contentType ?? null, items: [] };
  try {
    const read = await readBody(kind, got, now);
    line.charset = read.encoding;
    if (read.degraded) line.degraded = read.degraded;
    line.items = read.entries.map((e) => ({
      id: e.id,
      url: e.url ?? null,
      title: e.title ?? null,
      text: e.text,
      author: e.author ?? null,
      publishedAt: e.publishedAt?.toISOString() ?? null,
    }));
  } catch (err) {
    const charset = err instanceof FeedError ? err.encoding : undefined;
    return { url, outcome: 'error', error: (err as Error).message, contentType: line.contentType, ...(charset ? { charset } : {}), items: [] };
  }
  return line;
}

/** The short table a maintainer reads. */
function table(line: FeedLine): string {
  const head = `${line.url}: ${line.outcome === 'ok' ? `ok, ${line.items.length} item(s) as ${line.charset}` : `error: ${line.error}`}`;
  const out = [head];
  if (line.degraded) out.push(`  read in part: ${line.degraded}`);
  for (const item of line.items) {
    out.push(`  ${item.publishedAt?.slice(0, 16).replace('T', ' ') ?? '(no date)'.padEnd(16)}  ${item.title ?? '(no title)'}`);
    out.push(`  ${''.padEnd(16)}  ${item.url ?? item.id} · ${item.text.length} characters`);
  }
  return `${out.join('\n')}\n`;
}

export async function feed(runtime: Runtime, urls: string[], options: { json?: boolean; kind?: string }, deps: Deps = realDeps()): Promise<void> {
  const kind = (options.kind ?? 'rss') as FeedKind;
  if (!FEED_KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${FEED_KINDS.join(', ')}, not "${options.kind}"`);
  checkConfigFolder(runtime.configDir);
  const settings = appSettings(loadConfig(runtime.configDir), runtime);
  const { Fetcher } = await import('../http/fetch.js');
  const fetcher = new Fetcher(fetchSettings(settings), { random: deps.random, now: () => deps.now().getTime() });
  const answer = async (url: string) => {
    const line = await readFeedUrl(fetcher, kind, url, deps.now());
    await write(options.json ? `${JSON.stringify(line)}\n` : table(line));
  };
  try {
    if (urls.length > 0) for (const url of urls) await answer(url);
    else for await (const url of createInterface({ input: process.stdin, crlfDelay: Infinity })) if (url.trim()) await answer(url.trim());
  } finally {
    await fetcher.close();
  }
}
