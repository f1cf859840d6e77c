#!/usr/bin/env -S node --max-semi-space-size=4 --optimize-for-size
// The installed `pactwatch` command. Its first line gives node the flags the daemon runs with
// (src/node-flags.ts): a replay of 100k items peaks near 115 MB with them, 160 MB without.
import { main } from './cli.js';

await main(process.argv);
