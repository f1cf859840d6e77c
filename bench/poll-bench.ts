// One poll cycle over many feeds on a local fixture server, first with new content, then
// unchanged. The poller runs in a child process so its CPU time is its own.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { openApp, realDeps } from '../src/app.js';
import { appSettings } from '../src/config/settings.js';
import { loadConfig, PACKAGED_CONFIG_DIR } from '../src/config/load.js';
import type { Source } from '../src/config/types.js';
import { processBatch } from '../src/pipeline/process.js';
import { Fetcher } from '../src/http/fetch.js';
import { pollSource } from '../src/sources/poll.js';
import { corpusItems } from './corpus.js';

export interface PollCycle {
  items: number;
  itemsPerSec: number;
  cpuSec: number;
  bodyBytes: number;
}

export interface PollResult {
  feeds: number;
  fresh: PollCycle;
  unchanged: PollCycle;
}

function feedXml(n: number, perFeed: number): string {
  const items = [...corpusItems(perFeed, 0.02, 0.2, 1000 + n)]
    .map(
      (it, i) =>
        `<item><title>${it.title}</title><link>https://feed${n}.example/story-${i}</link><guid>feed${n}-${i}</guid><pubDate>${it.published.toUTCString()}</pubDate><description>${it.text} (feed ${n}, story ${i})</description></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed ${n}</title><link>https://feed${n}.example/</link><description>x</description>${items}</channel></rss>`;
}

async function child(base: string, feeds: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pactwatch-pollbench-'));
  const config = loadConfig(PACKAGED_CONFIG_DIR);
  const settings = appSettings(config, { configDir: PACKAGED_CONFIG_DIR, dbPath: join(dir, 'bench.db'), env: { publishMode: 'dry-run' } });
  const app = openApp({ config, settings, writer: true }, realDeps());
  // Its feeds are on 127.0.0.1.
  const fetcher = new Fetcher({ hostSpacingMs: 0, allowPrivateNetwork: true });
  const sources: Source[] = Array.from({ length: feeds }, (_, n) => ({
    id: `feed-${n}`,
    kind: 'rss',
    url: `${base}/feed/${n}`,
    trust: 'press',
    publisher: `feed${n}.example`,
    where: { file: 'bench' },
  }));
  const cycle = async (): Promise<PollCycle> => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    let items = 0;
    let bodyBytes = 0;
    const polls = await Promise.all(sources.map((s) => pollSource(fetcher, s, app.store.sourceState(s.id), { now: () => new Date(), random: Math.random, force: true })));
    for (const p of polls) {
      if (p.outcome === 'error') throw new Error(`bench feed failed: ${p.error}`);
      items += p.items.length;
      bodyBytes += p.bodyBytes ?? 0;
      app.store.transaction(() => {
        processBatch(app, p.items, { silent: true });
        app.store.saveSourceState(p.state);
      });
    }
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    return { items, itemsPerSec: Math.round(items / seconds), cpuSec: Number(((used.user + used.system) / 1e6).toFixed(3)), bodyBytes };
  };
  const fresh = await cycle();
  const unchanged = await cycle();
  await fetcher.close();
  app.close();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ feeds, fresh, unchanged }));
}

export async function benchPoll(feeds = 200, perFeed = 20): Promise<PollResult> {
  const bodies = Array.from({ length: feeds }, (_, n) => {
    const body = Buffer.from(feedXml(n, perFeed));
    return { body, etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"` };
  });
  const server = createServer((req, res) => {
    const n = Number(req.url?.split('/').pop());
    const feed = bodies[n];
    if (!feed) return void res.writeHead(404).end();
    if (req.headers['if-none-match'] === feed.etag) return void res.writeHead(304, { etag: feed.etag }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag: feed.etag }).end(feed.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', base, String(feeds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((done) => proc.on('close', done));
    if (code !== 0) throw new Error(`poll bench child failed (exit ${code})`);
    return JSON.parse(out) as PollResult;
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]!, Number(process.argv[4]));
