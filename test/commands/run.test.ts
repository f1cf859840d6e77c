import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, copyConfig, pactwatch, ROOT } from '../helpers/cli.js';
import { startDaemon, type Daemon } from '../helpers/daemon.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());


describe('pactwatch run', () => {
  it('exits, without listening, when its Bluesky reader cannot be built (an unreadable password file)', async () => {
    const config = copyConfig();
    writeFileSync(join(config, 'sources.yaml'), 'sources:\n  - { id: bsky, kind: bluesky-search, query: CAISI, trust: social }\n');
    const db = join(mkdtempSync(join(tmpdir(), 'pw-run-')), 'pactwatch.db');
    const env = { PACTWATCH_PORT: '0', BSKY_IDENTIFIER: 'bot.test', BSKY_APP_PASSWORD_FILE: join(tmpdir(), 'no-such-password-file') };
    const run = await pactwatch(['run', '--config', config, '--db', db], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('BSKY_APP_PASSWORD_FILE');
    expect(run.stderr).not.toContain('listening');
  });

  it('refuses to start, exit 2, on a pattern that backtracks catastrophically, naming its file and line (checked in a child process)', async () => {
    const config = copyConfig();
    const tracker = join(config, 'trackers/caisi.yaml');
    writeFileSync(tracker, readFileSync(tracker, 'utf8').replace("- 'holdouts?'", "- '(?:x+x+)+y'"));
    const db = join(mkdtempSync(join(tmpdir(), 'pw-run-')), 'pactwatch.db');
    const run = await pactwatch(['run', '--config', config, '--db', db], { env: { PACTWATCH_PORT: '0' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/trackers\/caisi\.yaml:\d+: rules\[\d+\]\.cues\[\d+\]: pattern \/\(\?:x\+x\+\)\+y\/ can backtrack catastrophically/);
    expect(run.stderr).not.toContain('listening');
  });

  it('polls on schedule, serves status, feed, health and metrics, and stops cleanly on SIGTERM', { timeout: 30_000 }, async () => {
    const config = copyConfig();
    writeFileSync(join(config, 'pactwatch.yaml'), 'fetch:\n  hostSpacingSeconds: 0\n');
    writeFileSync(join(config, 'sources.yaml'), `sources:\n  - { id: wire, kind: rss, url: '${server.url('/feeds/rss2-caisi.xml')}', trust: press, schedule: '* * * * * *' }\n`);
    const db = join(mkdtempSync(join(tmpdir(), 'pw-run-')), 'pactwatch.db');
    const secret = 'abcd-efgh-ijkl-mnop';
    // The fixture feed is on 127.0.0.1, which pactwatch refuses unless told.
    const daemon = await startDaemon({ PACTWATCH_CONFIG: config, PACTWATCH_DB: db, BSKY_IDENTIFIER: 'bot.example', BSKY_APP_PASSWORD: secret, BSKY_SERVICE: 'http://127.0.0.1:1', PACTWATCH_ALLOW_PRIVATE_NETWORK: '1' });

    // The scheduled poll happens within a couple of seconds.
    let status: { sources: { id: string; lastSuccess: string | null }[]; trackers: unknown[] } | undefined;
    for (let i = 0; i < 60 && !status?.sources[0]?.lastSuccess; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await (await fetch(`${daemon.base}/api/status.json`)).json()) as typeof status;
    }
    expect(status!.sources[0]).toMatchObject({ id: 'wire', lastSuccess: expect.any(String) });

    const health = await fetch(`${daemon.base}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`${daemon.base}/metrics`)).text();
    // The daemon runs on the Node that runs the tests, whichever version engines allows.
    expect(metrics.split('\n')).toContain(`pactwatch_build_info{version="0.1.0",node="${process.version}"} 1`);
    expect(metrics).toMatch(/^pactwatch_polls_total\{source="wire",outcome="ok"\} [1-9]/m);
    expect(metrics.split('\n').filter((l) => /^[a-z]/.test(l)).every((l) => l.startsWith('pactwatch_'))).toBe(true);
    const atom = await fetch(`${daemon.base}/feed.atom`);
    expect(atom.headers.get('content-type')).toMatch(/application\/atom\+xml/);
    expect(await atom.text()).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?><feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom">/);
    const page = await (await fetch(`${daemon.base}/`)).text();
    expect(page).toContain('<th scope="col">Party</th>');
    expect(page).toMatch(/<th scope="row"><a href="\/p\/caisi\/meta">Meta<\/a><\/th><td data-label="Status"><span class="badge holdout">Not signed<\/span>/);

    daemon.proc.kill('SIGTERM');
    const code = await new Promise((done) => daemon.proc.once('exit', done));
    expect(code).toBe(0);
    const logs = daemon.logs();
    expect(logs.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
    // Every line is JSON, and no line carries the app password.
    expect(logs.every((l) => l.startsWith('{'))).toBe(true);
    expect(logs.join('\n')).not.toContain(secret);
  });

  it('polls every source once within seconds of the start, not at its cron time, leaves one in back-off alone, and shows only future next polls', { timeout: 60_000 }, async () => {
    const config = copyConfig();
    writeFileSync(join(config, 'pactwatch.yaml'), 'fetch:\n  hostSpacingSeconds: 0\n');
    // New Year's midnight: no cron time comes while the test runs.
    const yearly = "schedule: '0 0 1 1 *'";
    writeFileSync(
      join(config, 'sources.yaml'),
      `sources:
  - { id: wire, kind: rss, url: '${server.url('/feeds/rss2-caisi.xml')}', trust: press, ${yearly} }
  - { id: newsroom, kind: rss, url: '${server.url('/feeds/atom-newsroom.xml')}', trust: press, ${yearly} }
  - { id: broken, kind: rss, url: '${server.url('/status/500')}', trust: press, ${yearly} }
`,
    );
    const db = join(mkdtempSync(join(tmpdir(), 'pw-run-')), 'pactwatch.db');
    const env = { PACTWATCH_CONFIG: config, PACTWATCH_DB: db, PACTWATCH_ALLOW_PRIVATE_NETWORK: '1' };
    // A first pass puts `broken` in back-off; stretch its wait so it outlasts the test.
    expect((await pactwatch(['once'], { env })).code).toBe(0);
    const backOffEnd = new Date(Date.now() + 2 * 3_600_000).toISOString();
    const sql = new Database(db);
    expect(sql.prepare('UPDATE sources SET next_poll = ? WHERE id = ? AND failures > 0').run(backOffEnd, 'broken').changes).toBe(1);
    sql.close();

    const before = server.log.length;
    const requests = (path: string) => server.log.slice(before).filter((l) => l.path === path).length;
    const daemon = await startDaemon(env);
    try {
      for (let i = 0; i < 300 && (requests('/feeds/rss2-caisi.xml') < 1 || requests('/feeds/atom-newsroom.xml') < 1); i++) await new Promise((r) => setTimeout(r, 100));
      expect(requests('/feeds/rss2-caisi.xml')).toBe(1);
      expect(requests('/feeds/atom-newsroom.xml')).toBe(1);
      expect(requests('/status/500')).toBe(0);

      const status = (await (await fetch(`${daemon.base}/api/status.json`)).json()) as { sources: { id: string; nextPoll: string | null }[] };
      const checkedAt = Date.now();
      for (const s of status.sources) expect(Date.parse(s.nextPoll ?? ''), s.id).toBeGreaterThan(checkedAt);
      // Not before its back-off ends: the next cron time after it, or the end itself when that is over a day away.
      expect(Date.parse(status.sources.find((s) => s.id === 'broken')!.nextPoll!)).toBeGreaterThanOrEqual(Date.parse(backOffEnd));
      const health = (await (await fetch(`${daemon.base}/healthz`)).json()) as { reason: string };
      expect(health.reason).toBe('database answers; polls are recent');
    } finally {
      daemon.proc.kill('SIGTERM');
      await new Promise((done) => daemon.proc.once('exit', done));
    }
  });

  it('does not hammer a host that asks for an absurd wait or names none, and keeps polling the rest', { timeout: 60_000 }, async () => {
    const limited = await startFixtureServer();
    const config = copyConfig();
    writeFileSync(join(config, 'pactwatch.yaml'), 'fetch:\n  hostSpacingSeconds: 0\n');
    const every = "schedule: '* * * * * *'";
    writeFileSync(
      join(config, 'sources.yaml'),
      `sources:
  - { id: absurd, kind: rss, url: '${server.url('/status/429-absurd-seconds')}', trust: press, ${every} }
  - { id: limited, kind: rss, url: '${limited.url('/status/429-bare')}', trust: press, ${every} }
  - { id: same-host, kind: rss, url: '${limited.url('/feeds/atom-newsroom.xml')}', trust: press, ${every} }
  - { id: wire, kind: rss, url: '${server.url('/feeds/rss2-caisi.xml')}', trust: press, ${every} }
`,
    );
    const db = join(mkdtempSync(join(tmpdir(), 'pw-run-')), 'pactwatch.db');
    const requests = (path: string, from: number) => server.log.slice(from).filter((l) => l.path === path).length;
    const before = server.log.length;
    const daemon = await startDaemon({ PACTWATCH_CONFIG: config, PACTWATCH_DB: db, PACTWATCH_ALLOW_PRIVATE_NETWORK: '1' });
    try {
      // Five polls of the healthy feed: five ticks in which the others were due too. On a
      // loaded two-core runner five one-second ticks have taken over ten seconds, so the wait
      // is bounded by the test's own timeout, not by a count of short sleeps.
      const giveUp = Date.now() + 40_000;
      while (requests('/feeds/rss2-caisi.xml', before) < 5 && Date.now() < giveUp) await new Promise((r) => setTimeout(r, 50));
      expect(requests('/feeds/rss2-caisi.xml', before)).toBeGreaterThanOrEqual(5);
      expect(requests('/status/429-absurd-seconds', before)).toBe(1);
      // (Which of the two is polled first is up to the scheduler's jitter.) Nothing after the 429.
      const refused = limited.log.findIndex((l) => l.path === '/status/429-bare');
      expect(refused).toBeGreaterThanOrEqual(0);
      expect(limited.log.slice(refused + 1)).toEqual([]);
      const status = (await (await fetch(`${daemon.base}/api/status.json`)).json()) as { sources: { id: string; nextPoll: string | null }[] };
      const wait = (id: string) => Date.parse(status.sources.find((s) => s.id === id)!.nextPoll!) - Date.now();
      expect(wait('absurd')).toBeLessThanOrEqual(86_400_000);
      for (const id of ['limited', 'same-host']) {
        expect(wait(id), id).toBeGreaterThan(50 * 60_000);
        expect(wait(id), id).toBeLessThanOrEqual(2 * 3_600_000);
      }
    } finally {
      daemon.proc.kill('SIGTERM');
      await new Promise((done) => daemon.proc.once('exit', done));
      await limited.close();
    }
  });

  it('says in one line that its port is in use, and what to do, then exits 1', async () => {
    const holder = createServer();
    await new Promise<void>((ready) => holder.listen(0, '127.0.0.1', ready));
    const port = (holder.address() as AddressInfo).port;
    try {
      const db = join(mkdtempSync(join(tmpdir(), 'pw-port-')), 'pactwatch.db');
      const run = await pactwatch(['run', '--db', db], { env: { PACTWATCH_PORT: String(port) } });
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([`pactwatch: port ${port} on 127.0.0.1 is in use: is another pactwatch running? Stop it, or set PACTWATCH_PORT to a free port`]);
    } finally {
      await new Promise((done) => holder.close(done));
    }
  });

  it('`pactwatch health` answers 0 for a healthy daemon and 1 when none answers', async () => {
    const config = copyConfig();
    const db = join(mkdtempSync(join(tmpdir(), 'pw-health-')), 'pactwatch.db');
    const daemon = await startDaemon({ PACTWATCH_CONFIG: config, PACTWATCH_DB: db });
    const port = new URL(daemon.base).port;
    const run = (p: string) =>
      new Promise<number | null>((done) => spawn(process.execPath, [BIN, 'health'], { env: { PATH: process.env.PATH ?? '', PACTWATCH_PORT: p } }).on('exit', done));
    expect(await run(port)).toBe(0);
    daemon.proc.kill('SIGTERM');
    await new Promise((done) => daemon.proc.once('exit', done));
    expect(await run(port)).toBe(1);
  });
});

/** A server that answers nothing on `hang` paths (it only notes the request and when its socket closes). */
async function startSilentServer(answer: (path: string, base: string) => string | undefined = () => undefined) {
  const hung: string[] = [];
  const closed: string[] = [];
  let base = '';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const body = answer(path, base);
    if (body !== undefined) return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
    hung.push(path);
    req.socket.once('close', () => closed.push(path));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, hung, closed, close: () => new Promise<void>((done) => (server.closeAllConnections(), server.close(() => done()))) };
}

const exited = (proc: ChildProcess) =>
  new Promise<number | null>((done) => (proc.exitCode !== null ? done(proc.exitCode) : proc.once('exit', (code) => done(code))));

describe('stopping on SIGTERM', () => {
  it('an idle daemon stops at once, closing an idle keep-alive connection, however long the grace period', { timeout: 20_000 }, async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'pw-stop-')), 'pactwatch.db');
    // A grace period far longer than the test may run: only a daemon that does not wait it out passes.
    const daemon = await startDaemon({ PACTWATCH_CONFIG: copyConfig(), PACTWATCH_DB: db, PACTWATCH_STOP_GRACE_SECONDS: '600' });
    const agent = new Agent({ keepAlive: true });
    try {
      // A client that keeps its connection open between requests, as browsers and scrapers do.
      const socket = await new Promise<{ closed: Promise<void> }>((done, fail) =>
        get(`${daemon.base}/healthz`, { agent }, (res) => {
          const closed = new Promise<void>((c) => res.socket.once('close', () => c()));
          res.resume();
          res.once('end', () => done({ closed }));
        }).once('error', fail),
      );
      daemon.proc.kill('SIGTERM');
      expect(await exited(daemon.proc)).toBe(0);
      await socket.closed;
      const stopped = daemon.logs().find((l) => l.includes('"msg":"stopped"'));
      expect(JSON.parse(stopped!)).toMatchObject({ unfinished: 0 });
    } finally {
      agent.destroy();
      daemon.proc.kill('SIGKILL');
    }
  });

  it('cuts short the requests still hung when the grace period ends (a feed, an article page, a Bluesky call), records it on each source and exits 0', { timeout: 30_000 }, async () => {
    // Two hosts: the fetch layer asks one host one thing at a time, and each source must hang on its own.
    const feeds = await startSilentServer();
    const pages = await startSilentServer((path, base) =>
      path === '/feed'
        ? `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>${base}/</link><item><title>Meta signs the CAISI agreement</title><link>${base}/article</link><guid>meta-signs</guid><description>Meta signed.</description></item></channel></rss>`
        : undefined,
    );
    const config = copyConfig();
    // The fetch deadline is far beyond the test's time: only the stop can end these requests.
    writeFileSync(join(config, 'pactwatch.yaml'), 'fetch:\n  hostSpacingSeconds: 0\n  deadlineSeconds: 600\n');
    writeFileSync(
      join(config, 'sources.yaml'),
      [
        'sources:',
        `  - { id: hung-feed, kind: rss, url: '${feeds.base}/feed', trust: press, schedule: '* * * * * *' }`,
        `  - { id: hung-article, kind: rss, url: '${pages.base}/feed', trust: press, articleText: true, schedule: '* * * * * *' }`,
        `  - { id: hung-account, kind: bluesky-author, actor: newsroom.test, trust: press, schedule: '* * * * * *' }`,
        '',
      ].join('\n'),
    );
    const db = join(mkdtempSync(join(tmpdir(), 'pw-stop-')), 'pactwatch.db');
    const daemon = await startDaemon({ PACTWATCH_CONFIG: config, PACTWATCH_DB: db, BSKY_SERVICE: feeds.base, PACTWATCH_STOP_GRACE_SECONDS: '1', PACTWATCH_ALLOW_PRIVATE_NETWORK: '1' });
    try {
      const want = ['/feed', '/xrpc/app.bsky.feed.getAuthorFeed'];
      for (let i = 0; i < 200 && !(want.every((p) => feeds.hung.includes(p)) && pages.hung.includes('/article')); i++) await new Promise((r) => setTimeout(r, 50));
      expect(feeds.hung).toEqual(expect.arrayContaining(want));
      expect(pages.hung).toEqual(['/article']);

      daemon.proc.kill('SIGTERM');
      expect(await exited(daemon.proc)).toBe(0);
      expect(feeds.closed).toEqual(expect.arrayContaining(want));
      expect(pages.closed).toEqual(['/article']);
      const logs = daemon.logs().map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(logs.find((l) => l.msg === 'grace period over; cutting short the work in flight')).toMatchObject({ inFlight: 3 });
      expect(logs.find((l) => l.msg === 'stopped')).toMatchObject({ unfinished: 0 });
      expect(logs.filter((l) => (l.level as number) >= 50)).toEqual([]);

      // Each source says what happened; the stop is not the source's fault, so it backs off nothing,
      // and the poll cut short while fetching articles stored nothing: the next start reads that feed again.
      const Database = (await import('better-sqlite3')).default;
      const store = new Database(db, { readonly: true });
      const rows = store.prepare('SELECT id, last_error AS lastError, failures, last_success AS lastSuccess, etag FROM sources ORDER BY id').all();
      const items = (store.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n;
      store.close();
      const cut = { lastError: expect.stringMatching(/cut short: pactwatch was stopping/), failures: 0, lastSuccess: null, etag: null };
      expect(rows).toEqual([
        { id: 'hung-account', ...cut },
        { id: 'hung-article', ...cut },
        { id: 'hung-feed', ...cut },
      ]);
      expect(items).toBe(0);
    } finally {
      daemon.proc.kill('SIGKILL');
      await feeds.close();
      await pages.close();
    }
  });
});

describe('pactwatch backup', () => {
  it('writes a consistent copy of the database while the daemon runs', async () => {
    const Database = (await import('better-sqlite3')).default;
    const config = copyConfig();
    const dir = mkdtempSync(join(tmpdir(), 'pw-backup-'));
    const db = join(dir, 'pactwatch.db');
    await pactwatch(['replay', '--no-seed', join(ROOT, 'fixtures/demo/caisi-story.jsonl'), '--config', config, '--db', db]);
    const daemon = await startDaemon({ PACTWATCH_CONFIG: config, PACTWATCH_DB: db });
    try {
      const copy = join(dir, 'copy.db');
      const run = await pactwatch(['backup', copy, '--db', db]);
      expect(run.code).toBe(0);
      const c = new Database(copy, { readonly: true });
      expect(c.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((c.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n).toBe(11);
      expect((c.prepare("SELECT count(*) AS n FROM transitions WHERE kind = 'news'").get() as { n: number }).n).toBe(7);
      c.close();
    } finally {
      daemon.proc.kill('SIGTERM');
      await new Promise((done) => daemon.proc.once('exit', done));
    }
  });
});
