import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyConfig, pactwatch, ROOT } from '../helpers/cli.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

/** A port on 127.0.0.1 where nothing listens: one the system just gave and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('pactwatch health with no daemon', () => {
  it('says that no daemon answers on host:port, exit 1', async () => {
    const port = await closedPort();
    const run = await pactwatch(['health'], { env: { PACTWATCH_PORT: String(port) } });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^pactwatch: no daemon answers on 127\\.0\\.0\\.1:${port} \\(connection refused\\): is \`pactwatch run\` started\\?`));
    expect(run.stderr).not.toContain('fetch failed');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('pactwatch --version', () => {
  it("prints package.json's version on stdout, exit 0", async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = await pactwatch([flag]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`${version}\n`);
    }
  });
});

describe('pactwatch once when sources fail', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(() => server.close());

  it('still exits 0, and says on stderr in one line how many sources failed', async () => {
    const port = await closedPort();
    const config = copyConfig();
    writeFileSync(join(config, 'pactwatch.yaml'), 'fetch:\n  hostSpacingSeconds: 0\n  deadlineSeconds: 5\n');
    writeFileSync(
      join(config, 'sources.yaml'),
      `sources:
  - { id: wire, kind: rss, url: '${server.url('/feeds/rss2-caisi.xml')}', trust: press }
  - { id: broken, kind: rss, url: '${server.url('/status/500')}', trust: press }
  - { id: gone, kind: rss, url: 'http://127.0.0.1:${port}/feed.xml', trust: press }
`,
    );
    const env = { PACTWATCH_ALLOW_PRIVATE_NETWORK: '1', PACTWATCH_CONFIG: config };
    const db = join(mkdtempSync(join(tmpdir(), 'pw-once-')), 'pactwatch.db');
    const some = await pactwatch(['once', '--json', '--db', db], { env });
    expect(some.code).toBe(0);
    expect(JSON.parse(some.stdout).sources).toHaveLength(3);
    expect(some.stderr).toMatch(/^once: 3 sources: 1 ok, 2 failed$/m);

    writeFileSync(join(config, 'sources.yaml'), `sources:\n  - { id: broken, kind: rss, url: '${server.url('/status/500')}', trust: press }\n  - { id: gone, kind: rss, url: 'http://127.0.0.1:${port}/feed.xml', trust: press }\n`);
    // A fresh database: on the first one, the failed sources now wait out their back-off (skipped).
    const none = await pactwatch(['once', '--db', join(mkdtempSync(join(tmpdir(), 'pw-once-')), 'pactwatch.db')], { env });
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/^once: 2 sources: 0 ok, 2 failed; 0 transitions, 0 alerts$/m);
    const again = await pactwatch(['once', '--json', '--db', db], { env });
    expect(again.stderr).toMatch(/^once: 2 sources: 0 ok, 2 skipped \(a server-given wait or back-off\), 0 failed$/m);
  });
});

describe('pactwatch run with a LOG_LEVEL pino does not know', () => {
  it('is bad config that names the variable, exit 2, before anything starts', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'pw-run-')), 'pactwatch.db');
    const run = await pactwatch(['run', '--db', db], { env: { LOG_LEVEL: 'loud', PACTWATCH_PORT: '0' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('pactwatch: bad config:\nLOG_LEVEL: "loud" is not one of trace, debug, info, warn, error, fatal, silent\n');
  });
});
