import { describe, expect, it } from 'vitest';
import { processItem } from '../../src/pipeline/process.js';
import { freshApp, item } from '../helpers/ledger.js';

describe('fictional items', () => {
  const signs = (party: string) => `${party} has signed the CAISI pre-release testing agreement, the company confirmed.`;
  const joins = (party: string) => `${party} signs CAISI testing deal, joining its rivals.`;

  it("a fictional item's alert and an alert a fictional item supports are recorded as dry-run; a real item's alert is queued", () => {
    const app = freshApp();
    // Real: two real reports confirm Amazon.
    processItem(app, item({ text: signs('Amazon'), publisher: 'nytimes.com' }));
    const real = processItem(app, item({ text: joins('Amazon'), publisher: 'reuters.com' }));
    // Caused by a fictional item: a real report, then a made-up one confirms Meta.
    processItem(app, item({ text: signs('Meta'), publisher: 'nytimes.com' }));
    const caused = processItem(app, item({ text: joins('Meta'), publisher: 'reuters.com', fictional: true }));
    // Supported by a fictional item: a made-up report, then a real one confirms Nvidia.
    processItem(app, item({ text: signs('Nvidia'), publisher: 'nytimes.com', fictional: true }));
    const supported = processItem(app, item({ text: joins('Nvidia'), publisher: 'reuters.com' }));
    for (const r of [real, caused, supported]) expect(r.transitions).toMatchObject([{ to: 'signed', kind: 'news' }]);

    const byParty = Object.fromEntries(app.store.alerts().map((a) => [a.party, a]));
    expect(byParty.amazon).toMatchObject({ state: 'queued', fictional: false, lastError: null });
    expect(byParty.meta).toMatchObject({ state: 'dry-run', fictional: true, lastError: 'fictional: not posted' });
    expect(byParty.nvidia).toMatchObject({ state: 'dry-run', fictional: true, lastError: 'fictional: not posted' });
    expect(app.store.alerts('queued').map((a) => a.party)).toEqual(['amazon']);
  });

  it('in review mode a fictional alert is not held for approval but recorded as dry-run', () => {
    const app = freshApp({ publishMode: 'review' });
    processItem(app, item({ text: signs('Meta'), trust: 'official', speaksFor: 'all', fictional: true }));
    expect(app.store.alerts().map((a) => `${a.state} ${a.fictional}`)).toEqual(['dry-run true']);
  });

  it('the store never moves a fictional alert to queued, held or sent', () => {
    const app = freshApp();
    processItem(app, item({ text: signs('Meta'), trust: 'official', speaksFor: 'all', fictional: true }));
    const [alert] = app.store.alerts();
    for (const state of ['queued', 'held', 'sent'] as const) {
      app.store.setAlertState(alert!.id, state, { uri: 'at://did:plc:x/app.bsky.feed.post/3abc' });
      expect(app.store.alert(alert!.id)).toMatchObject({ state: 'dry-run', uri: null });
    }
    app.store.setAlertState(alert!.id, 'retracted');
    expect(app.store.alert(alert!.id)!.state).toBe('retracted');
  });
});
