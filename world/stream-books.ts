// The stream's side of the books, read from the daemon's database: how far each stream source has
// read (its cursor, the time_us of the last event fully processed), and whether every post the
// stream made that must be stored is stored exactly once, and none twice.
import type Database from 'better-sqlite3';
import type { StreamWorld } from './stream-world.js';

/** Each stream source's cursor (time_us), or null where it has none yet. */
export function streamCursors(db: Database.Database, ids: readonly string[]): Map<string, number | null> {
  const rows = db.prepare(`SELECT id, cursor FROM sources WHERE id IN (${ids.map(() => '?').join(', ')})`).all(...ids) as { id: string; cursor: string | null }[];
  return new Map(ids.map((id) => {
    const cursor = rows.find((r) => r.id === id)?.cursor;
    return [id, cursor ? Number(cursor) : null];
  }));
}

/** The stream sources of the world, with the time_us of the last event each must read. */
export function streamTargets(stream: StreamWorld): { id: string; lastUs: number | undefined }[] {
  const out: { id: string; lastUs: number | undefined }[] = [];
  if (stream.sourceIds.authors) out.push({ id: stream.sourceIds.authors, lastUs: stream.jetstream.lastTimeUs(stream.accounts.map((a) => a.did)) });
  if (stream.sourceIds.firehose) out.push({ id: stream.sourceIds.firehose, lastUs: stream.jetstream.lastTimeUs() });
  return out;
}

/** True once every stream source has a cursor (its first run is done) … */
export function streamsStarted(db: Database.Database, stream: StreamWorld): boolean {
  const targets = streamTargets(stream);
  const cursors = streamCursors(db, targets.map((t) => t.id));
  return targets.every((t) => cursors.get(t.id) != null);
}

/** … and once each has read up to the last event the generator holds for it. */
export function streamsCaughtUp(db: Database.Database, stream: StreamWorld): boolean {
  const targets = streamTargets(stream);
  const cursors = streamCursors(db, targets.map((t) => t.id));
  return targets.every((t) => {
    const cursor = cursors.get(t.id);
    return cursor != null && (t.lastUs === undefined || cursor >= t.lastUs);
  });
}

/** How often each of `urls` is stored as an item's url (one read of the items). */
export function storedCounts(db: Database.Database, urls: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>(urls.map((u) => [u, 0]));
  for (const { url } of db.prepare('SELECT url FROM items').iterate() as Iterable<{ url: string | null }>) {
    const n = url === null ? undefined : counts.get(url);
    if (n !== undefined) counts.set(url!, n + 1);
  }
  return counts;
}

/** Every post that must be stored is stored once; no post is stored twice. Adds to `problems`. */
export function auditStream(db: Database.Database, stream: StreamWorld, problems: string[]): { posts: number; mustStore: number; stored: number } {
  const counts = storedCounts(db, stream.made.map((p) => p.url));
  let stored = 0;
  const lost: string[] = [];
  for (const post of stream.made) {
    const n = counts.get(post.url) ?? 0;
    stored += n;
    if (n > 1) problems.push(`stream post ${post.url} (${post.role}) is stored ${n} times`);
    else if (post.mustStore && n === 0) lost.push(`${post.url} (${post.role})`);
  }
  if (lost.length) problems.push(`${lost.length} stream posts that must be stored are not: ${lost.slice(0, 5).join(', ')}${lost.length > 5 ? ', …' : ''}`);
  return { posts: stream.made.length, mustStore: stream.made.filter((p) => p.mustStore).length, stored };
}
