// Spoofed announcements reach pactwatch through the Bluesky search: a look-alike of Meta's newsroom
// account, an all-caps rumour. The extractor reads their claims as any other text (trust is the
// source's business); what keeps them from changing Meta's status is the trust the Bluesky source
// gives each post's author: only a configured account keeps its own, anyone else is social.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Source } from '../../src/config/types.js';
import { processItem } from '../../src/pipeline/process.js';
import { BlueskyReader } from '../../src/sources/bluesky.js';
import { Fetcher } from '../../src/http/fetch.js';
import { pollSource, type Poll } from '../../src/sources/poll.js';
import { freshApp } from '../helpers/ledger.js';
import { startXrpcServer, type XrpcServer } from '../helpers/xrpc-server.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const where = { file: 'test' };
const search: Source = { id: 'bsky-caisi', kind: 'bluesky-search', query: 'CAISI', trust: 'social', publisher: 'bsky', where };
// Meta's own account, configured as official for Meta.
const meta: Source = { id: 'bsky-meta', kind: 'bluesky-author', actor: 'about.fb.com', trust: 'official', speaksFor: ['meta'], publisher: 'about.fb.com', where };
const accounts = new Map([['about.fb.com', meta]]);

const SPOOFS = [
  { handle: 'meta-newsroom.bsky.social', text: '📢 Official statement: Today we signed the CAISI pre-release testing agreement. — Meta Newsroom' },
  { handle: 'about-fb.com.bsky.social', text: 'Meta has signed the CAISI pre-release testing agreement, effective today.' },
  { handle: 'about.fb.com.bsky.social', text: 'Meta signs the CAISI pre-release testing agreement with the Commerce Department.' },
  { handle: 'aboutfb.com', text: 'We are proud to announce that Meta has joined the CAISI pre-release testing program.' },
  { handle: 'someone.bsky.social', text: 'BREAKING: META SIGNS CAISI DEAL!!!' },
];

let xrpc: XrpcServer;
const fetcher = new Fetcher({ hostSpacingMs: 0 });

beforeAll(async () => {
  xrpc = await startXrpcServer();
  SPOOFS.forEach((s, i) => xrpc.posts.push({ handle: s.handle, rkey: `3spoof${i}`, text: s.text, createdAt: `2026-11-20T1${i}:00:00.000Z` }));
});
afterAll(async () => {
  await fetcher.close();
  await xrpc.close();
});

function read(): Promise<Poll> {
  const reader = new BlueskyReader({ service: xrpc.url, identifier: 'bot.test', password: 'abcd-efgh-ijkl-mnop' });
  return pollSource(fetcher, search, undefined, { now: () => NOW, random: () => 0.5, force: true, bluesky: reader, accounts });
}

describe('look-alike accounts and rumours', () => {
  it("a post from a handle that only looks like Meta's account is social and speaks for no one", async () => {
    const poll = await read();
    expect(poll.items.map((i) => [i.author, i.trust, i.speaksFor])).toEqual(
      [...SPOOFS].reverse().map((s) => [s.handle, 'social', null]),
    );
  });

  it("look-alikes and an all-caps rumour claim Meta signed, and leave Meta's status and the alerts alone", async () => {
    const app = freshApp();
    for (const item of (await read()).items) {
      const result = processItem(app, item);
      // The extractor reads each claim: it is the trust that stops it.
      expect(result.assertions, item.text).toBeGreaterThan(0);
      expect(result.transitions).toEqual([]);
    }
    expect(app.store.partyState('caisi', 'meta').status).toBe('holdout');
    expect(app.store.alerts()).toEqual([]);
  });

  it("the same words from Meta's configured account confirm", async () => {
    const app = freshApp();
    xrpc.posts.push({ handle: 'about.fb.com', rkey: '3real1', text: 'Today we signed the CAISI pre-release testing agreement with the Commerce Department.', createdAt: '2026-11-21T09:00:00.000Z' });
    const real = (await read()).items.find((i) => i.author === 'about.fb.com')!;
    expect(real).toMatchObject({ trust: 'official', speaksFor: ['meta'] });
    expect(processItem(app, real).transitions).toMatchObject([{ party: 'meta', to: 'signed' }]);
  });

  // Text dedupe works within one trust tier, so a social copy read first cannot swallow the real one.
  it("Meta's own statement still confirms after a look-alike posted the same words first", async () => {
    const app = freshApp();
    const words = 'Today we signed the CAISI pre-release testing agreement, our newsroom confirms.';
    xrpc.posts.push({ handle: 'meta-news.bsky.social', rkey: '3copy1', text: words, createdAt: '2026-11-22T09:00:00.000Z' });
    xrpc.posts.push({ handle: 'about.fb.com', rkey: '3real2', text: words, createdAt: '2026-11-22T09:05:00.000Z' });
    const items = (await read()).items.filter((i) => i.text === words);
    const [real, copy] = [items.find((i) => i.trust === 'official')!, items.find((i) => i.trust === 'social')!];
    processItem(app, copy);
    expect(processItem(app, real).transitions).toMatchObject([{ party: 'meta', to: 'signed' }]);
  });
});
