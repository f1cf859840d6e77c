// Feed parse throughput: pactwatch's reading of a fetched body (decode, repair, rss-parser, each
// entry's fullest text, links, dates) against bare rss-parser on the same bodies, in paired
// alternating rounds, on two sets: newsroom-like feeds (RSS with content:encoded and a teaser,
// Atom with HTML content and a summary, 30 entries each, as CMSs write them), and the project's
// feed fixtures (the fidelity corpus: one odd case per file, many in legacy charsets that must
// be detected, a few entries each). Bare rss-parser, as it ships, is given the bytes as UTF-8, as
// its parseURL would; files it cannot read at all are no comparison and are left out.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { PACKAGED_CONFIG_DIR } from '../src/config/load.js';
import { readBody } from '../src/sources/poll.js';
import { DAEMON_NODE_FLAGS } from '../src/node-flags.js';
import { fileURLToPath } from 'node:url';
import { corpusItems, type BenchItem } from './corpus.js';
import { pairedRounds } from './paired-rounds.js';

const ROUNDS = 15;

/**
 * rss-parser as it ships. pactwatch replaces two of its helpers in the module they live in
 * (src/sources/rss-parser.ts), which every importer shares; a second copy of the package's
 * modules, loaded before pactwatch's, keeps the originals.
 */
function pristineParser(): typeof import('rss-parser') {
  const require = createRequire(import.meta.url);
  const lib = require.resolve('rss-parser').replace(/index\.js$/, '');
  const saved = Object.keys(require.cache).filter((k) => k.startsWith(lib));
  const cached = new Map(saved.map((k) => [k, require.cache[k]]));
  for (const k of saved) delete require.cache[k];
  try {
    return require('rss-parser') as typeof import('rss-parser');
  } finally {
    for (const k of Object.keys(require.cache)) if (k.startsWith(lib)) delete require.cache[k];
    for (const [k, m] of cached) require.cache[k] = m;
  }
}
const Parser = pristineParser();
const NOW = new Date('2026-12-01T12:00:00Z');

export interface FeedFigures {
  bodies: number;
  items: number;
  itemsPerSec: number;
  bareItemsPerSec: number;
  /** pactwatch's time ÷ bare rss-parser's, median of the paired rounds. */
  ratio: number;
}

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? fixtureFiles(join(dir, d.name)) : /\.(xml|rdf)$/.test(d.name) ? [join(dir, d.name)] : []));
}

const paragraphs = (it: BenchItem) => `<p>${it.text}</p><p>${it.title}: <a href="https://example.com/more">more</a> &amp; <em>analysis</em>.</p><p>${it.text}</p>`;

/** Newsroom-like feeds, half RSS and half Atom, 30 entries each. */
function newsroomFeeds(count: number): Buffer[] {
  const items = [...corpusItems(count * 30, 0.02, 0.2, 7)];
  return Array.from({ length: count }, (_, n) => {
    const mine = items.slice(n * 30, n * 30 + 30);
    if (n % 2 === 0) {
      const body = mine
        .map((it, i) => `<item><title>${it.title}</title><link>https://news${n}.example/${i}</link><guid isPermaLink="false">news${n}-${i}</guid><dc:creator>Staff</dc:creator><pubDate>${it.published.toUTCString()}</pubDate><description><![CDATA[${it.text.slice(0, 80)}…]]></description><content:encoded><![CDATA[${paragraphs(it)}]]></content:encoded></item>`)
        .join('\n');
      return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>News ${n}</title><link>https://news${n}.example/</link><description>News</description>\n${body}</channel></rss>`);
    }
    const body = mine
      .map((it, i) => `<entry><title type="html">${it.title}</title><link rel="alternate" type="text/html" href="/${i}"/><id>tag:news${n}.example,2026:${i}</id><published>${it.published.toISOString()}</published><updated>${it.published.toISOString()}</updated><author><name>Staff</name></author><summary>${it.text.slice(0, 80)}</summary><content type="html">${paragraphs(it).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</content></entry>`)
      .join('\n');
    return Buffer.from(`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://news${n}.example/"><title>News ${n}</title><id>tag:news${n}.example,2026:feed</id><updated>2026-12-01T00:00:00Z</updated>\n${body}</feed>`);
  });
}

async function bareItems(body: Buffer): Promise<number> {
  return (await new Parser().parseString(body.toString('utf8'))).items.length;
}

async function ourItems(body: Buffer): Promise<number> {
  const got = { body, contentType: 'application/xml', url: 'https://feeds.example/feed.xml', base: 'https://feeds.example/feed.xml' };
  return (await readBody('rss', got, NOW)).entries.length;
}

async function pass(bodies: Buffer[], read: (b: Buffer) => Promise<number>): Promise<number> {
  let items = 0;
  for (const b of bodies) items += await read(b);
  return items;
}

async function compare(all: Buffer[], repeat: number, rounds: number): Promise<FeedFigures> {
  const bodies: Buffer[] = [];
  for (const body of all) {
    try {
      await bareItems(body);
      await ourItems(body);
      bodies.push(body);
    } catch {
      // Not a comparison: one of the two cannot read it.
    }
  }
  const work = Array.from({ length: repeat }, () => bodies).flat();
  const paired = await pairedRounds(
    rounds,
    () => pass(work, bareItems),
    () => pass(work, ourItems),
  );
  return {
    bodies: bodies.length,
    items: paired.measuredCount / repeat,
    itemsPerSec: Math.round(paired.measuredCount / paired.measuredSeconds),
    bareItemsPerSec: Math.round(paired.referenceCount / paired.referenceSeconds),
    ratio: paired.ratio,
  };
}

export interface FeedBench {
  newsroom: FeedFigures;
  fixtures: FeedFigures;
}

/** `scale` below 1 makes a short run (the smoke test's): fewer feeds, repeats and rounds. */
export async function benchFeeds(scale = 1): Promise<FeedBench> {
  const n = (full: number) => Math.max(1, Math.round(full * scale));
  const fixtures = fixtureFiles(join(dirname(PACKAGED_CONFIG_DIR), 'fixtures', 'feeds')).map((f) => readFileSync(f));
  return { newsroom: await compare(newsroomFeeds(n(40)), n(5), n(ROUNDS)), fixtures: await compare(fixtures, n(20), n(ROUNDS)) };
}

/**
 * The bench in a process of its own, with the daemon's node flags, as the daemon parses feeds:
 * run after the other benches in theirs, it measured what they left in the heap as much as the
 * parse (docs/performance.md).
 */
export function benchFeedsApart(): FeedBench {
  const run = spawnSync(process.execPath, [...DAEMON_NODE_FLAGS, fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(`feed bench failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as FeedBench;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--child') process.stdout.write(JSON.stringify(await benchFeeds()));
