import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pactwatch } from '../helpers/cli.js';
import { startJetstreamServer, type JetstreamServer } from '../helpers/jetstream-server.js';
import { withTracker } from '../helpers/repo.js';
import { startXrpcServer, type XrpcServer } from '../helpers/xrpc-server.js';

const REPORTER = 'did:plc:reporterexample00000000000';
const AGENCY = 'did:plc:agencyexamplegov000000000';

let jetstream: JetstreamServer;
// The author sources are polled too: a local AppView answers them (with nothing).
let appview: XrpcServer;
beforeAll(async () => {
  jetstream = await startJetstreamServer();
  appview = await startXrpcServer();
});
afterAll(async () => {
  await jetstream.close();
  await appview.close();
});

const commit = (did: string, rkey: string, timeUs: number, operation: 'create' | 'delete', text?: string): Record<string, unknown> => ({
  did,
  time_us: timeUs,
  kind: 'commit',
  commit: {
    rev: rkey,
    operation,
    collection: 'app.bsky.feed.post',
    rkey,
    ...(text === undefined ? {} : { record: { $type: 'app.bsky.feed.post', createdAt: new Date(timeUs / 1000).toISOString(), text }, cid: 'bafyreibqw5tl4retkfw6wuoor5fe6lkxcpcrom24tjyfqx7ecskvysjdou' }),
  },
});

interface Party {
  id: string;
  status: string;
  reported: { status: string; evidence: unknown[] } | null;
  evidence: { publisher: string; deleted?: string }[];
}

describe('pactwatch once with a stream that brings a post and then its delete', () => {
  it("withdraws the deleted reporter's claim and its held alert, and leaves the agency's confirmed signing standing", async () => {
    const config = withTracker((yaml) => `${yaml}\npolicy:\n  postReported: true\n`);
    writeFileSync(
      join(config, 'sources.yaml'),
      `sources:
  - { id: bsky-reporter, kind: bluesky-author, actor: '${REPORTER}', trust: press, publisher: reporter.example }
  - { id: bsky-agency, kind: bluesky-author, actor: '${AGENCY}', trust: official, speaksFor: all, publisher: agency.example.gov }
  - { id: stream, kind: bluesky-stream, url: '${jetstream.url}', mode: authors }
`,
    );
    const db = join(mkdtempSync(join(tmpdir(), 'pw-deletes-')), 'pactwatch.db');
    const env = { PACTWATCH_ALLOW_PRIVATE_NETWORK: '1', BSKY_SERVICE: appview.url, PACTWATCH_PUBLISH_MODE: 'review' };
    const run = async (...args: string[]) => {
      const r = await pactwatch([...args, '--config', config, '--db', db], { env });
      expect(r.code, r.stderr).toBe(0);
      return r;
    };
    const parties = async () => {
      const status = JSON.parse((await run('status', '--json')).stdout) as { trackers: { parties: Party[] }[] };
      return new Map(status.trackers[0]!.parties.map((p) => [p.id, p]));
    };
    const alerts = async () =>
      (await run('alerts', 'list', '--json')).stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { id: number; party: string; status: string; state: string });

    // The first run only stores the present as the stream's cursor.
    await run('once', '--json');
    const cursorAt = Date.parse(((await run('status', '--json')).stdout.match(/"id":"stream","kind":"bluesky-stream","lastSuccess":"([^"]+)"/) ?? [])[1]!);
    const t = cursorAt * 1000;

    jetstream.frames.push(
      commit(REPORTER, '3lreport00001', t + 1_000, 'create', 'Meta has signed the CAISI pre-release testing agreement, people familiar with it say.'),
      commit(AGENCY, '3lagency00001', t + 2_000, 'create', 'CAISI today signed a pre-release testing agreement with Nvidia.'),
    );
    await run('once', '--json');
    let now = await parties();
    expect(now.get('meta')).toMatchObject({ status: 'holdout', reported: { status: 'signed' } });
    expect(now.get('nvidia')).toMatchObject({ status: 'signed', reported: null });
    expect((await alerts()).map((a) => [a.party, a.status, a.state])).toEqual([
      ['meta', 'signed', 'held'],
      ['nvidia', 'signed', 'held'],
    ]);

    // Both authors delete their posts.
    jetstream.frames.push(commit(REPORTER, '3lreport00001', t + 3_000, 'delete'), commit(AGENCY, '3lagency00001', t + 4_000, 'delete'));
    const third = await run('once', '--json');
    expect(third.stderr).toMatch(/source stream: post at:\/\/did:plc:reporterexample00000000000\/app\.bsky\.feed\.post\/3lreport00001 deleted by its author: caisi\/meta's reported claim \(signed\) rested on it and is cleared/);
    now = await parties();
    expect(now.get('meta')).toMatchObject({ status: 'holdout', reported: null });
    // A confirmation stands on its evidence: still signed, the agency's post listed as deleted.
    expect(now.get('nvidia')).toMatchObject({ status: 'signed', reported: null, evidence: [{ publisher: 'example.gov', deleted: expect.any(String) }] });
    expect((await alerts()).map((a) => [a.party, a.status, a.state])).toEqual([
      ['meta', 'signed', 'retracted'],
      ['nvidia', 'signed', 'held'],
    ]);
    // The rewind reads the deletes again: nothing more happens.
    const fourth = await run('once', '--json');
    expect(fourth.stderr).not.toMatch(/deleted by its author/);
    // Nine runs of the command; each `once` waits out the stream's quiet time.
  }, 120_000);
});
