// The hostile corpus (fixtures/hostile/): every file served by the fixture server and polled through
// the real poll path. Each must give the outcome recorded in outcomes.jsonl, never throw, never
// stall, never yield a link that is not http(s), and give a reader what outcomes.jsonl says by hand
// (titles, texts, links, dates; dangerous characters gone). See fixtures/hostile/README.md.
// PACTWATCH_UPDATE_GOLDEN=1 rewrites only each file's outcome column (outcome, items, degraded,
// error) from what happens now (review the diff); what a reader must get is still checked, never recorded.
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
import { formatJson, PAGE_SELECTORS, parseManifest, recordedLine, type Case, type Fields, type Outcome } from '../helpers/hostile-manifest.js';

const DIR = join(FIXTURES, 'hostile');
const MANIFEST = join(DIR, 'outcomes.jsonl');
const RECORD = UPDATE_GOLDEN;
const NOW = new Date('2026-11-27T12:00:00Z');
/** The fetch deadline; a poll that has not settled by twice this has stalled. */
const DEADLINE_MS = 5_000;

const cases: Case[] = parseManifest(readFileSync(MANIFEST, 'utf8'));

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
    return poll ? recordedLine(c, outcomeOf(poll)) : formatJson(c);
  });
  writeFileSync(MANIFEST, `${lines.join('\n')}\n`);
});

/** A poll's outcome column, as the manifest writes it. */
function outcomeOf(poll: Poll): Outcome {
  if (poll.outcome === 'ok') return { outcome: 'ok', items: poll.items.length, ...(poll.degraded ? { degraded: true } : {}) };
  return { outcome: poll.outcome as 'error', error: poll.error?.replaceAll(server.url(''), '{{ORIGIN}}') };
}

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

// What no title or text may hold, whatever the feed: C0 and C1 controls (a text keeps its line
// breaks), bidi embeddings, overrides and isolates (they reorder what a reader sees), noncharacters
// and lone surrogates.
const UNSAFE = '\\u0000-\\u0009\\u000B-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069\\uFDD0-\\uFDEF\\uFFFE\\uFFFF\\p{Cs}';
const UNSAFE_IN_TEXT = new RegExp(`[${UNSAFE}]`, 'u');
const UNSAFE_IN_TITLE = new RegExp(`[\\n${UNSAFE}]`, 'u');

/** A character as a reader of a failure can see it. */
const visible = (s: string) => s.replace(/[^\x20-\x7e]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);

/** `want`'s fields of `item`, each with {{ORIGIN}} as the fixture server. */
function expectFields(item: Item | undefined, want: Fields, what: string): void {
  expect.soft(item, `${what} exists`).toBeDefined();
  const wanted = Object.fromEntries(Object.entries(want).map(([k, v]) => [k, v?.replaceAll('{{ORIGIN}}', server.url('')) ?? null]));
  expect.soft(Object.fromEntries(Object.keys(wanted).map((k) => [k, field(item!, k)])), what).toEqual(wanted);
}

/** What a reader must get from the poll, as outcomes.jsonl says by hand; every miss is reported, not only the first. */
function expectReaderGets(c: Case, p: Poll): void {
  for (const [i, item] of p.items.entries()) {
    for (const [name, value, unsafe] of [['title', item.title ?? '', UNSAFE_IN_TITLE], ['text', item.text, UNSAFE_IN_TEXT]] as const) {
      const bad = unsafe.exec(value);
      expect.soft(bad && visible(bad[0]), `item ${i}'s ${name} holds a character no reader should get`).toBeNull();
      for (const gone of c.lacks ?? []) expect.soft(value.includes(gone), `item ${i}'s ${name} holds "${visible(gone)}"`).toBe(false);
    }
  }
  if (c.first) expectFields(p.items[0], c.first, 'the first item');
  for (const [i, want] of (c.rest ?? []).entries()) expectFields(p.items[i + 1], want, `item ${i + 1}`);
  for (const part of c.titleContains ?? []) expect.soft(p.items[0]?.title, 'the first title').toContain(part);
  for (const part of c.textContains ?? []) expect.soft(p.items[0]?.text, 'the first text').toContain(part);
}

describe('the hostile corpus', () => {
  it('has at least 100 files, each with one recorded outcome', () => {
    const files = readdirSync(DIR).filter((f) => f !== 'README.md' && f !== 'outcomes.jsonl');
    expect(files.length).toBeGreaterThanOrEqual(100);
    expect(cases.map((c) => c.file).sort()).toEqual(files.sort());
    for (const c of cases) expect(c.outcome === 'ok' ? typeof c.items : typeof c.error, c.file).toBe(c.outcome === 'ok' ? 'number' : 'string');
  });

  it('says by hand what a reader must get from every file that yields items', () => {
    const unstated = cases.filter((c) => c.outcome === 'ok' && c.items! > 0 && !c.first).map((c) => c.file);
    expect(unstated).toEqual([]);
    for (const c of cases.filter((c) => c.rest)) expect(c.rest!.length, c.file).toBeLessThan(c.items ?? 0);
  });

  it('the record switch rewrites only the outcome column, in the manifest\'s own format', () => {
    const lines = readFileSync(MANIFEST, 'utf8').split('\n').filter((line) => line.trim() !== '');
    for (const [i, c] of cases.entries()) {
      const { outcome, items, degraded, error, ...rest } = c;
      // The outcome as recorded: the line is written back byte for byte.
      expect(recordedLine(c, { outcome, items, degraded, error }), c.file).toBe(lines[i]);
      // Another outcome: only the outcome column changes.
      const changed = JSON.parse(recordedLine(c, { outcome: 'error', error: 'changed' })) as Case;
      expect(changed, c.file).toEqual({ ...rest, outcome: 'error', error: 'changed' });
    }
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
    // Recording rewrites the outcome column only: what a reader must get is checked all the same.
    if (!RECORD) {
      expect(p.outcome).toBe(c.outcome);
      if (c.outcome === 'ok') expect(p.items).toHaveLength(c.items!);
      if (c.outcome === 'ok') expect(p.degraded !== undefined, 'read only in part').toBe(c.degraded ?? false);
      else expect(p.error).toContain(c.error!.replaceAll('{{ORIGIN}}', server.url('')));
    }
    expectReaderGets(c, p);
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
