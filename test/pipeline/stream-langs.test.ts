import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Source } from '../../src/config/types.js';
import { Fetcher } from '../../src/http/fetch.js';
import { ingest, streamPrefilter } from '../../src/pipeline/poll.js';
import { initialState, pollSource } from '../../src/sources/poll.js';
import { freshApp } from '../helpers/ledger.js';
import { startJetstreamServer, type JetstreamServer } from '../helpers/jetstream-server.js';

// A firehose post's language tags, from the local Jetstream server through the pipeline to the
// store: a post in a language the rules do not read is stored with its tags and read for nothing.
const T0 = 1795176000000000; // 2026-11-20T12:00:00Z
const NOW = new Date('2026-11-20T12:10:00Z');
const fetcher = new Fetcher({ hostSpacingMs: 0 });
let server: JetstreamServer;

function post(rkey: string, text: string, n: number, langs?: unknown): Record<string, unknown> {
  const record = { $type: 'app.bsky.feed.post', createdAt: new Date((T0 + n * 1_000_000) / 1000).toISOString(), text, ...(langs === undefined ? {} : { langs }) };
  return { did: 'did:plc:someoneposting00000000000', time_us: T0 + n * 1_000_000, kind: 'commit', commit: { rev: rkey, operation: 'create', collection: 'app.bsky.feed.post', rkey, record, cid: 'bafyreibqw5tl4retkfw6wuoor5fe6lkxcpcrom24tjyfqx7ecskvysjdou' } };
}

beforeAll(async () => {
  // Each text differs a little: one text is stored once per tier.
  server = await startJetstreamServer([
    post('3llang000001', 'Meta has signed the CAISI pre-release testing agreement.', 1, ['ja']),
    post('3llang000002', 'Meta has signed the CAISI pre-release testing agreement, a post says.', 2, ['EN', 'ja']),
    post('3llang000003', 'Meta has signed the CAISI pre-release testing agreement, another says.', 3),
  ]);
});
afterAll(async () => {
  await fetcher.close();
  await server.close();
});

describe("a firehose post's language tags", () => {
  it('are stored with its item; a post tagged only ja makes no assertion, one tagged en and ja or not at all does', async () => {
    const app = freshApp({ now: () => NOW });
    try {
      const source: Source = { id: 'firehose', kind: 'bluesky-stream', url: server.url, mode: 'firehose', trust: 'social', publisher: 'jetstream', where: { file: 't' } };
      const state = { ...initialState(source), cursor: String(T0), lastSuccess: '2026-11-20T11:59:59.000Z' };
      const poll = await pollSource(fetcher, source, state, {
        now: () => NOW,
        random: () => 0.5,
        force: true,
        accounts: new Map(),
        stream: { prefilter: streamPrefilter(app), allowPrivateNetwork: true, quietMs: 300 },
      });
      expect(poll.outcome).toBe('ok');
      expect(ingest(app, poll).results.map((r) => [r.duplicate, r.assertions])).toEqual([
        [false, 0],
        [false, 1],
        [false, 1],
      ]);
      const db = new Database(app.settings.dbPath, { readonly: true });
      try {
        expect(db.prepare("SELECT guid, langs, assertion_count FROM items WHERE source_id = 'firehose' ORDER BY id").all()).toEqual([
          { guid: 'at://did:plc:someoneposting00000000000/app.bsky.feed.post/3llang000001', langs: '["ja"]', assertion_count: 0 },
          { guid: 'at://did:plc:someoneposting00000000000/app.bsky.feed.post/3llang000002', langs: '["en","ja"]', assertion_count: 1 },
          { guid: 'at://did:plc:someoneposting00000000000/app.bsky.feed.post/3llang000003', langs: null, assertion_count: 1 },
        ]);
      } finally {
        db.close();
      }
    } finally {
      await app.close();
    }
  });
});
