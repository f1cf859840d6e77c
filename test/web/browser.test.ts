import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BIN, copyConfig, pactwatch, ROOT } from '../helpers/cli.js';
import { startFixtureServer } from '../helpers/fixture-server.js';

const CHROMIUM = '/usr/bin/chromium';
// .ci/run installs Debian's chromium; a developer machine without it skips this test.
const available = existsSync(CHROMIUM);

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 768 };

/**
 * What sticks out of the viewport: the page's own horizontal scroll, any element past an edge,
 * any time broken over two lines. (Run in the page; a string, as the project compiles without the DOM's types.)
 */
const LAYOUT_FAULTS = `(() => {
  const faults = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) faults.push('page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + width);
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > width + 0.5 || r.left < -0.5) faults.push(el.tagName.toLowerCase() + ' "' + (el.textContent || '').slice(0, 40) + '" spans ' + Math.round(r.left) + '..' + Math.round(r.right) + ' of ' + width);
  }
  for (const t of document.querySelectorAll('time')) {
    if (t.getClientRects().length !== 1) faults.push('time "' + t.textContent + '" is broken over lines');
  }
  return faults;
})()`;

async function layoutFaults(page: Page): Promise<string[]> {
  return page.evaluate(LAYOUT_FAULTS);
}

describe('the status pages in a real browser', () => {
  it.skipIf(!available && !process.env.CI)(
    'fit a 390 px phone and a 1366 px desktop: the table, a party page and the sources page; saved as screenshots',
    { timeout: 90_000 },
    async () => {
      const server = await startFixtureServer();
      const config = copyConfig();
      writeFileSync(join(config, 'pactwatch.yaml'), 'page:\n  bluesky: pactwatch.test\n  partyNoun: developers\n');
      writeFileSync(join(config, 'sources.yaml'), `sources:\n  - { id: wire-with-a-long-name, kind: rss, url: '${server.url('/status/503')}', trust: press, allowPrivateNetwork: true }\n`);
      const db = join(mkdtempSync(join(tmpdir(), 'pw-page-')), 'pactwatch.db');
      const env = { PACTWATCH_CONFIG: config, PACTWATCH_DB: db };
      expect((await pactwatch(['replay', '--no-seed', join(ROOT, 'fixtures/demo/caisi-story.jsonl')], { env })).code).toBe(0);
      const longUrl = 'https://www.example-newsroom.com/2026/11/27/a-very-long-address-that-a-phone-must-wrap-rather-than-scroll-sideways-for-it';
      const set = await pactwatch(['status', 'set', 'caisi', 'amazon', 'negotiating', '--evidence', longUrl, '--note', 'talks confirmed by its press office'], { env });
      expect(set.code).toBe(0);
      expect((await pactwatch(['once'], { env })).code).toBe(0);
      await server.close();

      const daemon = spawn(process.execPath, [BIN, 'run'], { env: { PATH: process.env.PATH ?? '', ...env, PACTWATCH_PORT: '0' } });
      let err = '';
      daemon.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const base = await new Promise<string>((ready) => {
        const check = () => {
          const line = err.split('\n').find((l) => l.includes('"listening"'));
          if (line) ready((JSON.parse(line) as { url: string }).url.replace(/\/$/, ''));
          else setTimeout(check, 50);
        };
        check();
      });
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      mkdirSync(join(ROOT, 'artifacts'), { recursive: true });
      try {
        for (const [device, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
          const page = await browser.newPage({ viewport, javaScriptEnabled: false });
          await page.goto(base);
          expect(await page.title()).toBe('pactwatch: who has signed');
          expect(await page.locator('.tally').innerText()).toBe('6 of 10 tracked developers have signed.');
          const rows = await page.locator('table').first().locator('tbody tr').allInnerTexts();
          expect(rows).toHaveLength(10);
          const meta = rows.find((r) => r.startsWith('Meta'))!;
          expect(meta).toMatch(/Signed/);
          expect(meta).toMatch(/20\sNov\s2026/);
          expect(meta).toMatch(/confirmed by Meta's own announcement \(fb\.com\)/);
          const events = await page.locator('ol.events li').allInnerTexts();
          expect(events.find((e) => e.includes('Meta'))).toMatch(/^20\sNov\s2026: Meta Not signed → Signed — confirmed by Meta's own announcement/);
          expect(events.some((e) => /^\d+\s\w+\s\d{4}: Amazon Negotiating — corrected by a maintainer/.test(e))).toBe(true);
          expect(await page.locator('a[href="https://bsky.app/profile/pactwatch.test"]').count()).toBeGreaterThan(0);
          expect(await page.locator('head link[rel="alternate"][type="application/atom+xml"]').count()).toBe(1);
          expect(await page.locator('head meta[property="og:image"]').getAttribute('content')).toBe(`${base}/board/caisi.png`);
          expect(await page.locator('script').count()).toBe(0);
          expect(await layoutFaults(page), `${device}: /`).toEqual([]);
          await page.screenshot({ path: join(ROOT, `artifacts/status-page-${device}.png`), fullPage: true });

          await page.click('a[href="/p/caisi/meta"]');
          expect(new URL(page.url()).pathname).toBe('/p/caisi/meta');
          expect(await page.locator('h1').innerText()).toBe('Meta');
          const history = await page.locator('ol.history > li').allInnerTexts();
          expect(history[0]).toMatch(/^\d+\sJun\s2026: Not signed/);
          expect(history.at(-1)).toMatch(/20\sNov\s2026: Not signed → Signed/);
          expect(await page.locator('#reported').innerText()).toMatch(/Pressed to sign/);
          expect(await layoutFaults(page), `${device}: /p/caisi/meta`).toEqual([]);
          await page.screenshot({ path: join(ROOT, `artifacts/party-page-${device}.png`), fullPage: true });

          await page.goto(`${base}/p/caisi/amazon`);
          expect(await page.locator('.box').innerText()).toMatch(/corrected by a maintainer, citing example-newsroom\.com/);
          expect(await page.locator('.box').innerText()).toContain(longUrl);
          expect(await layoutFaults(page), `${device}: /p/caisi/amazon`).toEqual([]);

          await page.goto(base);
          await page.click('footer a[href="/sources"]');
          expect(await page.locator('h1').innerText()).toBe('Sources');
          const source = await page.locator('tbody tr').first().innerText();
          expect(source).toMatch(/the site was unavailable \(HTTP 503\)/);
          expect(await layoutFaults(page), `${device}: /sources`).toEqual([]);
          await page.screenshot({ path: join(ROOT, `artifacts/sources-page-${device}.png`), fullPage: true });
          await page.close();
        }
        const board = await fetch(`${base}/board/caisi.png`);
        expect(board.headers.get('content-type')).toBe('image/png');
        expect(Buffer.from(await board.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
      } finally {
        await browser.close();
        daemon.kill('SIGTERM');
        await new Promise((done) => daemon.once('exit', done));
      }
    },
  );
});
