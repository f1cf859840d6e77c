// The hostile corpus (fixtures/hostile/): every file served by the fixture server and polled through
// the real poll path. Each must give the outcome recorded in outcomes.jsonl, never throw, never
// stall, and never yield a link that is not http(s). See fixtures/hostile/README.md.
// PACTWATCH_UPDATE_GOLDEN=1 rewrites each recorded outcome from what happens now (review the diff).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Source } from '../../src/config/types.js';
import type { Item } from '../../src/model/item.js';
import { Fetcher } from '../../src/http/fetch.js';
import { pollSource, type Poll } from '../../src/sources/poll.js';
import { FIXTURES, startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { UPDATE_GOLDEN } from '../helpers/golden.js';

const DIR = join(FIXTURES, 'hostile');
const MANIFEST = join(DIR, 'outcomes.jsonl');
const RECORD = UPDATE_GOLDEN;
const NOW = new Date('2026-11-27T12:00:00Z');
/** The fetch deadline; a poll that has not settled by twice this has stalled. */
const DEADLINE_MS = 5_000;
const PAGE_SELECTORS = { item: 'article', title: 'h2', link: 'a', date: 'time', summary: 'p' };

interface Case {
  file: string;
  kind: 'rss' | 'techmeme' | 'html';
  contentType: string;
  /** Served gzip-compressed, with Content-Encoding: gzip. */
  gzip?: boolean;
  /** Extra response headers, served as they are (a Content-Encoding that lies). */
  headers?: Record<string, string>;
  selectors?: typeof PAGE_SELECTORS;
  outcome: 'ok' | 'error';
  items?: number;
  /** A part of the error message; {{ORIGIN}} is the fixture server. */
  error?: string;
  /** An `ok` poll of a document read only in part (cut off, not well-formed): says so. */
  degraded?: boolean;
  /** Fields of the first item; null means absent; {{ORIGIN}} is the fixture server. */
  first?: Record<string, string | null>;
}

const cases: Case[] = readFileSync(MANIFEST, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Case);

let server: FixtureServer;
let fetcher: Fetcher;
const recorded = new Map<string, Poll>();

/** The bytes a case serves: the file itself, or what its recipe describes; {{ORIGIN}} replaced. */
function bodyOf(c: Case): Buffer {
  let bytes = readFileSync(join(DIR, c.file));
  if (c.file.endsWith('.recipe.json')) {
    const recipe = JSON.parse(bytes.toString('utf8')) as { parts: [string, number?][] };
    bytes = Buffer.from(recipe.parts.map(([text, times = 1]) => text.repeat(times)).join(''), 'utf8');
  }
  // latin1 maps bytes to chars one to one, so non-UTF-8 files pass through unchanged.
  return Buffer.from(bytes.toString('latin1').replaceAll('{{ORIGIN}}', server.url('')), 'latin1');
}

beforeAll(async () => {
  server = await startFixtureServer();
  fetcher = new Fetcher({ hostSpacingMs: 0, deadlineMs: DEADLINE_MS, allowPrivateNetwork: true });
  for (const c of cases) {
    const body = c.gzip ? gzipSync(bodyOf(c)) : bodyOf(c);
    const headers = { 'content-type': c.contentType, 'content-length': body.length, ...(c.gzip ? { 'content-encoding': 'gzip' } : {}), ...c.headers };
    server.set(`/hostile/${c.file}`, (_req, res) => void res.writeHead(200, headers).end(body));
  }
});

afterAll(async () => {
  await fetcher.close();
  await server.close();
  if (!RECORD) return;
  const lines = cases.map((c) => {
    const poll = recorded.get(c.file);
    const { outcome: _o, items: _i, error: _e, degraded: _d, first, ...how } = c;
    if (!poll) return JSON.stringify(c);
    const outcome = poll.outcome === 'ok' ? { outcome: 'ok', items: poll.items.length, ...(poll.degraded ? { degraded: true } : {}) } : { outcome: poll.outcome, error: poll.error?.replaceAll(server.url(''), '{{ORIGIN}}') };
    return JSON.stringify({ ...how, ...outcome, ...(first ? { first } : {}) });
  });
  writeFileSync(MANIFEST, `${lines.join('\n')}\n`);
});

function source(c: Case): Source {
  return {
    id: `hostile-${c.file.replace(/\W+/g, '-')}`,
    kind: c.kind,
    url: server.url(`/hostile/${c.file}`),
    trust: 'press',
    publisher: 'wire.example',
    where: { file: 'fixtures/hostile/outcomes.jsonl' },
    ...(c.kind === 'html' ? { selectors: c.selectors ?? PAGE_SELECTORS } : {}),
  };
}

/** Polls within a deadline: a poll that throws or has not settled in time is reported as such. */
async function pollWithin(c: Case): Promise<Poll | { threw: unknown } | 'stalled'> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<'stalled'>((resolve) => (timer = setTimeout(() => resolve('stalled'), 2 * DEADLINE_MS)));
  try {
    return await Promise.race([pollSource(fetcher, source(c), undefined, { now: () => NOW, random: () => 0.5, force: true }), stalled]);
  } catch (threw) {
    return { threw };
  } finally {
    clearTimeout(timer);
  }
}

