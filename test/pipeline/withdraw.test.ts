import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processItem } from '../../src/pipeline/process.js';
import { ingest } from '../../src/pipeline/poll.js';
import { withdrawDeleted } from '../../src/pipeline/withdraw.js';
import { initialState } from '../../src/sources/poll.js';
import { statusSnapshot } from '../../src/status/snapshot.js';
import { sitePage } from '../../src/web/site.js';
import type { App } from '../../src/app.js';
import type { Item } from '../../src/model/item.js';
import { freshApp, item } from '../helpers/ledger.js';
import { withTracker } from '../helpers/repo.js';

const REPORTER = 'did:plc:reporterexample00000000000';
const META = 'did:plc:metanewsroom0000000000000';
const DELETED_AT = new Date('2026-11-21T09:00:00Z');

/** The shipped tracker, posting reported claims, with a reporter's and Meta's Bluesky accounts and a stream as sources. */
function config(): string {
  const dir = withTracker((yaml) => `${yaml}\npolicy:\n  postReported: true\n`);
  writeFileSync(
    join(dir, 'sources.yaml'),
    `sources:
  - { id: bsky-reporter, kind: bluesky-author, actor: '${REPORTER}', trust: press, publisher: reporter.example }
  - { id: bsky-meta, kind: bluesky-author, actor: '${META}', trust: official, speaksFor: [meta], publisher: meta.com }
  - { id: stream, kind: bluesky-stream, url: 'ws://127.0.0.1:9/subscribe', mode: authors }
`,
  );
  return dir;
}

let rkey = 0;
/** A post by `did`, as the Bluesky sources store it: its at:// URI is its id. */
function post(did: string, text: string, over: Partial<Item> = {}): Item {
  rkey++;
  const reporter = did === REPORTER;
  return item({
    id: `at://${did}/app.bsky.feed.post/3lpost${String(rkey).padStart(6, '0')}`,
    sourceId: reporter ? 'bsky-reporter' : 'bsky-meta',
    url: `https://bsky.app/profile/${did}/post/3lpost${rkey}`,
    text,
    trust: reporter ? 'press' : 'official',
    publisher: reporter ? 'reporter.example' : 'meta.com',
    speaksFor: reporter ? null : ['meta'],
    ...over,
  });
}

const app = (mode: 'dry-run' | 'review' = 'dry-run'): App => freshApp({ configDir: config(), publishMode: mode });
const SIGNED = 'Meta has signed the CAISI pre-release testing agreement, people familiar with it say.';

