import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyConfig, pactwatch } from '../helpers/cli.js';
import { startLocalBluesky, type LocalBluesky } from '../helpers/local-bluesky.js';

// `once` and `alerts retract` as an operator runs them: the account's app password in a file
// (BSKY_APP_PASSWORD_FILE, with the newline an editor leaves), a real local PDS, and a Bluesky
// search read through it. The evidence links point at 127.0.0.1, which the card fetcher refuses
// without PACTWATCH_ALLOW_PRIVATE_NETWORK: nothing is fetched, and each post carries the board.
let bluesky: LocalBluesky;
let did: string;
let passwordFile: string;
const handle = 'retract.test';

beforeAll(async () => {
  bluesky = await startLocalBluesky();
  let appPassword: string;
  ({ did, appPassword } = await bluesky.account(handle));
  passwordFile = join(mkdtempSync(join(tmpdir(), 'pw-retract-')), 'bsky-app-password');
  writeFileSync(passwordFile, `${appPassword}\n`);
  bluesky.posts.push({ handle: 'someone.bsky.social', rkey: '3ccc1', text: "A workshop on CAISI's measurement methods opens Monday.", createdAt: '2026-11-20T10:00:00.000Z' });
}, 60_000);
afterAll(async () => {
  await bluesky?.close();
});

const credentials = () => ({ BSKY_SERVICE: bluesky.service, BSKY_IDENTIFIER: handle, BSKY_APP_PASSWORD_FILE: passwordFile });
const jsonLines = (s: string) => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

/** A config with one Bluesky search, and `settings` as its pactwatch.yaml; a database beside it. */
function setUp(settings?: string): { config: string; db: string } {
  const config = copyConfig();
  writeFileSync(join(config, 'sources.yaml'), 'sources:\n  - { id: bsky-caisi, kind: bluesky-search, query: CAISI, trust: social }\n');
  if (settings) writeFileSync(join(config, 'pactwatch.yaml'), settings);
  return { config, db: join(mkdtempSync(join(tmpdir(), 'pw-retract-')), 'pactwatch.db') };
}

/** Queues a maintainer's change, then runs `once` with the credentials; returns the alert `once` sent. */
async function postOne(where: { config: string; db: string }, party: string): Promise<{ id: number; uri: string; text: string }> {
  const at = ['--config', where.config, '--db', where.db];
  expect((await pactwatch(['status', 'set', 'caisi', party, 'signed', '--evidence', `http://127.0.0.1:9/${party}-signs`, ...at])).code).toBe(0);
  const once = await pactwatch(['once', '--json', ...at], { env: credentials() });
  expect(once.code, once.stderr).toBe(0);
  const out = JSON.parse(once.stdout) as { sources: unknown[]; alerts: { id: number; party: string; state: string; uri: string; text: string }[] };
  // The search logged in with the same file's password, and read through the PDS as the account.
  expect(out.sources).toMatchObject([{ id: 'bsky-caisi', outcome: 'ok' }]);
  expect(bluesky.reads.at(-1)).toMatchObject({ lxm: 'app.bsky.feed.searchPosts', iss: did });
  expect(out.alerts).toMatchObject([{ party, state: 'sent', uri: expect.stringMatching(new RegExp(`^at://${did}/app\\.bsky\\.feed\\.post/`)) }]);
  return out.alerts[0]!;
}

async function postAt(uri: string) {
  const [, , repo, , rkey] = uri.split('/');
  return bluesky.net.pds.getClient().com.atproto.repo.getRecord({ repo: repo!, collection: 'app.bsky.feed.post', rkey: rkey! });
}

describe('pactwatch alerts retract', () => {
  it('deletes a post that once sent with the app password from BSKY_APP_PASSWORD_FILE; without credentials it refuses and leaves it sent', async () => {
    const where = setUp();
    const sent = await postOne(where, 'amazon');
    expect((await postAt(sent.uri)).data.value).toMatchObject({ text: sent.text });

    const refused = await pactwatch(['alerts', 'retract', String(sent.id), '--config', where.config, '--db', where.db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`alert ${sent.id} was posted; taking it back needs the Bluesky credentials`);
    expect((await postAt(sent.uri)).data.value).toMatchObject({ text: sent.text });

    const retracted = await pactwatch(['alerts', 'retract', String(sent.id), '--config', where.config, '--db', where.db], { env: credentials() });
    expect(retracted.code, retracted.stderr).toBe(0);
    expect(retracted.stderr).toContain(`alert ${sent.id}: sent → retracted (post deleted)`);
    await expect(postAt(sent.uri)).rejects.toMatchObject({ error: 'RecordNotFound' });
    expect(jsonLines((await pactwatch(['alerts', 'list', '--json', '--db', where.db])).stdout)).toMatchObject([{ id: sent.id, state: 'retracted' }]);
  });

  it('with publish.retract: correct, answers the post with a correction and keeps it; an alert not yet sent is only taken out of the outbox', async () => {
    const where = setUp('publish:\n  retract: correct\n');
    const sent = await postOne(where, 'amazon');
    const retracted = await pactwatch(['alerts', 'retract', String(sent.id), '--config', where.config, '--db', where.db], { env: credentials() });
    expect(retracted.code, retracted.stderr).toBe(0);
    expect(retracted.stderr).toContain(`alert ${sent.id}: sent → retracted (correction posted)`);
    expect((await postAt(sent.uri)).data.value).toMatchObject({ text: sent.text });
    const posts = (await bluesky.net.pds.getClient().com.atproto.repo.listRecords({ repo: did, collection: 'app.bsky.feed.post', limit: 100 })).data.records;
    const replies = posts.filter((r) => (r.value as { reply?: { parent: { uri: string } } }).reply?.parent.uri === sent.uri);
    expect(replies.map((r) => (r.value as { text: string }).text)).toEqual([
      'Correction: the post above was wrong, and we have withdrawn it. Our status table has the corrected entry.',
    ]);

    // Queued, never posted: no credentials needed, nothing sent, and `once` leaves it alone.
    expect((await pactwatch(['status', 'set', 'caisi', 'meta', 'signed', '--evidence', 'http://127.0.0.1:9/meta-signs', '--config', where.config, '--db', where.db])).code).toBe(0);
    const queued = jsonLines((await pactwatch(['alerts', 'list', '--json', '--db', where.db])).stdout).find((a) => a.party === 'meta')!;
    expect(queued).toMatchObject({ state: 'queued' });
    const dropped = await pactwatch(['alerts', 'retract', String(queued.id), '--config', where.config, '--db', where.db]);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(dropped.stderr).toContain(`alert ${String(queued.id)}: queued → retracted`);
    const once = await pactwatch(['once', '--json', '--config', where.config, '--db', where.db], { env: credentials() });
    expect(JSON.parse(once.stdout).alerts).toEqual([]);
  });
});
