// Stream sources and their live status as a test sets them: the interface the daemon's stream
// connection hands the web server, filled in by hand (no connection runs).
import type { Source } from '../../src/config/types.js';
import type { StreamStatus } from '../../src/model/stream.js';

/** A configured bluesky-stream source. */
export function streamSource(id: string, mode: 'authors' | 'firehose' = 'firehose'): Source {
  return { id, kind: 'bluesky-stream', url: 'ws://127.0.0.1:1/subscribe', mode, trust: 'social', publisher: 'bsky.app', where: { file: 'sources.yaml' } };
}

/** A configured rss source. */
export function feedSource(id: string): Source {
  return { id, kind: 'rss', url: `https://${id}.example/feed`, trust: 'press', publisher: `${id}.example`, where: { file: 'sources.yaml' } };
}

/** A live, current stream; override what the test is about. */
export function streamStatus(over: Partial<StreamStatus> & { sourceId: string }): StreamStatus {
  return {
    phase: 'live',
    endpoint: 'ws://127.0.0.1:1/subscribe',
    lagSeconds: 1,
    maxLagSeconds: 300,
    lastEventAt: null,
    reconnects: 0,
    events: 0,
    prefiltered: 0,
    prefilterHits: 0,
    paused: false,
    lastError: null,
    retryAt: null,
    ...over,
  };
}
