import { describe, expect, it } from 'vitest';
import { processItem } from '../../src/pipeline/process.js';
import { setStatus } from '../../src/pipeline/manual.js';
import { statusSnapshot } from '../../src/status/snapshot.js';
import { atomFeed } from '../../src/web/atom.js';
import { statusPage } from '../../src/web/page.js';
import { freshApp, item } from '../helpers/ledger.js';

describe('evidence links on the status page and in the Atom feed', () => {
  it('link http(s) evidence and never a script URL', () => {
    const app = freshApp();
    const at = new Date('2026-11-27T00:00:00Z');
    setStatus(app, { tracker: 'caisi', party: 'amazon', status: 'signed', evidence: 'https://www.aboutamazon.com/news/caisi', actor: 'test', at });
    setStatus(app, { tracker: 'caisi', party: 'ssi', status: 'negotiating', evidence: 'javascript:alert(1)', actor: 'test', at });
    processItem(app, item({ text: 'Nvidia has signed the CAISI pre-release testing agreement.', url: 'javascript:alert(2)', trust: 'official', speaksFor: 'all' }));
    processItem(app, item({ text: 'Amazon has signed the CAISI pre-release testing agreement.', url: 'https://www.aboutamazon.com/news/caisi', trust: 'official', speaksFor: 'all' }));
    const page = statusPage(statusSnapshot(app.config, app.store), app.store.transitions(), at);
    const feed = atomFeed(app.config, app.store.transitions(), 'http://127.0.0.1:8080', at);
    expect(page).toContain('href="https://www.aboutamazon.com/news/caisi"');
    expect(page).toContain('Nvidia has signed');
    expect(feed).toContain('href="https://www.aboutamazon.com/news/caisi"');
    for (const out of [page, feed]) expect(out).not.toMatch(/href="javascript:/i);
  });
});
