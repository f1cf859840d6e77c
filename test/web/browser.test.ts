import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BIN, copyConfig, pactwatch, ROOT } from '../helpers/cli.js';

const CHROMIUM = '/usr/bin/chromium';
// .ci/run installs Debian's chromium; a developer machine without it skips this test.
const available = existsSync(CHROMIUM);

describe('the status page in a real browser', () => {
  it.skipIf(!available && !process.env.CI)('shows the table and the timeline over a seeded database, and is saved as a screenshot', { timeout: 60_000 }, async () => {
    const config = copyConfig();
    const db = join(mkdtempSync(join(tmpdir(), 'pw-page-')), 'pactwatch.db');
    await pactwatch(['replay', '--no-seed', join(ROOT, 'fixtures/demo/caisi-story.jsonl'), '--config', config, '--db', db]);
    const daemon = spawn(process.execPath, [BIN, 'run'], { env: { PATH: process.env.PATH ?? '', PACTWATCH_CONFIG: config, PACTWATCH_DB: db, PACTWATCH_PORT: '0' } });
    let err = '';
    daemon.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const base = await new Promise<string>((ready) => {
      const check = () => {
        const line = err.split('\n').find((l) => l.includes('"listening"'));
        if (line) ready((JSON.parse(line) as { url: string }).url);
        else setTimeout(check, 50);
      };
      check();
    });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } }); // a phone
      await page.goto(base);
      expect(await page.title()).toBe('pactwatch: who has signed');
      const rows = await page.locator('table').first().locator('tbody tr').allInnerTexts();
      expect(rows).toHaveLength(10);
      expect(rows.find((r) => r.startsWith('Meta'))).toMatch(/signed\s+2026-11-20/);
      expect(await page.locator('ol li').count()).toBe(7);
      expect(await page.locator('ol li').first().innerText()).toMatch(/2026-11-20: meta holdout → signed/);
      mkdirSync(join(ROOT, 'artifacts'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'artifacts/status-page.png'), fullPage: true });
    } finally {
      await browser.close();
      daemon.kill('SIGTERM');
      await new Promise((done) => daemon.once('exit', done));
    }
  });
});
