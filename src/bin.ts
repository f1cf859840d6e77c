#!/usr/bin/env -S node --max-semi-space-size=4 --optimize-for-size
// The installed `pactwatch` command. Its first line gives node the flags the daemon runs with
// (src/node-flags.ts): without them, a replay of 100k items peaks about 60 MB higher (196 MB
// against 138).
import { main } from './cli.js';

await main(process.argv);
