import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runNode } from '../helpers/cli.js';

describe('npm run demo', () => {
  it('replays the story into a temporary database of its own: never --db, PACTWATCH_DB or data/pactwatch.db, and never Bluesky', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-demo-'));
    const cwd = join(dir, 'cwd');
    const tmp = join(dir, 'tmp');
    mkdirSync(cwd);
    mkdirSync(tmp);
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(500).end();
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    try {
      const env = {
        PATH: process.env.PATH ?? '',
        TMPDIR: tmp,
        PACTWATCH_DB: join(dir, 'from-env.db'),
        PACTWATCH_PUBLISH_MODE: 'auto',
        BSKY_SERVICE: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        BSKY_IDENTIFIER: 'pactwatch.test',
        BSKY_APP_PASSWORD: 'aaaa-bbbb-cccc-dddd',
      };
      const run = await runNode(join(ROOT, 'dist/scripts/demo.js'), ['--db', join(dir, 'from-flag.db')], { cwd, env });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/Meta\s+signed\s+since 2026-11-20/);
      expect(run.stderr).toContain('[dry-run] alert 7 (caisi/meta → signed), fictional: not posted:');
      expect(run.stderr).toContain('5 alerts published, 2 fictional alerts recorded as dry-run (not posted)');
      expect(existsSync(join(dir, 'from-env.db'))).toBe(false);
      expect(existsSync(join(dir, 'from-flag.db'))).toBe(false);
      expect(existsSync(join(cwd, 'data'))).toBe(false);
      // Its database was in a temporary folder, removed at the end.
      expect(readdirSync(tmp)).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});
