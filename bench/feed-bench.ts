// Feed parse throughput: pactwatch's reading of a fetched body (decode, repair, rss-parser, each
// entry's fullest text, links, dates) against bare rss-parser on the same files, in paired
// alternating rounds. The files: the fidelity corpus and the other feed fixtures, those bare
// rss-parser reads at all (it is given the bytes as UTF-8, as its parseURL would).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Parser from 'rss-parser';
import { PACKAGED_CONFIG_DIR } from '../src/config/load.js';
import { readBody } from '../src/sources/poll.js';

const ROUNDS = 9;
const NOW = new Date('2026-12-01T12:00:00Z');

function feedFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? feedFiles(join(dir, d.name)) : /\.(xml|rdf)$/.test(d.name) ? [join(dir, d.name)] : []));
}

async function bareItems(body: Buffer): Promise<number> {
  return (await new Parser().parseString(body.toString('utf8'))).items.length;
}

async function ourItems(body: Buffer): Promise<number> {
  const got = { body, contentType: 'application/xml', url: 'https://feeds.example/feed.xml', base: 'https://feeds.example/feed.xml' };
  return (await readBody('rss', got, NOW)).entries.length;
}

async function pass(bodies: Buffer[], read: (b: Buffer) => Promise<number>): Promise<{ seconds: number; items: number }> {
  const start = performance.now();
  let items = 0;
  for (const b of bodies) items += await read(b);
  return { seconds: (performance.now() - start) / 1000, items };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

export async function benchFeeds(): Promise<{ files: number; itemsPerSec: number; bareItemsPerSec: number; ratio: number }> {
  const bodies: Buffer[] = [];
  for (const file of feedFiles(join(dirname(PACKAGED_CONFIG_DIR), 'fixtures', 'feeds'))) {
    const body = readFileSync(file);
    try {
      await bareItems(body);
      await ourItems(body);
      bodies.push(body);
    } catch {
      // Files bare rss-parser (or pactwatch) cannot read are no comparison.
    }
  }
  // Repeated so that one pass is long enough to time.
  const work = Array.from({ length: 20 }, () => bodies).flat();
  await pass(work, bareItems);
  await pass(work, ourItems);
  const ratios: number[] = [];
  const ours: number[] = [];
  const bare: number[] = [];
  let items = 0;
  let bareCount = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const b = await pass(work, bareItems);
    const o = await pass(work, ourItems);
    ratios.push(o.seconds / b.seconds);
    ours.push(o.seconds);
    bare.push(b.seconds);
    items = o.items;
    bareCount = b.items;
  }
  return { files: bodies.length, itemsPerSec: Math.round(items / median(ours)), bareItemsPerSec: Math.round(bareCount / median(bare)), ratio: Number(median(ratios).toFixed(2)) };
}
