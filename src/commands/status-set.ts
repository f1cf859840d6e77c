// `pactwatch status set TRACKER PARTY STATUS --evidence URL`: a maintainer's audited correction.
import { userInfo } from 'node:os';
import { realDeps, type Deps } from '../app.js';
import type { Runtime } from '../config/settings.js';
import { UsageError } from '../errors.js';
import { PARTY_STATUSES, type PartyStatus } from '../model/party.js';
import { setStatus } from '../pipeline/manual.js';
import { openCommandApp } from './open.js';
import { note, transitionLine } from './output.js';

export interface Correction {
  tracker: string;
  party: string;
  status: string;
  evidence: string;
  note?: string | undefined;
}

export async function statusSet(runtime: Runtime, args: Correction, deps: Deps = realDeps()): Promise<void> {
  if (!(PARTY_STATUSES as readonly string[]).includes(args.status)) {
    throw new UsageError(`status must be one of ${PARTY_STATUSES.join(', ')}, not "${args.status}"`);
  }
  try {
    const u = new URL(args.evidence);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http');
  } catch {
    throw new UsageError(`--evidence must be an http(s) URL, not "${args.evidence}"`);
  }
  const app = openCommandApp(runtime, { writer: false }, deps);
  try {
    const tracker = app.config.trackers.find((t) => t.id === args.tracker);
    if (!tracker) throw new UsageError(`unknown tracker "${args.tracker}" (known: ${app.config.trackers.map((t) => t.id).join(', ')})`);
    if (!tracker.parties.some((p) => p.id === args.party)) {
      throw new UsageError(`unknown party "${args.party}" in ${tracker.id} (known: ${tracker.parties.map((p) => p.id).join(', ')})`);
    }
    const { transition, alert } = setStatus(app, {
      tracker: args.tracker,
      party: args.party,
      status: args.status as PartyStatus,
      evidence: args.evidence,
      note: args.note,
      actor: userInfo().username || 'maintainer',
      at: deps.now(),
    });
    note(transitionLine(transition));
    if (alert !== undefined) note(`alert ${alert} queued; the next \`pactwatch once\` or the running daemon publishes it`);
  } finally {
    await app.close();
  }
}
