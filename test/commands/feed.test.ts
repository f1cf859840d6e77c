// `pactwatch feed` (contract): the built CLI against a local server, by argument and by stdin.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyConfig, pactwatch } from '../helpers/cli.js';
import { startFixtureServer, staticBody, type FixtureServer } from '../helpers/fixture-server.js';

let server: FixtureServer;
let config: string;
const env = () => ({ PACTWATCH_CONFIG: config, PACTWATCH_ALLOW_PRIVATE_NETWORK: '1' });

const CUT = `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Meta signs</title><link>https://wire.example/a</link><description>Meta signed the CAISI agreement.</description><pubDate>Tue, 03 Nov 2026 10:00:00 GMT</pubDate></item>
<item><title>Cut off</title><link>https://wire.exa`;

beforeAll(async () => {
  server = await startFixtureServer();
  server.set('/cut', staticBody(CUT, 'application/rss+xml'));
  config = copyConfig();
  writeFileSync(join(config, 'pactwatch.yaml'), 'fetch:\n  hostSpacingSeconds: 0\n  deadlineSeconds: 5\n');
});
afterAll(() => server.close());

describe('pactwatch feed', () => {
  it('--json: one line per URL, in order, with the fields of the contract', async () => {
    const urls = [server.url('/feeds/rss2-caisi.xml'), server.url('/status/500'), server.url('/cut'), server.url('/html-page')];
    const run = await pactwatch(['feed', '--json', ...urls], { env: env() });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.url, l.outcome])).toEqual([
      [urls[0], 'ok'],
      [urls[1], 'error'],
      [urls[2], 'ok'],
      [urls[3], 'error'],
    ]);
    // A body that was read says what it was decoded as, even when it is no feed.
    expect(lines[3]).toMatchObject({ contentType: 'text/html', charset: 'utf-8', error: 'an HTML page, not a feed' });
    expect(lines[1]).not.toHaveProperty('charset');
    expect(lines[0]).toMatchObject({ contentType: 'application/rss+xml; charset=utf-8', charset: 'utf-8' });
    const items = lines[0]!.items as Record<string, unknown>[];
    expect(items.length).toBeGreaterThan(0);
    expect(Object.keys(items[0]!).sort()).toEqual(['author', 'id', 'publishedAt', 'text', 'title', 'url']);
    expect(lines[1]!.error).toMatch(/500/);
    expect(lines[2]).toMatchObject({ degraded: expect.stringContaining('cut off'), items: [{ title: 'Meta signs', publishedAt: '2026-11-03T10:00:00.000Z' }] });
  });

  it('with no URL, answers each line of stdin; without --json, a table', async () => {
    const run = await pactwatch(['feed'], { env: env(), input: `${server.url('/cut')}\n\n${server.url('/feeds/atom-newsroom.xml')}\n` });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${server.url('/cut')}: ok, 1 item(s) as utf-8`);
    expect(run.stdout).toContain('read in part: the document is cut off');
    expect(run.stdout).toContain(`${server.url('/feeds/atom-newsroom.xml')}: ok,`);
  });

  it('obeys the private-address rule, and refuses an unknown --kind', async () => {
    const refused = await pactwatch(['feed', '--json', server.url('/feeds/rss2-caisi.xml')], { env: { PACTWATCH_CONFIG: config } });
    expect(refused.code).toBe(0);
    expect(JSON.parse(refused.stdout)).toMatchObject({ outcome: 'error', error: expect.stringContaining('refused to connect'), items: [] });
    const bad = await pactwatch(['feed', '--kind', 'html', server.url('/feeds/rss2-caisi.xml')], { env: env() });
    expect(bad.code).toBe(2);
  });
});
