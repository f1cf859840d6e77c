// The dry-run publisher: prints each post to stderr instead of sending it.
import { FICTIONAL_NOTE, type AlertRow, type Retraction } from '../model/alert.js';

/**
 * What became of one attempt to publish an alert:
 * - `sent` / `dry-run`: done;
 * - `retry`: not posted, safe to try again later (the alert stays queued): at `retryAt` when the
 *   wait is known (a rate budget, Retry-After), else after a back-off;
 * - `held`: something unexpected is already at the alert's record key: a person must look;
 * - `failed`: refused for good.
 */
export interface PublishResult {
  state: 'sent' | 'dry-run' | 'retry' | 'held' | 'failed';
  uri?: string | undefined;
  error?: string | undefined;
  /** For `retry`: a known time before which trying again is pointless (a rate limit, the write budget, the login cap). Not a failed attempt. */
  retryAt?: Date | undefined;
  /** For `retry`: the publisher's own back-off for a failed attempt, when it knows better than the outbox's. */
  retryAfterMs?: number | undefined;
}

export interface Publisher {
  readonly name: string;
  publish(alert: AlertRow): Promise<PublishResult>;
  /** Takes back a sent post (delete it, or reply with a correction). */
  retract?(alert: AlertRow, how: Retraction): Promise<void>;
}

export function dryRunPublisher(write: (line: string) => void = (l) => process.stderr.write(l)): Publisher {
  return {
    name: 'dry-run',
    async publish(alert) {
      write(dryRunText(alert));
      return { state: 'dry-run' };
    },
  };
}

/** The post an alert would make, as the dry run prints it; a fictional one says it is never posted. */
export function dryRunText(alert: AlertRow): string {
  return `[dry-run] alert ${alert.id} (${alert.tracker}/${alert.party} → ${alert.status})${alert.fictional ? `, ${FICTIONAL_NOTE}` : ''}:\n${alert.text}\n\n`;
}
