// What the commands write: stdout and stderr lines, and the JSON shapes of transitions and alerts (contract).
import type { Store } from '../store/store.js';
import type { AlertRow } from '../model/alert.js';
import type { TransitionRow } from '../model/ledger.js';

/** One line to stderr: progress, warnings, what a command did. */
export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Writes to stdout, waiting while the reader is behind (extract streams any number of lines). */
export function write(text: string): Promise<void> {
  return new Promise((resolve) => (process.stdout.write(text) ? resolve() : process.stdout.once('drain', resolve)));
}

export function transitionJson(t: TransitionRow, store: Store) {
  return {
    id: t.id,
    tracker: t.tracker,
    party: t.party,
    from: t.from,
    to: t.to,
    at: t.at,
    kind: t.kind,
    reason: t.reason,
    evidence: t.kind === 'manual' ? [{ url: t.evidenceUrl, publisher: 'maintainer', quote: t.note ?? '' }] : store.transitionEvidence(t.id).map((e) => ({ url: e.url, publisher: e.publisher, quote: e.quote })),
  };
}

export function alertJson(a: AlertRow) {
  return {
    id: a.id,
    tracker: a.tracker,
    party: a.party,
    status: a.status,
    state: a.state,
    text: a.text,
    createdAt: a.createdAt,
    ...(a.uri ? { uri: a.uri } : {}),
  };
}

/** A transition in one line, as replay and `status set` report it. */
export function transitionLine(t: TransitionRow): string {
  return `${t.at.slice(0, 10)}  ${t.tracker}/${t.party}: ${t.from} → ${t.to} (${t.kind}; ${t.reason})`;
}