// What an error message must not look like: the internals of a crash, not a description of the feed.
const UNCLEAR = /Cannot read|is not a function|is not defined|Maximum call stack|\[object |Invalid time value|Unable to parse XML|not recognized as RSS/;

function field(item: Item, key: string): string | null {
  const value = (item as unknown as Record<string, unknown>)[key];
  if (value === undefined || value === null) return null;
  return value instanceof Date ? value.toISOString() : String(value);
}

describe('the hostile corpus', () => {
  it('has at least 100 files, each with one recorded outcome', () => {
    const files = readdirSync(DIR).filter((f) => f !== 'README.md' && f !== 'outcomes.jsonl');
    expect(files.length).toBeGreaterThanOrEqual(100);
    expect(cases.map((c) => c.file).sort()).toEqual(files.sort());
    for (const c of cases) expect(c.outcome === 'ok' ? typeof c.items : typeof c.error, c.file).toBe(c.outcome === 'ok' ? 'number' : 'string');
  });

  it.each(cases)('$file ($kind, $contentType)', async (c) => {
    const poll = await pollWithin(c);
    expect(poll, 'the poll settles within twice the fetch deadline').not.toBe('stalled');
    expect(poll, 'pollSource never throws').not.toHaveProperty('threw');
    const p = poll as Poll;
    recorded.set(c.file, p);
    for (const item of p.items) {
      expect(typeof item.text).toBe('string');
      if (item.url !== undefined) expect(item.url).toMatch(/^https?:\/\//);
      if (item.author !== undefined) expect(typeof item.author).toBe('string');
      if (item.publishedAt !== undefined) expect(Number.isNaN(item.publishedAt.getTime())).toBe(false);
    }
    if (p.outcome === 'error') expect(p.error).not.toMatch(UNCLEAR);
    if (RECORD) return;
    expect(p.outcome).toBe(c.outcome);
    if (c.outcome === 'ok') expect(p.items).toHaveLength(c.items!);
    if (c.outcome === 'ok') expect(p.degraded !== undefined, 'read only in part').toBe(c.degraded ?? false);
    else expect(p.error).toContain(c.error!.replaceAll('{{ORIGIN}}', server.url('')));
    if (c.first) {
      const first = p.items[0]!;
      const want = Object.fromEntries(Object.entries(c.first).map(([k, v]) => [k, v?.replaceAll('{{ORIGIN}}', server.url('')) ?? null]));
      expect(Object.fromEntries(Object.keys(want).map((k) => [k, field(first, k)]))).toEqual(want);
    }
  });

  it('no entity, DTD or XInclude read /etc/passwd or reached the network', async () => {
    const passwd = readFileSync('/etc/passwd', 'utf8').split('\n')[0]!;
    const tricks = cases.filter((c) => c.file.startsWith('entity-'));
    const items = [];
    for (const c of tricks) items.push(...((await pollWithin(c)) as Poll).items);
    expect(items.map((i) => i.title)).toContain('Leak &secret;');
    expect(JSON.stringify(items)).not.toContain(passwd);
    expect(JSON.stringify(items)).not.toMatch(/root:x?:0:0/);
    expect(server.log.filter((l) => l.path.startsWith('/canary/'))).toEqual([]);
  });
});
