import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, copyConfig, ROOT } from './helpers/cli.js';
import { startFixtureServer, type FixtureServer } from './helpers/fixture-server.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

interface Daemon {
  proc: ChildProcess;
  base: string;
  logs: () => string[];
}

/** Starts `pactwatch run` on a free port and waits until it listens. */
async function startDaemon(env: Record<string, string>): Promise<Daemon> {
  const proc = spawn(process.execPath, [BIN, 'run'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', PACTWATCH_PORT: '0', ...env } });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const base = await new Promise<string>((ready, fail) => {
    const check = () => {
      const line = err.split('\n').find((l) => l.includes('"listening"'));
      if (line) return ready((JSON.parse(line) as { url: string }).url.replace(/\/$/, ''));
      if (proc.exitCode !== null) return fail(new Error(`daemon exited: ${err}`));
      setTimeout(check, 50);
    };
    check();
  });
  return { proc, base, logs: () => err.split('\n').filter(Boolean) };
}

describe('pactwatch run', () => {
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
    expect(metrics).toMatch(/^pactwatch_build_info\{version="0\.1\.0",node="v20\.[\d.]+"\} 1$/m);
    expect(metrics).toMatch(/^pactwatch_polls_total\{source="wire",outcome="ok"\} [1-9]/m);
    expect(metrics.split('\n').filter((l) => /^[a-z]/.test(l)).every((l) => l.startsWith('pactwatch_'))).toBe(true);
    const atom = await fetch(`${daemon.base}/feed.atom`);
    expect(atom.headers.get('content-type')).toMatch(/application\/atom\+xml/);
    expect(await atom.text()).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?><feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom">/);
    const page = await (await fetch(`${daemon.base}/`)).text();
    expect(page).toContain('<th scope="col">Party</th>');
    expect(page).toMatch(/<th scope="row">Meta<\/th><td><span class="badge holdout">holdout<\/span>/);

    daemon.proc.kill('SIGTERM');
    const code = await new Promise((done) => daemon.proc.once('exit', done));
    expect(code).toBe(0);
    const logs = daemon.logs();
    expect(logs.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
    // Every line is JSON, and no line carries the app password.
    expect(logs.every((l) => l.startsWith('{'))).toBe(true);
    expect(logs.join('\n')).not.toContain(secret);
  });

  it('does not hammer a host that asks for an absurd wait or names none, and keeps polling the rest', { timeout: 30_000 }, async () => {
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
      // Five polls of the healthy feed: five ticks in which the others were due too.
      for (let i = 0; i < 200 && requests('/feeds/rss2-caisi.xml', before) < 5; i++) await new Promise((r) => setTimeout(r, 50));
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

describe('pactwatch backup', () => {
  it('writes a consistent copy of the database while the daemon runs', async () => {
    const { pactwatch } = await import('./helpers/cli.js');
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
