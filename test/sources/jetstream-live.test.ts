import { afterEach, describe, expect, it } from 'vitest';
import type { Source } from '../../src/config/types.js';
import type { StreamStatus } from '../../src/model/stream.js';
import { REWIND_US } from '../../src/sources/jetstream.js';
import { startStream, type LiveDeps, type LiveStream, type StreamBatch } from '../../src/sources/jetstream-live.js';
import { startJetstreamServer, type JetstreamServer, type ServerBehaviour } from '../helpers/jetstream-server.js';

const DID = 'did:plc:someoneposting00000000000';
const servers: JetstreamServer[] = [];
const streams: LiveStream[] = [];
afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.stop()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function post(n: number, timeUs: number, text = `Meta and CAISI, post ${n}`): Record<string, unknown> {
  const rkey = `3lpost${String(n).padStart(7, '0')}`;
  return { did: DID, time_us: timeUs, kind: 'commit', commit: { rev: rkey, operation: 'create', collection: 'app.bsky.feed.post', rkey, record: { $type: 'app.bsky.feed.post', createdAt: new Date(timeUs / 1000).toISOString(), text } } };
}
const rkeyOf = (id: string) => Number(id.slice(-7));

async function server(frames: Record<string, unknown>[] = [], behaviour: ServerBehaviour = {}): Promise<JetstreamServer> {
  const s = await startJetstreamServer(frames, behaviour);
  servers.push(s);
  return s;
}

function source(urls: string[], extra: Partial<Source> = {}): Source {
  return { id: 'live', kind: 'bluesky-stream', urls, mode: 'firehose', trust: 'social', publisher: 'jetstream', where: { file: 't' }, ...extra };
}

/** A stream whose batches are stored in memory, as the daemon stores them in the database. */
function stream(src: Source, options: Partial<LiveDeps> & { stored?: number | undefined } = {}) {
  const batches: StreamBatch[] = [];
  let cursor = options.stored;
  const live = startStream(src, {
    now: () => new Date(),
    random: () => 0.5,
    accounts: new Map(),
    prefilter: () => true,
    allowPrivateNetwork: true,
    cursor: () => cursor,
    tuning: { settleMs: 300, backoffMs: 20 },
    ...options,
    onBatch: async (batch) => {
      await options.onBatch?.(batch);
      batches.push(batch);
      cursor = batch.cursorUs;
    },
  });
  streams.push(live);
  return { live, batches, items: () => batches.flatMap((b) => b.items), cursor: () => cursor };
}

