import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'undici';
import { startJetstreamGenerator, type JetstreamGenerator } from '../../world/jetstream.js';

let generator: JetstreamGenerator | undefined;
afterEach(async () => {
  await generator?.close();
  generator = undefined;
});

const post = (did: string, i: number) => ({ did, rkey: `r${i}`, text: `post ${i}` });

/** Opens `url` and collects the events it sends until `count` have come. */
function read(url: string, count: number): Promise<{ did: string; time_us: number; commit: { rkey: string; record: { text: string } } }[]> {
  const events: { did: string; time_us: number; commit: { rkey: string; record: { text: string } } }[] = [];
  return new Promise((done, fail) => {
    const ws = new WebSocket(url);
    ws.onmessage = (m) => {
      events.push(JSON.parse(String(m.data)));
      if (events.length === count) {
        ws.close();
        done(events);
      }
    };
    ws.onerror = () => fail(new Error(`no connection to ${url}`));
  });
}

describe("the world's Jetstream", () => {
  it('sends the log from the cursor asked for, only the DIDs wanted, in time order', async () => {
    generator = await startJetstreamGenerator();
    const times = [0, 1, 2, 3, 4, 5].map((i) => generator!.post(post(i % 2 ? 'did:plc:odd' : 'did:plc:even', i)));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const events = await read(`${generator.url}?wantedCollections=app.bsky.feed.post&wantedDids=did:plc:even&cursor=${times[1]}`, 2);
    expect(events.map((e) => e.commit.rkey)).toEqual(['r2', 'r4']);
    expect(events.map((e) => e.time_us)).toEqual([times[2], times[4]]);
    expect(generator.countUpTo(times[3]!)).toBe(4);
    expect(generator.lastTimeUs(['did:plc:odd'])).toBe(times[5]);
  });

  it('without a cursor a subscriber gets only what is posted after it connects', async () => {
    generator = await startJetstreamGenerator();
    generator.post(post('did:plc:a', 0));
    const reading = read(generator.url, 1);
    // The subscriber is in place once the generator has seen its request (both in one step).
    while (generator.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    generator.post(post('did:plc:a', 1));
    expect((await reading).map((e) => e.commit.rkey)).toEqual(['r1']);
  });

  it('generating as fast as the socket takes them, every post reaches the reader in order, and no more than asked for are made', async () => {
    generator = await startJetstreamGenerator();
    const reading = read(generator.url, 5_000);
    const run = generator.generate('fastest', (i) => post('did:plc:a', i), 5_000);
    const events = await reading;
    expect(run.stop()).toBe(5_000);
    expect(generator.size()).toBe(5_000);
    expect(events.map((e) => e.commit.rkey)).toEqual(Array.from({ length: 5_000 }, (_, i) => `r${i}`));
    expect(events.every((e, i) => i === 0 || e.time_us > events[i - 1]!.time_us)).toBe(true);
  });
});
