// The feed fidelity corpus (fixtures/feeds/fidelity/): every file served from a local server with
// the headers it asks for, read through the real fetcher and parser as `pactwatch feed` reads it,
// and held to the expectations written by hand in its header. One test per class of behaviour.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeedUrl } from '../../src/commands/feed.js';
import { DEFAULT_FETCH, Fetcher } from '../../src/http/fetch.js';
import { failures, readCase } from '../helpers/fidelity.js';
import { FIXTURES, startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

const DIR = join(FIXTURES, 'feeds', 'fidelity');
const NOW = new Date('2026-12-01T12:00:00.000Z');
const CLASSES = readdirSync(DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const filesOf = (cls: string) => readdirSync(join(DIR, cls)).filter((f) => !f.endsWith('.expect')).sort();

let server: FixtureServer;
let fetcher: Fetcher;

beforeAll(async () => {
  server = await startFixtureServer();
  fetcher = new Fetcher({ ...DEFAULT_FETCH, hostSpacingMs: 0, allowPrivateNetwork: true });
  for (const cls of CLASSES) {
    for (const name of filesOf(cls)) {
      const file = join(DIR, cls, name);
      const path = `/${relative(DIR, file)}`;
      const c = readCase(file);
      const body = readFileSync(file);
      const headers = Object.fromEntries(c.headers.map(([k, v]) => [k.toLowerCase(), v]));
      headers['content-type'] ??= 'application/xml';
      server.set(path, (_req, res) => void res.writeHead(200, headers).end(body));
      server.set(`/moved${path}`, (_req, res) => void res.writeHead(301, { location: path }).end());
    }
  }
});

afterAll(async () => {
  await fetcher.close();
  await server.close();
});

describe('feed fidelity', () => {
  it('has at least 150 files, each with a header that says what it shows', () => {
    const files = CLASSES.flatMap((cls) => filesOf(cls).map((f) => join(DIR, cls, f)));
    expect(files.length).toBeGreaterThanOrEqual(150);
    for (const f of files) expect(readCase(f).shows, f).not.toBe('');
  });

  for (const cls of CLASSES) {
    it(`${cls}: every file gives what its header expects`, async () => {
      const wrong: string[] = [];
      for (const name of filesOf(cls)) {
        const file = join(DIR, cls, name);
        const c = readCase(file);
        const path = `/${cls}/${name}`;
        const url = server.url(path);
        const line = await readFeedUrl(fetcher, c.kind, server.url(c.redirected ? `/moved${path}` : path), NOW);
        const places = { url, dir: url.slice(0, url.lastIndexOf('/') + 1), origin: server.url('') };
        for (const f of failures(c, line, places)) wrong.push(`${cls}/${name}: ${f}`);
      }
      if (process.env.FIDELITY_REPORT) console.log(`${cls}: ${wrong.length} failures\n${wrong.join("\n")}`);
      expect(wrong).toEqual([]);
    }, 60_000);
  }
});
