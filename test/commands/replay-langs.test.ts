import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { offlineConfig, pactwatch } from '../helpers/cli.js';

// Replay reads a post's language tags as the live stream does (test/pipeline/stream-langs.test.ts):
// the same posts, the same tags stored, the same assertions.
describe('pactwatch replay of posts with language tags', () => {
  it('reads a post tagged only ja for no assertion, as the live path does, and stores its tags', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pactwatch-replay-langs-'));
    const file = join(dir, 'posts.jsonl');
    const post = (rkey: string, text: string, langs?: unknown) =>
      JSON.stringify({ id: `at://did:plc:someoneposting00000000000/app.bsky.feed.post/${rkey}`, text, url: `https://bsky.app/profile/did:plc:someoneposting00000000000/post/${rkey}`, published: '2026-11-20T12:00:01Z', trust: 'social', publisher: 'did:plc:someoneposting00000000000', ...(langs === undefined ? {} : { langs }) });
    writeFileSync(
      file,
      [
        post('3llang000001', 'Meta has signed the CAISI pre-release testing agreement.', ['ja']),
        post('3llang000002', 'Meta has signed the CAISI pre-release testing agreement, a post says.', ['EN', 'ja']),
        post('3llang000003', 'Meta has signed the CAISI pre-release testing agreement, another says.'),
      ].join('\n') + '\n',
    );
    const db = join(dir, 'pactwatch.db');
    const run = await pactwatch(['replay', file, '--db', db, '--config', offlineConfig()]);
    expect(run.code, run.stderr).toBe(0);
    const d = new Database(db, { readonly: true });
    try {
      expect(d.prepare('SELECT guid, langs, assertion_count FROM items ORDER BY guid').all()).toEqual([
        { guid: 'at://did:plc:someoneposting00000000000/app.bsky.feed.post/3llang000001', langs: '["ja"]', assertion_count: 0 },
        { guid: 'at://did:plc:someoneposting00000000000/app.bsky.feed.post/3llang000002', langs: '["en","ja"]', assertion_count: 1 },
        { guid: 'at://did:plc:someoneposting00000000000/app.bsky.feed.post/3llang000003', langs: null, assertion_count: 1 },
      ]);
    } finally {
      d.close();
    }
  });
});
