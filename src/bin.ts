#!/usr/bin/env node
// The installed `pactwatch` command.
import { main } from './cli.js';

await main(process.argv);
