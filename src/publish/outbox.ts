// Drains the outbox: each queued alert is handed to the publisher once, and its state recorded.
import type { AlertRow, Store } from '../store/store.js';
import type { Publisher } from './dry-run.js';

export async function drainOutbox(
  store: Store,
  publisher: Publisher,
  options: { limit?: number; probe?: (step: string) => void } = {},
): Promise<AlertRow[]> {
  const done: AlertRow[] = [];
  for (const alert of store.alerts('queued').slice(0, options.limit ?? Infinity)) {
    try {
      const result = await publisher.publish(alert);
      options.probe?.('published');
      store.setAlertState(alert.id, result.state, result.uri ? { uri: result.uri } : {});
    } catch (err) {
      store.setAlertState(alert.id, 'failed', { error: (err as Error).message });
    }
    done.push(store.alert(alert.id)!);
  }
  return done;
}