async function until(what: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !what(); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what.toString()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('a live bluesky-stream connection', () => {
  it('reads from the stored cursor minus the rewind, in order, and goes from catching-up to live; disconnected, its lag grows', async () => {
    const t0 = Date.now() * 1000 - 60_000_000;
    const js = await server([post(1, t0 + 1_000), post(2, t0 + 2_000), post(3, t0 + 3_000)]);
    let offsetMs = 0;
    const seen: StreamStatus[] = [];
    let s!: ReturnType<typeof stream>;
    s = stream(source([js.url]), {
      stored: t0,
      now: () => new Date(Date.now() + offsetMs),
      // Waits until stopped: the test sees the stream disconnected.
      sleep: (_ms, signal) => new Promise((r) => signal.addEventListener('abort', () => r())),
      onBatch: () => void seen.push(s.live.status()),
    });
    expect(s.live.status().phase).toBe('connecting');
    await until(() => s.live.status().phase === 'live');
    expect(js.requests[0]!.searchParams.get('cursor')).toBe(String(t0 - REWIND_US));
    expect(s.items().map((i) => rkeyOf(i.id))).toEqual([1, 2, 3]);
    expect(s.cursor()).toBe(t0 + 3_000);
    // While the batch from a minute ago is stored, the stream is a minute behind.
    expect(seen[0]).toMatchObject({ phase: 'catching-up', endpoint: js.url });
    expect(seen[0]!.lagSeconds).toBeGreaterThan(55);
    // A quiet connection that answers is at the present.
    const live = s.live.status();
    expect(live.lagSeconds).toBeLessThan(1);
    expect(live).toMatchObject({ events: 3, lastEventAt: new Date((t0 + 3_000) / 1000).toISOString(), lastError: null, reconnects: 0 });
    // Being at the present shows in the lag only: the cursor stored is still the last event's time.
    js.publish(post(4, t0 + 4_000));
    await until(() => s.items().length === 4);
    expect(s.cursor()).toBe(t0 + 4_000);

    js.drop();
    await until(() => s.live.status().phase === 'waiting');
    const dropped = s.live.status();
    expect(dropped.lastError).toMatch(new RegExp(`^${js.url}: the connection closed`));
    expect(dropped.retryAt).not.toBeNull();
    offsetMs = 30_000;
    expect(s.live.status().lagSeconds).toBeGreaterThan(dropped.lagSeconds + 29);
  });

  it('on its first run stores the present silently and reads nothing from before it', async () => {
    const nowUs = Date.now() * 1000;
    const js = await server([post(1, nowUs - 2_000_000)]);
    const s = stream(source([js.url]));
    await until(() => s.batches.length > 0);
    expect(s.batches[0]).toMatchObject({ items: [], first: true });
    expect(s.batches[0]!.cursorUs).toBeGreaterThanOrEqual(nowUs);
    js.publish(post(2, Date.now() * 1000));
    await until(() => s.items().length > 0);
    expect(s.items().map((i) => rkeyOf(i.id))).toEqual([2]);
    expect(s.batches.slice(1).every((b) => !b.first)).toBe(true);
  });

  it('tries its urls in turn with jittered exponential back-off, reset after a connection that delivered events', async () => {
    const t0 = Date.now() * 1000 - 10_000_000;
    const refusing = await server([], { refuse: true });
    const alsoRefusing = await server([], { refuse: true });
    const good = await server([post(1, t0 + 1_000)]);
    const waits: number[] = [];
    const s = stream(source([refusing.url, alsoRefusing.url, good.url]), { stored: t0, random: () => 0, sleep: async (ms) => void waits.push(ms) });
    await until(() => s.items().length === 1);
    expect(waits).toEqual([10, 20]);
    expect(s.live.status().reconnects).toBe(2);
    expect(s.live.status().lastError).toMatch(new RegExp(`^${alsoRefusing.url.replace(/[.?]/g, '\\$&')}: `));
    good.drop();
    await until(() => good.requests.length === 2);
    // The good connection reset the back-off; each new one resumes from the stored cursor.
    expect(waits).toEqual([10, 20, 10, 20, 40]);
    expect(good.requests[1]!.searchParams.get('cursor')).toBe(String(t0 + 1_000 - REWIND_US));
    expect(s.items()).toHaveLength(1);
  });

  it('reconnects a stalled connection when its watchdog finds no byte, after a ping went unanswered', async () => {
    const t0 = Date.now() * 1000 - 10_000_000;
    const stalled = await server([], { stall: true });
    const good = await server([post(1, t0 + 1_000)]);
    const s = stream(source([stalled.url, good.url], { watchdog: 0.4 }), { stored: t0 });
    await until(() => s.items().length === 1);
    expect(s.live.status().lastError).toMatch(/: no byte for \d+ s \(watchdog 0\.4 s\)$/);
    expect(s.live.status().reconnects).toBe(1);
  });

  it('gives up on an upgrade request never answered after the watchdog, and tries the next endpoint', async () => {
    const t0 = Date.now() * 1000 - 10_000_000;
    const mute = await server([], { mute: true });
    const good = await server([post(1, t0 + 1_000)]);
    const s = stream(source([mute.url, good.url], { watchdog: 0.3 }), { stored: t0 });
    await until(() => s.items().length === 1);
    expect(s.live.status().lastError).toMatch(/: no answer to the WebSocket upgrade for \d+ s \(watchdog 0\.3 s\)$/);
  });

  it('keeps a quiet connection that answers its pings, and counts it at the present', async () => {
    const js = await server();
    const s = stream(source([js.url], { watchdog: 0.3 }), { stored: Date.now() * 1000 });
    await until(() => js.pings >= 3);
    expect(js.requests).toHaveLength(1);
    expect(s.live.status()).toMatchObject({ phase: 'live', reconnects: 0, lastError: null });
  });

  it('after a connection closed mid-frame, resumes from the stored cursor and loses and repeats nothing', async () => {
    const t0 = Date.now() * 1000 - 10_000_000;
    const frames = Array.from({ length: 50 }, (_, i) => post(i + 1, t0 + (i + 1) * 1_000));
    const js = await server(frames, { dropAfter: [20] });
    const s = stream(source([js.url]), { stored: t0, tuning: { settleMs: 300, backoffMs: 20, batchFrames: 7 } });
    await until(() => s.cursor() === t0 + 50_000);
    expect(s.items().map((i) => rkeyOf(i.id))).toEqual(frames.map((_, i) => i + 1));
    expect(js.requests).toHaveLength(2);
    const resumedAt = Number(js.requests[1]!.searchParams.get('cursor')) + REWIND_US;
    expect(resumedAt).toBe(t0 + 20_000);
    expect(s.live.status().lastError).toMatch(/the connection closed/);
  });

  it('stopped while a batch is being stored, finishes that batch and stores nothing after it', async () => {
    const t0 = Date.now() * 1000 - 10_000_000;
    const js = await server(Array.from({ length: 40 }, (_, i) => post(i + 1, t0 + i + 1)));
    let release!: () => void;
    let storing!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const started = new Promise<void>((r) => (storing = r));
    const s = stream(source([js.url]), {
      stored: t0,
      tuning: { settleMs: 300, batchFrames: 10 },
      onBatch: async () => {
        storing();
        await held;
      },
    });
    await started;
    const stopped = s.live.stop();
    release();
    await stopped;
    // The batch in hand was stored whole; the frames queued behind it were dropped, to be read again from the cursor.
    expect(s.batches).toHaveLength(1);
    const batch = s.batches[0]!;
    expect(batch.cursorUs).toBe(t0 + batch.items.length);
    expect(s.cursor()).toBe(batch.cursorUs);
    expect(s.live.status().phase).toBe('stopped');
  });

  it('a server whose clock is behind sends events from before the cursor: none is read twice and the cursor never goes back', async () => {
    const t0 = Date.now() * 1000 - 60_000_000;
    const frames = Array.from({ length: 20 }, (_, i) => post(i + 1, t0 - 30_000_000 + i * 3_000_000));
    const js = await server(frames, { rewindUs: 60_000_000 });
    const s = stream(source([js.url]), { stored: t0 });
    await until(() => s.live.status().events === 20);
    const cursors = s.batches.map((b) => b.cursorUs);
    expect(cursors.every((c, i) => c >= t0 && (i === 0 || c >= cursors[i - 1]!))).toBe(true);
    expect(new Set(s.items().map((i) => i.id)).size).toBe(s.items().length);
  });
});

describe('a live stream that cannot give what was asked', () => {
  it('calls onGap for a stored cursor older than the retention', async () => {
    const js = await server();
    const gaps: [string, string][] = [];
    const stored = Date.now() * 1000 - 120_000_000;
    stream(source([js.url], { retention: 60 }), { stored, onGap: (from, to) => void gaps.push([from, to]) });
    await until(() => gaps.length === 1);
    expect(gaps[0]![0]).toBe(new Date(stored / 1000).toISOString());
    expect(Date.parse(gaps[0]![1])).toBeGreaterThanOrEqual(Date.now() - 61_000);
  });

  it('calls onGap in firehose mode when the first event comes long after the cursor asked for', async () => {
    const t0 = Date.now() * 1000 - 600_000_000;
    const js = await server([post(1, t0 + 120_000_000)]);
    const gaps: [string, string][] = [];
    const s = stream(source([js.url]), { stored: t0, onGap: (from, to) => void gaps.push([from, to]) });
    await until(() => s.items().length === 1);
    expect(gaps).toEqual([[new Date((t0 - REWIND_US) / 1000).toISOString(), new Date((t0 + 120_000_000) / 1000).toISOString()]]);
  });
});

describe('back-pressure', () => {
  it('pauses the socket when processing falls behind, holds the queue near its high mark, and processes every event in order', async () => {
    const count = 30_000;
    const t0 = Date.now() * 1000 - 600_000_000;
    const frames = Array.from({ length: count }, (_, i) => post(i + 1, t0 + i + 1, `Meta and CAISI ${'x'.repeat(200)}`));
    const frameBytes = JSON.stringify(frames[0]).length;
    const js = await server(frames);
    const highFrames = 500;
    let order = true;
    let last = 0;
    const s = stream(source([js.url]), {
      stored: t0,
      tuning: { settleMs: 300, highFrames, lowFrames: 100, batchFrames: 100 },
      onBatch: async (batch) => {
        for (const item of batch.items) order &&= rkeyOf(item.id) === ++last;
        await new Promise((r) => setTimeout(r, 2));
      },
    });
    await until(() => s.cursor() === t0 + count, 60_000);
    expect(order).toBe(true);
    expect(last).toBe(count);
    const q = s.live.queue();
    expect(q.pauses).toBeGreaterThan(0);
    // Beyond the high mark only what the socket had read when it was paused: one read of 64 KiB
    // and the socket's own buffer.
    expect(q.peakFrames).toBeLessThanOrEqual(highFrames + Math.ceil((64 * 1024 + 16 * 1024) / frameBytes));
    // The server felt it: its writes waited for the client.
    expect(js.sent.waits).toBeGreaterThan(0);
  });
});