describe('withdrawing posts their authors deleted', () => {
  it('a reported claim that rested on the deleted post is cleared, and its queued alert retracted, not posted', () => {
    const a = app();
    const p = post(REPORTER, SIGNED);
    const made = processItem(a, p);
    expect(a.store.partyState('caisi', 'meta').reported?.status).toBe('signed');
    expect(made.alerts).toHaveLength(1);

    const withdrawn = a.store.transaction(() => withdrawDeleted(a, [p.id], DELETED_AT), { durable: true });
    expect(withdrawn).toEqual([{ uri: p.id, retracted: made.alerts, notes: expect.any(Array) }]);
    expect(a.store.partyState('caisi', 'meta')).toMatchObject({ status: 'holdout', reported: null });
    expect(a.store.alert(made.alerts[0]!)).toMatchObject({ state: 'retracted', lastError: expect.stringContaining(p.id) });
    expect(statusSnapshot(a.config, a.store).trackers[0]!.parties.find((x) => x.id === 'meta')!.reported).toBeNull();
    expect(withdrawn[0]!.notes.join('\n')).toMatch(/caisi\/meta's reported claim \(signed\) rested on it and is cleared[\s\S]*alert \d+ \(queued\) about it retracted/);
  });

  it('an alert held for review is retracted too; one already posted stays posted, and the log says so', () => {
    const held = app('review');
    const p = post(REPORTER, SIGNED);
    const [id] = processItem(held, p).alerts;
    expect(held.store.alert(id!)!.state).toBe('held');
    held.store.transaction(() => withdrawDeleted(held, [p.id], DELETED_AT), { durable: true });
    expect(held.store.alert(id!)!.state).toBe('retracted');

    const sent = app();
    const q = post(REPORTER, SIGNED);
    const [sentId] = processItem(sent, q).alerts;
    sent.store.setAlertState(sentId!, 'sent', { uri: 'at://did:plc:bot/app.bsky.feed.post/3lalert' });
    const [w] = sent.store.transaction(() => withdrawDeleted(sent, [q.id], DELETED_AT), { durable: true });
    expect(sent.store.alert(sentId!)).toMatchObject({ state: 'sent', uri: 'at://did:plc:bot/app.bsky.feed.post/3lalert' });
    expect(sent.store.partyState('caisi', 'meta').reported).toBeNull();
    expect(w!.retracted).toEqual([]);
    expect(w!.notes.join('\n')).toMatch(new RegExp(`alert ${sentId} about it was already posted \\(at://did:plc:bot/app.bsky.feed.post/3lalert\\) and stays`));
  });

  it("a claim with another publisher's report left keeps standing, without the deleted post, and its alert stays queued", () => {
    const a = app();
    const article = item({ text: SIGNED, publisher: 'nytimes.com' });
    const [alertId] = processItem(a, article).alerts;
    const social = post(REPORTER, 'Meta signed the CAISI agreement, per the Times.', { trust: 'social', publisher: 'someone.bsky.social' });
    processItem(a, social);
    const before = a.store.partyState('caisi', 'meta').reported!;
    expect(before.evidence).toHaveLength(2);

    a.store.transaction(() => withdrawDeleted(a, [social.id], DELETED_AT), { durable: true });
    const after = a.store.partyState('caisi', 'meta').reported!;
    expect(after.evidence).toEqual(before.evidence.filter((id) => a.store.evidenceByIds([id])[0]!.publisher === 'nytimes.com'));
    expect(after.since).toEqual(before.since);
    expect(a.store.alert(alertId!)!.state).toBe('queued');
  });

  it('a claim left with social posts only is cleared: a social post alone never makes one', () => {
    const a = app();
    const press = post(REPORTER, SIGNED);
    const [alertId] = processItem(a, press).alerts;
    processItem(a, item({ text: 'Meta signed the CAISI agreement!!', trust: 'social', publisher: 'someone.bsky.social' }));
    expect(a.store.partyState('caisi', 'meta').reported!.evidence).toHaveLength(2);
    a.store.transaction(() => withdrawDeleted(a, [press.id], DELETED_AT), { durable: true });
    expect(a.store.partyState('caisi', 'meta').reported).toBeNull();
    expect(a.store.alert(alertId!)!.state).toBe('retracted');
  });

  it('a deleted post counts in no later corroboration: the next report is one publisher, not the second', () => {
    const a = app();
    const first = post(REPORTER, SIGNED);
    processItem(a, first);
    a.store.transaction(() => withdrawDeleted(a, [first.id], DELETED_AT), { durable: true });
    const next = processItem(a, item({ text: 'Meta signs CAISI testing deal, joining its rivals.', publisher: 'reuters.com' }));
    expect(next.transitions).toEqual([]);
    expect(a.store.partyState('caisi', 'meta')).toMatchObject({ status: 'holdout', reported: { status: 'signed' } });
    expect(a.store.partyState('caisi', 'meta').reported!.evidence).toHaveLength(1);
  });

  it('a confirmed status stands when the official post behind it is deleted; its evidence is shown as deleted', async () => {
    const a = app();
    const official = post(META, 'We have signed the CAISI pre-release testing agreement.');
    const made = processItem(a, official);
    expect(made.transitions).toMatchObject([{ party: 'meta', from: 'holdout', to: 'signed' }]);
    const transitions = a.store.transitions();
    const alerts = a.store.alerts();

    const [w] = a.store.transaction(() => withdrawDeleted(a, [official.id], DELETED_AT), { durable: true });
    expect(w!.notes).toEqual([`post ${official.id} deleted by its author: it was evidence of no reported claim; any confirmed status stands`]);
    expect(a.store.partyState('caisi', 'meta')).toMatchObject({ status: 'signed', reported: null });
    expect(a.store.transitions()).toEqual(transitions);
    expect(a.store.alerts()).toEqual(alerts);
    expect(a.store.transitionEvidence(made.transitions[0]!.id).map((c) => c.deletedAt)).toEqual([DELETED_AT.toISOString()]);
    const meta = statusSnapshot(a.config, a.store).trackers[0]!.parties.find((x) => x.id === 'meta')!;
    expect(meta.evidence[0]).toMatchObject({ publisher: 'meta.com', deleted: DELETED_AT.toISOString() });
    const page = String(await sitePage('/p/caisi/meta', a.config, a.store, 'http://127.0.0.1:8080', () => DELETED_AT)!.render());
    expect(page).toMatch(/<p class="cite">— <a href="[^"]+">meta\.com<\/a>.*<span class="deleted">deleted by its author/);
  });

  it('a post never stored, one already withdrawn, and an item of a source that is not Bluesky do nothing', () => {
    const a = app();
    const p = post(REPORTER, SIGNED);
    processItem(a, p);
    // A feed item whose GUID happens to look like a post URI is not a post.
    const feed = item({ id: 'at://did:plc:feed/app.bsky.feed.post/3lfeed', sourceId: 'news-caisi', text: 'Meta signed the CAISI deal, a paper says.', publisher: 'paper.example' });
    processItem(a, feed);
    expect(a.store.transaction(() => withdrawDeleted(a, ['at://did:plc:nobody/app.bsky.feed.post/3lnone', feed.id], DELETED_AT))).toEqual([]);
    expect(a.store.transaction(() => withdrawDeleted(a, [p.id], DELETED_AT), { durable: true })).toHaveLength(1);
    expect(a.store.transaction(() => withdrawDeleted(a, [p.id], new Date('2026-11-22T00:00:00Z')))).toEqual([]);
    expect(a.store.db.prepare('SELECT guid, deleted_at FROM items WHERE deleted_at IS NOT NULL').all()).toEqual([{ guid: p.id, deleted_at: DELETED_AT.toISOString() }]);
  });

  it("ingest withdraws a poll's deleted posts after storing its items: a post made and deleted in one catch-up leaves no claim", () => {
    const a = app();
    const source = a.config.sources.find((s) => s.id === 'stream')!;
    const p = post(REPORTER, SIGNED, { sourceId: 'stream' });
    const state = { ...initialState(source), lastSuccess: '2026-11-20T00:00:00.000Z' };
    const { results, withdrawn } = ingest(a, { outcome: 'ok', items: [p], deleted: [p.id, 'at://did:plc:other/app.bsky.feed.post/3lx'], state, first: false });
    expect(results[0]!.alerts).toHaveLength(1);
    expect(withdrawn.map((w) => [w.uri, w.retracted])).toEqual([[p.id, results[0]!.alerts]]);
    expect(a.store.partyState('caisi', 'meta').reported).toBeNull();
    expect(a.store.alerts().map((x) => x.state)).toEqual(['retracted']);
  });
});
