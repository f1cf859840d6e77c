// `npm run world`: starts the local news world (world/world.ts) and leaves it running: the feed
// server following the CAISI story among noise, the Bluesky entryway, and a local PDS. It prints
// the environment that points `pactwatch run` at it. Ctrl-C stops it.
//   PACTWATCH_WORLD_SPEED  simulated minutes per real second (default 1: the story in ~5 minutes)
//   PACTWATCH_WORLD_FAULTS chance (0–1) that a feed request fails (default 0)
import { DAEMON_NODE_FLAGS } from '../src/node-flags.js';
import { QUIET_UNTIL, STORY, STORY_END } from '../world/story.js';
import { startWorld } from '../world/world.js';

const speed = Number(process.env.PACTWATCH_WORLD_SPEED ?? 1);
const world = await startWorld({ noisePerHour: 300, untilMinute: 24 * 60, startMinute: QUIET_UNTIL - 10 });
world.feeds.faultRate = Number(process.env.PACTWATCH_WORLD_FAULTS ?? 0);
const env = world.env('data/world.db', 8080);
const out = process.stderr;
out.write(`pactwatch world: feeds at ${world.feeds.url}/feeds/…, Bluesky at ${world.bskyService}, config in ${world.configDir}\n\n`);
out.write('Run the daemon against it (in another terminal, from the project folder):\n\n  ');
out.write(Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' '));
out.write(` node ${DAEMON_NODE_FLAGS.join(' ')} dist/src/bin.js run\n\n`);
out.write(`The clock starts when you press Enter (give the daemon a first, silent poll), then runs at ${speed} simulated minute(s) a second.\n`);
out.write(`The story: ${STORY.map((e) => `${e.at} ${e.id}`).join(', ')}; it ends at minute ${STORY_END}.\n`);
process.stdin.once('data', () => {
  world.clock.run(speed);
  out.write('clock running\n');
});
const timer = setInterval(() => out.write(`simulated minute ${world.clock.minute().toFixed(0)}; feed requests: ${JSON.stringify(Object.fromEntries(world.feeds.served))}\n`), 30_000);
process.once('SIGINT', () => {
  clearInterval(timer);
  void world.close().then(() => process.exit(0));
});
