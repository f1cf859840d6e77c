#!/usr/bin/env -S node --max-semi-space-size=4 --optimize-for-size --v8-pool-size=1
// The installed `pactwatch` command. Its first line gives node the flags the daemon runs with
// (src/node-flags.ts): without them, a replay peaks well above its memory budget
// (docs/performance.md).
import { main } from './cli.js';

await main(process.argv);
