// The dry-run publisher: prints each post to stderr instead of sending it.
import type { AlertRow } from '../store/store.js';

export interface Publisher {
  readonly name: string;
  /** Sends one alert; returns the post's URI, or undefined for a dry run. */
  publish(alert: AlertRow): Promise<{ state: 'sent' | 'dry-run'; uri?: string }>;
}

export function dryRunPublisher(write: (line: string) => void = (l) => process.stderr.write(l)): Publisher {
  return {
    name: 'dry-run',
    async publish(alert) {
      write(`[dry-run] alert ${alert.id} (${alert.tracker}/${alert.party} → ${alert.status}):\n${alert.text}\n\n`);
      return { state: 'dry-run' };
    },
  };
}
