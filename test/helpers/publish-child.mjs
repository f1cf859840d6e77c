// A child for the exactly-once test: drains the outbox to Bluesky, and kills itself (SIGKILL)
// either right after the Nth create call returns (before the outbox is marked) or after a
// random delay. Usage: publish-child.mjs DB SERVICE HANDLE PASSWORD (after:N | delay:MS | none)
import { openDatabase } from '../../dist/src/store/db.js';
import { Store } from '../../dist/src/store/store.js';
import { BlueskyPublisher } from '../../dist/src/publish/bluesky/publisher.js';
import { drainOutbox } from '../../dist/src/publish/outbox.js';

const [db, service, identifier, password, kill = 'none'] = process.argv.slice(2);
const [how, n] = kill.split(':');
if (how === 'delay') setTimeout(() => process.kill(process.pid, 'SIGKILL'), Number(n)).unref();
let published = 0;
const probe = (step) => {
  if (step === 'published' && how === 'after' && ++published === Number(n)) process.kill(process.pid, 'SIGKILL');
};
const store = new Store(openDatabase(db));
const publisher = new BlueskyPublisher({ service, identifier, password }, store);
// Drain until nothing is queued (a retry stops a drain; try again).
// Each restart stands for time passing: back-offs are not waited out here.
for (let round = 0; round < 20 && store.alerts('queued').length > 0; round++) await drainOutbox(store, publisher, { probe, ignoreBackoff: true });
store.db.close();
