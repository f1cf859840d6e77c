// A child for the exactly-once test: drains the outbox to Bluesky as the daemon does, writing
// what it is doing to TRACE as it goes (one line a step, on disk before the step), and kills
// itself (SIGKILL) either right after the Nth create call returns (before the outbox is marked)
// or MS milliseconds after its Jth publish began.
// Usage: publish-child.mjs DB SERVICE HANDLE PASSWORD TRACE (after:N | during:J:MS | none)
// TRACE lines: `publishing ID AT`, `request NSID`, `answered NSID STATUS`, `published ID STATE AT`
// (AT: the child's clock, in ms since the epoch).
import { openSync, writeSync } from 'node:fs';
import { openDatabase } from '../../dist/src/store/db.js';
import { Store } from '../../dist/src/store/store.js';
import { BlueskyPublisher } from '../../dist/src/publish/bluesky/publisher.js';
import { drainOutbox } from '../../dist/src/publish/outbox.js';

const [db, service, identifier, password, tracePath, kill = 'none'] = process.argv.slice(2);
const [how, n, ms] = kill.split(':');
const trace = openSync(tracePath, 'a');
// Synchronous, so that a line is in the file before the step it names can be killed.
const mark = (line) => writeSync(trace, `${line}\n`);

// While an alert waits out its back-off, the clock moves on a second at a time without the test
// waiting: the outbox's own rule decides when it is tried again, as in the daemon.
const TICK_MS = 1_000;
const DAY_MS = 86_400_000;
let skipped = 0;
const now = () => new Date(Date.now() + skipped);

const nsid = (input) => new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url).pathname.replace('/xrpc/', '');
const traced = async (input, init) => {
  const call = nsid(input);
  mark(`request ${call}`);
  const res = await fetch(input, init);
  mark(`answered ${call} ${res.status}`);
  return res;
};

let publishes = 0;
let published = 0;
const store = new Store(openDatabase(db), now);
const bluesky = new BlueskyPublisher({ service, identifier, password }, store, { now, fetch: traced });
const publisher = {
  name: bluesky.name,
  async publish(alert) {
    mark(`publishing ${alert.id} ${now().getTime()}`);
    if (how === 'during' && ++publishes === Number(n)) setTimeout(() => process.kill(process.pid, 'SIGKILL'), Number(ms)).unref();
    const result = await bluesky.publish(alert);
    mark(`published ${alert.id} ${result.state} ${now().getTime()}`);
    return result;
  },
};
const probe = (step) => {
  if (step === 'published' && how === 'after' && ++published === Number(n)) process.kill(process.pid, 'SIGKILL');
};
// As the daemon does: drain, and while alerts wait, drain again later (a day at most).
for (let waited = 0; store.alerts('queued').length > 0 && waited <= DAY_MS; waited += TICK_MS) {
  await drainOutbox(store, publisher, { probe, now });
  skipped += TICK_MS;
}
store.db.close();
