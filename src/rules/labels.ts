// The expected assertions of a labelled line, in either form `rules eval` reads: the project's
// ({tracker, party, status, modality?, historical?}, ids) or the real corpus's ({agreement,
// party, status, historical}, display names, with `hypothetical` and `mentioned` labels that
// assert nothing). Names map to ids through the config's trackers, never through code.
import type { Tracker } from '../config/types.js';
import { ASSERTED_STATUSES, MODALITIES } from '../model/assertion.js';

export interface Labelled {
  tracker: string;
  party: string;
  status: string;
  modality: string;
  historical: boolean;
}

/** A line's labels: those to score, and the traps (a party named with an agreement but no status asserted). */
export interface Labels {
  expected: Labelled[];
  /** `tracker/party` pairs that must get no asserted status (the real corpus's `hypothetical`). */
  traps: string[];
  /** Whether the line is in the real corpus's form: then only asserted statuses are scored, historical aside. */
  real: boolean;
}

const NO_STATUS = ['hypothetical', 'mentioned'];

const fold = (s: string) => s.normalize('NFKC').toLowerCase().trim();

/** Finds trackers and parties by the names the real corpus uses: an id, a name or an alias. */
export class NameMap {
  private readonly trackers = new Map<string, Tracker>();
  private readonly parties = new Map<string, Map<string, string>>();

  constructor(trackers: Tracker[]) {
    for (const t of trackers) {
      for (const n of [t.id, t.name, ...t.agreement.aliases.map((a) => a.text)]) if (!this.trackers.has(fold(n))) this.trackers.set(fold(n), t);
      const byName = new Map<string, string>();
      for (const p of t.parties) for (const n of [p.id, p.name, ...p.aliases.map((a) => a.text)]) if (!byName.has(fold(n))) byName.set(fold(n), p.id);
      this.parties.set(t.id, byName);
    }
  }

  tracker(name: string): Tracker | undefined {
    return this.trackers.get(fold(name));
  }

  /** The party's id in `tracker`, or the name as given when the tracker does not know it (a label no rule can meet). */
  party(tracker: string, name: string): string {
    return this.parties.get(tracker)?.get(fold(name)) ?? name;
  }
}

/** The labels of line `lineNo`, or what is wrong with them. */
export function parseLabels(value: unknown, lineNo: number, names: NameMap): Labels | string {
  if (!Array.isArray(value)) return `line ${lineNo}: "expected" must be an array`;
  const labels: Labels = { expected: [], traps: [], real: false };
  for (const [i, e] of value.entries()) {
    const o = (e ?? {}) as Record<string, unknown>;
    const where = `line ${lineNo}: expected[${i}]`;
    if (o.historical !== undefined && typeof o.historical !== 'boolean') return `${where}: "historical" must be true or false`;
    const historical = o.historical === true;
    if (typeof o.agreement === 'string' && typeof o.party === 'string') {
      labels.real = true;
      const asserted = ASSERTED_STATUSES.includes(o.status as never);
      if (!asserted && !NO_STATUS.includes(o.status as string)) return `${where}: "status" must be one of ${[...ASSERTED_STATUSES, ...NO_STATUS].join(', ')}`;
      // An agreement no tracker watches is nothing to score here.
      const tracker = names.tracker(o.agreement);
      if (!tracker) continue;
      const party = names.party(tracker.id, o.party);
      if (asserted) labels.expected.push({ tracker: tracker.id, party, status: o.status as string, modality: 'asserted', historical });
      else if (o.status === 'hypothetical') labels.traps.push(`${tracker.id}/${party}`);
      continue;
    }
    if (typeof o.tracker !== 'string' || typeof o.party !== 'string') return `${where}: needs "tracker" and "party" (or "agreement" and "party")`;
    if (!ASSERTED_STATUSES.includes(o.status as never)) return `${where}: "status" must be one of ${ASSERTED_STATUSES.join(', ')}`;
    const modality = o.modality ?? 'asserted';
    if (!MODALITIES.includes(modality as never)) return `${where}: "modality" must be one of ${MODALITIES.join(', ')}`;
    labels.expected.push({ tracker: o.tracker, party: o.party, status: o.status as string, modality: modality as string, historical });
  }
  return labels;
}
