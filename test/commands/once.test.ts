import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyConfig, pactwatch } from '../helpers/cli.js';
import { startFixtureServer, staticBody, type FixtureServer } from '../helpers/fixture-server.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

function agencyFeed(items: { id: string; title: string; text: string; date: string }[]): string {
  const body = items
    .map((i) => `<item><title>${i.title}</title><link>https://agency.example/news/${i.id}</link><guid>${i.id}</guid><pubDate>${new Date(i.date).toUTCString()}</pubDate><description>${i.text}</description></item>`)
    .join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Agency</title><link>https://agency.example/</link><description>x</description>${body}</channel></rss>`;
}

/** A config whose sources are `sourcesYaml`, with per-host spacing lifted, and a fresh database path. */
function liveConfig(sourcesYaml: string): { config: string; db: string } {
  const config = copyConfig();
  writeFileSync(join(config, 'pactwatch.yaml'), 'fetch:\n  hostSpacingSeconds: 0\n  deadlineSeconds: 5\n');
  writeFileSync(join(config, 'sources.yaml'), sourcesYaml);
  return { config, db: join(mkdtempSync(join(tmpdir(), 'pw-once-')), 'pactwatch.db') };
}

describe('pactwatch once against live sources', () => {
  it('polls every source, records each outcome, stays silent on the first poll, and posts news after it', async () => {
    const { config, db } = liveConfig(`sources:
  - { id: wire, kind: rss, url: '${server.url('/feeds/rss2-caisi.xml')}', trust: press }
  - { id: meta-newsroom, kind: rss, url: '${server.url('/feeds/atom-newsroom.xml')}', trust: official, speaksFor: [meta] }
  - { id: techmeme, kind: techmeme, url: '${server.url('/feeds/techmeme.xml')}', trust: press }
  - id: agency-page
    kind: html
    url: '${server.url('/pages/newsroom')}'
    trust: official
    speaksFor: all
    selectors: { item: .news-item, title: .headline, date: time, summary: .summary }
  - { id: agency-feed, kind: rss, url: '${server.url('/agency.xml')}', trust: official, speaksFor: all }
  - { id: broken, kind: rss, url: '${server.url('/status/500')}', trust: press }
`);
    const day1 = [{ id: 'n1', title: 'Workshop on standards', text: 'Registration is open.', date: '2026-11-20T10:00:00Z' }];
    server.set('/agency.xml', staticBody(agencyFeed(day1)));

    // The fixture server is on 127.0.0.1, which pactwatch refuses unless told (see below).
    const env = { PACTWATCH_ALLOW_PRIVATE_NETWORK: '1' };
    const first = await pactwatch(['once', '--json', '--config', config, '--db', db], { env });
    expect(first.code).toBe(0);
    const one = JSON.parse(first.stdout) as { sources: Record<string, unknown>[]; transitions: { party: string; to: string }[]; alerts: unknown[] };
    expect(one.sources).toEqual([
      { id: 'wire', outcome: 'ok', items: 3, newItems: 3 },
      { id: 'meta-newsroom', outcome: 'ok', items: 1, newItems: 1 },
      { id: 'techmeme', outcome: 'ok', items: 2, newItems: 2 },
      { id: 'agency-page', outcome: 'ok', items: 2, newItems: 2 },
      { id: 'agency-feed', outcome: 'ok', items: 1, newItems: 1 },
      { id: 'broken', outcome: 'error', items: 0, newItems: 0, error: 'HTTP 500' },
    ]);
    // Meta's own newsroom confirms Meta; the agency's page confirms Amazon. Catch-up: no posts.
    expect(one.transitions.map((t) => `${t.party} ${t.to}`).sort()).toEqual(['amazon signed', 'meta signed']);
    expect(one.alerts).toEqual([]);

    // Day two: the agency posts news; every other feed is unchanged.
    server.set('/agency.xml', staticBody(agencyFeed([{ id: 'n2', title: 'Nvidia withdraws from the CAISI agreement', text: 'Nvidia has withdrawn from the CAISI pre-release testing agreement.', date: '2026-11-27T09:00:00Z' }, ...day1])));
    const second = await pactwatch(['once', '--json', '--config', config, '--db', db], { env });
    const two = JSON.parse(second.stdout) as { sources: { id: string; outcome: string; newItems: number }[]; transitions: { party: string; to: string }[]; alerts: { party: string; status: string; state: string }[] };
    expect(two.sources.map((s) => `${s.id} ${s.outcome} ${s.newItems}`)).toEqual([
      'wire not-modified 0',
      'meta-newsroom not-modified 0',
      'techmeme not-modified 0',
      'agency-page not-modified 0',
      'agency-feed ok 1',
      'broken skipped 0',
    ]);
    expect(two.transitions.map((t) => `${t.party} ${t.to}`)).toEqual(['nvidia withdrawn']);
    expect(two.alerts).toMatchObject([{ party: 'nvidia', status: 'withdrawn', state: 'dry-run' }]);
    expect(second.stderr).toContain('[dry-run]');

    const status = JSON.parse((await pactwatch(['status', '--json', '--config', config, '--db', db])).stdout) as {
      sources: { id: string; kind: string; lastSuccess: string | null; lastError: string | null; nextPoll: string | null }[];
    };
    expect(status.sources.find((s) => s.id === 'broken')).toMatchObject({ kind: 'rss', lastSuccess: null, lastError: 'HTTP 500', nextPoll: expect.any(String) });
    expect(status.sources.find((s) => s.id === 'wire')).toMatchObject({ lastSuccess: expect.any(String), lastError: null });
  });
});

