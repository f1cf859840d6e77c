import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, PACKAGED_CONFIG_DIR } from '../../src/config/load.js';
import { streamPrefilter } from '../../src/pipeline/poll.js';
import { auditStream, streamsCaughtUp } from '../../world/stream-books.js';
import { chatterPost, noisePost, permalink, STREAM_STORY, startStreamWorld, type StreamWorld } from '../../world/stream-world.js';

let stream: StreamWorld | undefined;
afterEach(async () => {
  await stream?.close();
  stream = undefined;
});

/** The two tables the books read, as the daemon's database has them. */
function ledger(): Database.Database {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, url TEXT); CREATE TABLE sources (id TEXT PRIMARY KEY, cursor TEXT)');
  return db;
}

describe("the stream's books", () => {
  it('name a post that had to be stored and is not, and one stored twice', async () => {
    stream = await startStreamWorld({ modes: ['authors', 'firehose'], accounts: ['ssi'] });
    stream.post({ did: 'did:plc:a', rkey: 'kept', text: 'x' }, true, 'claim');
    stream.post({ did: 'did:plc:a', rkey: 'lost', text: 'y' }, true, 'claim');
    stream.post({ did: 'did:plc:a', rkey: 'twice', text: 'z' }, false, 'noise');
    stream.post({ did: 'did:plc:a', rkey: 'dropped', text: 'w' }, false, 'noise');
    const db = ledger();
    const insert = db.prepare('INSERT INTO items (url) VALUES (?)');
    for (const rkey of ['kept', 'twice', 'twice']) insert.run(permalink('did:plc:a', rkey));
    const problems: string[] = [];
    expect(auditStream(db, stream, problems)).toEqual({ posts: 4, mustStore: 2, stored: 3 });
    expect(problems).toEqual([`stream post ${permalink('did:plc:a', 'twice')} (noise) is stored 2 times`, `1 stream posts that must be stored are not: ${permalink('did:plc:a', 'lost')} (claim)`]);
  });

  it('say a stream has caught up only once its cursor reaches the last event it is sent', async () => {
    stream = await startStreamWorld({ modes: ['authors', 'firehose'], accounts: ['ssi'] });
    const official = stream.accounts[0]!.did;
    const first = stream.post({ did: official, rkey: 'a', text: 'a' }, true, 'chatter');
    const second = stream.post({ did: 'did:plc:someone', rkey: 'b', text: 'b' }, false, 'noise');
    const db = ledger();
    db.prepare('INSERT INTO sources VALUES (?, ?), (?, ?)').run('stream-authors', String(first), 'stream-firehose', String(first));
    expect(streamsCaughtUp(db, stream)).toBe(false);
    db.prepare('UPDATE sources SET cursor = ? WHERE id = ?').run(String(second), 'stream-firehose');
    // Authors mode is sent the official account's posts only.
    expect(streamsCaughtUp(db, stream)).toBe(true);
  });

  it("the stream's noise passes no prefilter; its claims, signing and official chatter are what must be stored", () => {
    const prefilter = streamPrefilter({ config: loadConfig(PACKAGED_CONFIG_DIR) });
    expect(Array.from({ length: 1_000 }, (_, i) => noisePost(i).text).filter(prefilter)).toEqual([]);
    expect(STREAM_STORY.map((s) => s.post.text).filter((t) => !prefilter(t))).toEqual([]);
    // Chatter is stored because its author is followed, not because it names anyone.
    expect(prefilter(chatterPost('did:plc:x', 1).text)).toBe(false);
  });
});
