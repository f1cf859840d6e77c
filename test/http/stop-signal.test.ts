import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { StopLink } from '../../src/http/stop-signal.js';

describe('StopLink', () => {
  it('the stop aborts every request in flight, and nothing of a request is kept once it has ended', () => {
    const stop = new AbortController();
    const link = new StopLink(stop.signal);
    const ended = Array.from({ length: 100 }, () => link.signal([new AbortController().signal]));
    for (const r of ended) r.release();
    const inFlight = link.signal([]);
    // One listener on the stop however many requests there were: nothing piles up on it.
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(1);
    stop.abort(new Error('stopping'));
    expect(inFlight.signal.aborted).toBe(true);
    expect((inFlight.signal.reason as Error).message).toBe('stopping');
    // Released requests were let go: the stop no longer reaches them.
    expect(ended.some((r) => r.signal.aborted)).toBe(false);
    // After the stop, a new request is aborted before it starts.
    expect(link.signal([]).signal.aborted).toBe(true);
  });

  it("a request's own signals (its deadline) abort it too", () => {
    const link = new StopLink(new AbortController().signal);
    const deadline = new AbortController();
    const request = link.signal([deadline.signal]);
    deadline.abort(new Error('deadline'));
    expect((request.signal.reason as Error).message).toBe('deadline');
    expect(link.signal([deadline.signal]).signal.aborted).toBe(true);
    expect(link.stopped).toBe(false);
  });
});