describe('pactwatch once and internal addresses', () => {
  it('refuses a source on a loopback address, unless the source or the environment allows it', async () => {
    const config = copyConfig();
    const db = join(mkdtempSync(join(tmpdir(), 'pw-once-')), 'pactwatch.db');
    writeFileSync(join(config, 'pactwatch.yaml'), 'fetch:\n  hostSpacingSeconds: 0\n');
    const feed = server.url('/feeds/rss2-caisi.xml');
    writeFileSync(
      join(config, 'sources.yaml'),
      `sources:
  - { id: inside, kind: rss, url: '${feed}', trust: press }
  - { id: bridge, kind: rss, url: '${server.url('/feeds/atom-newsroom.xml')}', trust: press, allowPrivateNetwork: true }
`,
    );
    const before = server.log.length;
    const run = await pactwatch(['once', '--json', '--config', config, '--db', db]);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { sources: unknown[] }).sources).toEqual([
      {
        id: 'inside',
        outcome: 'error',
        items: 0,
        newItems: 0,
        error: `refused to connect to 127.0.0.1 (loopback address) for ${feed}; allow it with allowPrivateNetwork: true on the source or PACTWATCH_ALLOW_PRIVATE_NETWORK=1`,
      },
      { id: 'bridge', outcome: 'ok', items: 1, newItems: 1 },
    ]);
    expect(server.log.slice(before).map((l) => l.path)).toEqual(['/feeds/atom-newsroom.xml']);

    // The environment allows every source (back-off waits, so a second database).
    const allowed = await pactwatch(['once', '--json', '--config', config, '--db', `${db}.2`], { env: { PACTWATCH_ALLOW_PRIVATE_NETWORK: '1' } });
    expect((JSON.parse(allowed.stdout) as { sources: { outcome: string }[] }).sources.map((s) => s.outcome)).toEqual(['ok', 'ok']);

    const bad = await pactwatch(['once', '--json', '--config', config, '--db', db], { env: { PACTWATCH_ALLOW_PRIVATE_NETWORK: 'yes' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('PACTWATCH_ALLOW_PRIVATE_NETWORK: "yes" is not one of 1, true, 0, false');
  });
});

describe('pactwatch once against servers that ask for absurd waits', () => {
  type Report = { sources: { id: string; outcome: string; items: number; error?: string }[] };
  type Status = { sources: { id: string; nextPoll: string | null; lastSuccess: string | null }[] };

  it('exits 0, saves every other source, and waits a day at most for the absurd ones', async () => {
    const { config, db } = liveConfig(`sources:
  - { id: absurd-seconds, kind: rss, url: '${server.url('/status/429-absurd-seconds')}', trust: press }
  - { id: year-33715, kind: rss, url: '${server.url('/status/429-year-33715')}', trust: press }
  - { id: far-date, kind: rss, url: '${server.url('/status/429-far-date')}', trust: press }
  - { id: wire, kind: rss, url: '${server.url('/feeds/rss2-caisi.xml')}', trust: press }
`);
    const started = Date.now();
    const run = await pactwatch(['once', '--json', '--config', config, '--db', db], { env: { PACTWATCH_ALLOW_PRIVATE_NETWORK: '1' } });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.sources.map((s) => `${s.id} ${s.outcome}`)).toEqual(['absurd-seconds error', 'year-33715 error', 'far-date error', 'wire ok']);
    const status = JSON.parse((await pactwatch(['status', '--json', '--config', config, '--db', db])).stdout) as Status;
    expect(status.sources.find((s) => s.id === 'wire')!.lastSuccess).toEqual(expect.any(String));
    for (const id of ['absurd-seconds', 'year-33715', 'far-date']) {
      const wait = Date.parse(status.sources.find((s) => s.id === id)!.nextPoll!) - started;
      expect(wait, id).toBeGreaterThan(0);
      expect(wait, id).toBeLessThanOrEqual(86_400_000 + (Date.now() - started));
    }
  });

  it('a 429 without Retry-After holds the other sources on that host, this run and the next', async () => {
    const limited = await startFixtureServer();
    try {
      const { config, db } = liveConfig(`sources:
  - { id: limited, kind: rss, url: '${limited.url('/status/429-bare')}', trust: press }
  - { id: same-host, kind: rss, url: '${limited.url('/feeds/atom-newsroom.xml')}', trust: press }
  - { id: wire, kind: rss, url: '${server.url('/feeds/rss2-caisi.xml')}', trust: press }
`);
      const started = Date.now();
      const first = JSON.parse((await pactwatch(['once', '--json', '--config', config, '--db', db], { env: { PACTWATCH_ALLOW_PRIVATE_NETWORK: '1' } })).stdout) as Report;
      expect(first.sources.map((s) => `${s.id} ${s.outcome}`)).toEqual(['limited error', 'same-host skipped', 'wire ok']);
      expect(first.sources[0]!.error).toMatch(/^HTTP 429 without Retry-After from 127\.0\.0\.1:\d+; every source there waits \d+ min$/);
      expect(limited.log.map((l) => l.path)).toEqual(['/status/429-bare']);
      const status = JSON.parse((await pactwatch(['status', '--json', '--config', config, '--db', db])).stdout) as Status;
      for (const id of ['limited', 'same-host']) {
        const wait = Date.parse(status.sources.find((s) => s.id === id)!.nextPoll!) - started;
        expect(wait, id).toBeGreaterThanOrEqual(3_600_000 - 60_000);
        expect(wait, id).toBeLessThanOrEqual(2 * 3_600_000 + (Date.now() - started));
      }
      const second = JSON.parse((await pactwatch(['once', '--json', '--config', config, '--db', db], { env: { PACTWATCH_ALLOW_PRIVATE_NETWORK: '1' } })).stdout) as Report;
      expect(second.sources.map((s) => `${s.id} ${s.outcome}`)).toEqual(['limited skipped', 'same-host skipped', 'wire not-modified']);
      expect(limited.log).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });
});

describe('pactwatch once and a document read in part', () => {
  it('reads the complete items of a feed cut off mid-item: outcome ok, degraded saying why, in once, status and the page; a whole document clears it', async () => {
    const { config, db } = liveConfig(`sources:\n  - { id: cut, kind: rss, url: '${server.url('/cut.xml')}', trust: press }\n`);
    const whole = agencyFeed([
      { id: 'a', title: 'Workshop on standards', text: 'Registration is open.', date: '2099-11-20T10:00:00Z' },
      { id: 'b', title: 'Second notice', text: 'The agenda is posted.', date: '2026-11-21T10:00:00Z' },
    ]);
    server.set('/cut.xml', staticBody(whole.slice(0, whole.indexOf('<item><title>Second') + 40)));
    const env = { PACTWATCH_ALLOW_PRIVATE_NETWORK: '1' };
    const run = await pactwatch(['once', '--json', '--config', config, '--db', db], { env });
    expect(JSON.parse(run.stdout).sources).toEqual([{ id: 'cut', outcome: 'ok', items: 1, newItems: 1, degraded: expect.stringContaining('cut off inside an item') }]);
    expect(run.stderr).toContain('warning: source cut: read in part: the document is cut off');
    expect(run.stderr).toContain('source cut: a date in the future ("Fri, 20 Nov 2099 10:00:00 GMT") read as the time of reading');
    const status = JSON.parse((await pactwatch(['status', '--json', '--config', config, '--db', db])).stdout) as { sources: Record<string, unknown>[] };
    expect(status.sources[0]).toMatchObject({ id: 'cut', lastError: null, degraded: expect.stringContaining('1 complete item') });
    expect((await pactwatch(['status', '--config', config, '--db', db])).stdout).toContain('read in part: the document is cut off');

    server.set('/cut.xml', staticBody(whole));
    const again = JSON.parse((await pactwatch(['once', '--json', '--config', config, '--db', db], { env })).stdout) as { sources: Record<string, unknown>[] };
    expect(again.sources[0]).toEqual({ id: 'cut', outcome: 'ok', items: 2, newItems: 1 });
    const after = JSON.parse((await pactwatch(['status', '--json', '--config', config, '--db', db])).stdout) as { sources: Record<string, unknown>[] };
    expect(after.sources[0]).not.toHaveProperty('degraded');
  });
});
