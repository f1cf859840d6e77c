// A live Bluesky stream's state as the daemon's HTTP surface shows it (/metrics, /healthz, the
// sources page): made by the stream's connection, read by the web server.

/**
 * `connecting`: an endpoint is being tried; `catching-up`: connected and reading the past (after
 * its cursor); `live`: connected and reading at the present; `waiting`: disconnected, the next
 * attempt is at `retryAt`; `stopped`: the daemon is stopping.
 */
export type StreamPhase = 'connecting' | 'catching-up' | 'live' | 'waiting' | 'stopped';

export interface StreamStatus {
  sourceId: string;
  phase: StreamPhase;
  /** The endpoint connected to, or being tried. */
  endpoint: string | null;
  /** Seconds behind the present: now minus the time up to which every event is processed. */
  lagSeconds: number;
  /** The source's `maxLag`: /healthz fails beyond it. */
  maxLagSeconds: number;
  /** The time (time_us, as ISO) of the last event processed. */
  lastEventAt: string | null;
  /** Since the daemon started: connections made after the first. */
  reconnects: number;
  /** Since the daemon started: events processed (posts and the rest). */
  events: number;
  /** Since the daemon started: posts put to the firehose prefilter, and how many it let through. */
  prefiltered: number;
  prefilterHits: number;
  /** The socket is paused because extraction is behind. */
  paused: boolean;
  /** Why the last connection ended or failed, if it did. */
  lastError: string | null;
  /** While `waiting`: when the next attempt is made. */
  retryAt: string | null;
}

/** A stream's status before its first connection. */
export function initialStatus(sourceId: string, maxLagSeconds: number): StreamStatus {
  return { sourceId, phase: 'connecting', endpoint: null, lagSeconds: 0, maxLagSeconds, lastEventAt: null, reconnects: 0, events: 0, prefiltered: 0, prefilterHits: 0, paused: false, lastError: null, retryAt: null };
}
