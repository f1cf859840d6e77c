import { describe, expect, it } from 'vitest';
import { processItem } from '../../src/pipeline/process.js';
import { MAX_SOCIAL_EVIDENCE } from '../../src/status/reduce.js';
import { freshApp, item } from '../helpers/ledger.js';

const META_SIGNS = 'Meta has signed the CAISI pre-release testing agreement, the company confirmed.';

describe('processItem', () => {
  it('a fresh database starts from the config\'s initial statuses, silently', () => {
    const app = freshApp();
    expect(app.fresh).toBe(true);
    expect(app.store.partyState('caisi', 'meta').status).toBe('holdout');
    expect(app.store.partyState('caisi', 'openai').status).toBe('signed');
    expect(app.store.transitions().every((t) => t.kind === 'seed')).toBe(true);
    expect(app.store.alerts()).toEqual([]);
  });

  it('two independent publishers confirm, and the change queues one alert with its evidence', () => {
    const app = freshApp();
    const first = processItem(app, item({ text: META_SIGNS, publisher: 'nytimes.com' }));
    expect(first.transitions).toEqual([]);
    expect(app.store.partyState('caisi', 'meta').reported?.status).toBe('signed');
    const second = processItem(app, item({ text: 'Meta signs CAISI testing deal, joining its rivals.', publisher: 'reuters.com' }));
    expect(second.transitions).toMatchObject([{ party: 'meta', from: 'holdout', to: 'signed', kind: 'news' }]);
    expect(app.store.transitionEvidence(second.transitions[0]!.id).map((e) => e.publisher).sort()).toEqual(['nytimes.com', 'reuters.com']);
    const alerts = app.store.alerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ party: 'meta', status: 'signed', state: 'queued' });
    expect(alerts[0]!.text).toMatch(/Meta has signed the CAISI pre-release testing agreement\. 6 of 10 tracked developers have now signed\. Sources: nytimes\.com, reuters\.com\./);
  });

  it('an alert credits the publishers that confirmed, not the social rumour that came first', () => {
    const app = freshApp();
    processItem(app, item({ text: 'META SIGNS THE CAISI PRE-RELEASE TESTING DEAL!!!', trust: 'social', publisher: 'techleaks.bsky.social' }));
    processItem(app, item({ text: META_SIGNS, publisher: 'nytimes.com' }));
    processItem(app, item({ text: 'Meta signs CAISI testing deal, joining its rivals.', publisher: 'reuters.com' }));
    const [alert] = app.store.alerts();
    expect(alert!.text).toMatch(/Sources: nytimes\.com, reuters\.com\./);
    expect(alert!.text).not.toMatch(/techleaks/);
  });

  it('a rumour repeated on social media keeps only its first posts as evidence, and a confirmation still comes', () => {
    const app = freshApp();
    processItem(app, item({ text: META_SIGNS, publisher: 'nytimes.com' }));
    const at = (k: number) => new Date(Date.parse('2026-11-20T13:00:00Z') + k * 60_000);
    for (let k = 0; k < MAX_SOCIAL_EVIDENCE + 15; k++) {
      processItem(app, item({ text: `META SIGNS THE CAISI DEAL!!! (post ${k})`, trust: 'social', publisher: `fan${k}.bsky.social`, publishedAt: at(k) }));
    }
    const evidence = app.store.evidenceByIds(app.store.partyState('caisi', 'meta').reported!.evidence);
    expect(evidence.filter((e) => e.trust !== 'social').map((e) => e.publisher)).toEqual(['nytimes.com']);
    expect(evidence.filter((e) => e.trust === 'social').map((e) => e.publisher).sort()).toEqual(Array.from({ length: MAX_SOCIAL_EVIDENCE }, (_, k) => `fan${k}.bsky.social`).sort());
    // Every social post is stored; the store hands the reducer the press and the first social ones only.
    expect(app.store.claimsNear('caisi', 'meta', 'signed', at(0), 7).length).toBe(MAX_SOCIAL_EVIDENCE + 16);
    expect(app.store.claimsNear('caisi', 'meta', 'signed', at(0), 7, { socialLimit: 3 }).map((c) => c.publisher)).toEqual(['nytimes.com', 'fan0.bsky.social', 'fan1.bsky.social', 'fan2.bsky.social']);
    expect(app.store.claimsNear('caisi', 'meta', 'signed', at(0), 7, { socialLimit: 1, notBefore: at(5) }).map((c) => c.publisher)).toEqual(['fan5.bsky.social']);
    const confirmed = processItem(app, item({ text: 'Meta signs CAISI testing deal, joining its rivals.', publisher: 'reuters.com', publishedAt: at(60) }));
    expect(confirmed.transitions).toMatchObject([{ party: 'meta', to: 'signed' }]);
    const cited = app.store.transitionEvidence(confirmed.transitions[0]!.id);
    expect(cited.filter((e) => e.trust !== 'social').map((e) => e.publisher).sort()).toEqual(['nytimes.com', 'reuters.com']);
    expect(cited.filter((e) => e.trust === 'social')).toHaveLength(MAX_SOCIAL_EVIDENCE);
  });

  it('a wire copy on a second domain is one report', () => {
    const app = freshApp();
    processItem(app, item({ text: META_SIGNS, publisher: 'apnews.com' }));
    const copy = processItem(app, item({ text: `${META_SIGNS} Reporting by the wire.`, publisher: 'yahoo.com' }));
    expect(copy.duplicate).toBe(false);
    expect(copy.transitions).toEqual([]);
    expect(app.store.partyState('caisi', 'meta').status).toBe('holdout');
  });

  it('an exact repeat adds nothing: same URL in another form, same GUID, or same text', () => {
    const app = freshApp();
    const original = item({ text: META_SIGNS, url: 'https://www.nytimes.com/2026/11/20/meta.html', publisher: 'nytimes.com' });
    expect(processItem(app, original).duplicate).toBe(false);
    expect(processItem(app, { ...original, id: 'other-guid', url: 'https://nytimes.com/2026/11/20/meta.html?utm_source=bsky#top' }).duplicate).toBe(true);
    expect(processItem(app, { ...original, url: 'https://nytimes.com/elsewhere' }).duplicate).toBe(true);
    expect(processItem(app, { ...original, id: 'third', url: 'https://other.example/x', publisher: 'other.example' }).duplicate).toBe(true);
    expect(app.store.db.prepare('SELECT count(*) AS n FROM items').get()).toEqual({ n: 1 });
  });

  it('an item that came from no fetched body (replay, Bluesky) records no encoding; one that did records its own', () => {
    const app = freshApp();
    processItem(app, item({ text: 'Registration is open for the standards workshop.' }));
    processItem(app, item({ text: 'A legacy page about the standards workshop.', encoding: 'windows-1252' }));
    expect(app.store.db.prepare('SELECT encoding FROM items ORDER BY id').all()).toEqual([{ encoding: null }, { encoding: 'windows-1252' }]);
  });

  it("a party's statement confirms even when a paper printed the same words first, and adds no second publisher", () => {
    const app = freshApp();
    const words = 'Meta Platforms today signed the CAISI pre-release testing agreement with the Commerce Department.';
    expect(processItem(app, item({ text: words, publisher: 'reprints.example' })).transitions).toEqual([]);
    const official = processItem(app, item({ text: words, trust: 'official', speaksFor: ['meta'], publisher: 'about.fb.com' }));
    expect(official.duplicate).toBe(false);
    expect(official.transitions).toMatchObject([{ party: 'meta', to: 'signed' }]);
    // Within one trust tier the same words are still a repeat.
    expect(processItem(app, item({ text: words, publisher: 'another-paper.example' })).duplicate).toBe(true);
  });

  it('a homoglyph party, a hypothetical and a social post change nothing', () => {
    const app = freshApp();
    processItem(app, item({ text: 'Мeta has signed the CAISI pre-release testing agreement.', trust: 'official', speaksFor: 'all' }));
    processItem(app, item({ text: 'If Meta signs the CAISI agreement, it would join its rivals.', trust: 'official', speaksFor: 'all' }));
    processItem(app, item({ text: 'meta signed the caisi deal!!! 🎉', trust: 'social', publisher: 'someone.bsky.social' }));
    expect(app.store.partyState('caisi', 'meta')).toMatchObject({ status: 'holdout', reported: null });
    expect(app.store.alerts()).toEqual([]);
  });

  it("an official source confirms for the party it speaks for: Meta's own \"we\"", () => {
    const app = freshApp();
    const r = processItem(app, item({ text: 'Today we signed the CAISI pre-release testing agreement.', trust: 'official', speaksFor: ['meta'], publisher: 'about.fb.com' }));
    expect(r.transitions).toMatchObject([{ party: 'meta', to: 'signed' }]);
  });

  it('a silent pass records changes without alerts', () => {
    const app = freshApp();
    processItem(app, item({ text: META_SIGNS, trust: 'official', speaksFor: 'all' }), { silent: true });
    expect(app.store.partyState('caisi', 'meta').status).toBe('signed');
    expect(app.store.alerts()).toEqual([]);
  });

  it('review mode holds alerts for approval', () => {
    const app = freshApp({ publishMode: 'review' });
    processItem(app, item({ text: META_SIGNS, trust: 'official', speaksFor: 'all' }));
    expect(app.store.alerts().map((a) => a.state)).toEqual(['held']);
  });

  it('an item, its assertions, its change and its alert commit together or not at all', () => {
    const app = freshApp();
    const insertAlert = app.store.insertAlert.bind(app.store);
    app.store.insertAlert = () => {
      throw new Error('disk full');
    };
    expect(() => processItem(app, item({ text: META_SIGNS, trust: 'official', speaksFor: 'all' }))).toThrow('disk full');
    expect(app.store.db.prepare('SELECT (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM assertions) AS assertions').get()).toEqual({
      items: 0,
      assertions: 0,
    });
    expect(app.store.partyState('caisi', 'meta').status).toBe('holdout');
    app.store.insertAlert = insertAlert;
    expect(processItem(app, item({ text: META_SIGNS, trust: 'official', speaksFor: 'all' })).alerts).toHaveLength(1);
  });

  it('historical mentions seed an unknown party without alerting', () => {
    const app = freshApp();
    const r = processItem(app, item({ text: 'Nvidia signed the CAISI agreement in 2024.', trust: 'official', speaksFor: 'all' }));
    expect(r.transitions).toMatchObject([{ party: 'nvidia', from: 'unknown', to: 'signed', kind: 'history' }]);
    expect(app.store.alerts()).toEqual([]);
  });

  it('a party that signs and then withdraws keeps both in its history; the newest wins', () => {
    const app = freshApp();
    processItem(app, item({ text: META_SIGNS, trust: 'official', speaksFor: 'all', publishedAt: new Date('2026-11-01T00:00:00Z') }));
    processItem(app, item({ text: 'Meta has withdrawn from the CAISI testing agreement.', trust: 'official', speaksFor: ['meta'], publishedAt: new Date('2026-11-10T00:00:00Z') }));
    expect(app.store.transitions().filter((t) => t.party === 'meta' && t.kind !== 'seed').map((t) => `${t.from}→${t.to}`)).toEqual(['holdout→signed', 'signed→withdrawn']);
    expect(app.store.partyState('caisi', 'meta').status).toBe('withdrawn');
  });
});

describe('retention', () => {
  it('old items that claimed nothing lose their text but still count as seen', () => {
    const app = freshApp();
    const old = item({ text: 'Apple ships a new phone.', fetchedAt: new Date(Date.now() - 40 * 86_400_000) });
    const claim = item({ text: META_SIGNS, fetchedAt: new Date(Date.now() - 40 * 86_400_000) });
    processItem(app, old);
    processItem(app, claim);
    expect(app.store.prune(30)).toBe(1);
    const rows = app.store.db.prepare('SELECT text, pruned_at FROM items ORDER BY id').all() as { text: string | null; pruned_at: string | null }[];
    expect(rows[0]).toMatchObject({ text: null, pruned_at: expect.any(String) });
    expect(rows[1]!.text).toBe(META_SIGNS);
    expect(processItem(app, old).duplicate).toBe(true);
  });
});

describe('the per-item bound', () => {
  it('records an item over the bound as failed with the reason, reads the rest of the poll, and never retries it', async () => {
    const { ingest, refusedItems } = await import('../../src/pipeline/poll.js');
    const { MAX_ITEM_CHARS } = await import('../../src/text/item-size.js');
    const app = freshApp();
    const huge = item({ text: `${META_SIGNS} ${'x'.repeat(MAX_ITEM_CHARS)}` });
    const normal = item({ text: META_SIGNS });
    const state = { id: 'test', kind: 'rss', url: null, etag: null, lastModified: null, cursor: null, lastSuccess: null, lastError: null, lastErrorAt: null, failures: 0, nextPoll: null, gone: false, unreliableGuids: null, degraded: null };
    const poll = { outcome: 'ok' as const, items: [huge, normal], state, first: false };

    const first = ingest(app, poll).results;
    expect(first.map((r) => r.duplicate)).toEqual([false, false]);
    expect(first[0]).toMatchObject({ assertions: 0, failed: expect.stringMatching(/characters; the limit is 200,000/) });
    expect(first[1]!.assertions).toBeGreaterThan(0);
    expect(refusedItems(poll, first)).toEqual([{ id: huge.id, reason: first[0]!.failed }]);
    const row = app.store.db.prepare('SELECT text, failed, assertion_count FROM items WHERE guid = ?').get(huge.id);
    expect(row).toEqual({ text: null, failed: first[0]!.failed, assertion_count: 0 });

    // The next poll brings the same items: the failed one is known, not read again.
    expect(app.store.itemByGuid('test', huge.id)).toBeDefined();
    const second = ingest(app, poll).results;
    expect(second.map((r) => r.duplicate)).toEqual([true, true]);
    expect(refusedItems(poll, second)).toEqual([]);
  });
});
