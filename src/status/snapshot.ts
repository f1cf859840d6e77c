// The status table as `status --json` and `/api/status.json` show it (DESIGN.md contract), and as text.
import type { Config } from '../config/types.js';
import type { Citation, SourceStateRow } from '../model/ledger.js';
import type { PartyState } from '../model/party.js';
import type { EvidenceEntry, StatusJson } from '../model/status-json.js';

/** What the table reads from the ledger (the store has these). */
export interface StatusLedger {
  partyState(tracker: string, party: string): PartyState;
  /** The citations that support a party's status, newest first. */
  supportingEvidence(tracker: string, party: string, status: string): Citation[];
  evidenceByIds(ids: number[]): Citation[];
  sourceStates(): SourceStateRow[];
}

function toJson(e: Citation): EvidenceEntry {
  const entry: EvidenceEntry = { url: e.url, publisher: e.publisher, quote: e.quote, published: e.published, status: e.status };
  if (e.deletedAt !== null) entry.deleted = e.deletedAt;
  return entry;
}

/** From the store; `store` undefined means no database yet: config's initial statuses. */
export function statusSnapshot(config: Config, store: StatusLedger | undefined): StatusJson {
  const stored = new Map((store?.sourceStates() ?? []).map((s) => [s.id, s]));
  return {
    trackers: config.trackers.map((t) => ({
      id: t.id,
      name: t.name,
      parties: t.parties.map((p) => {
        const state = store?.partyState(t.id, p.id);
        const status = state?.status ?? p.initial?.status ?? 'unknown';
        const since = state ? (state.since?.toISOString() ?? null) : (p.initial?.since ?? null);
        const evidence = store && status !== 'unknown' ? store.supportingEvidence(t.id, p.id, status).map(toJson) : [];
        // The config's evidence stands behind an initial status that no item has re-affirmed.
        if (p.initial && p.initial.status === status) {
          evidence.push({ url: p.initial.evidence, publisher: 'config', quote: p.initial.note ?? `initial status: ${status}`, published: p.initial.since, status });
        }
        const reported = state?.reported
          ? { status: state.reported.status, since: state.reported.since.toISOString(), evidence: store!.evidenceByIds(state.reported.evidence).map(toJson) }
          : null;
        return { id: p.id, name: p.name, status, since, reported, evidence };
      }),
    })),
    sources: config.sources.map((s) => {
      const row = stored.get(s.id);
      // A stream reads as events come (contract: nextPoll null), whatever a scheduler stored for it.
      const nextPoll = s.kind === 'bluesky-stream' ? null : (row?.nextPoll ?? null);
      const source: StatusJson['sources'][number] = { id: s.id, kind: s.kind, lastSuccess: row?.lastSuccess ?? null, lastError: row?.lastError ?? null, nextPoll };
      if (row?.unreliableGuids) source.warning = row.unreliableGuids;
      if (row?.degraded) source.degraded = row.degraded;
      return source;
    }),
  };
}

/** The same table for people. */
export function formatStatus(s: StatusJson): string {
  const out: string[] = [];
  for (const t of s.trackers) {
    out.push(`${t.name} (${t.id})`);
    const width = Math.max(...t.parties.map((p) => p.name.length));
    for (const p of t.parties) {
      const since = p.since ? ` since ${p.since.slice(0, 10)}` : '';
      const reported = p.reported ? `  [reported: ${p.reported.status} since ${p.reported.since.slice(0, 10)}, ${p.reported.evidence.length} report(s)]` : '';
      out.push(`  ${p.name.padEnd(width)}  ${p.status.padEnd(11)}${since}${reported}`);
    }
    out.push('');
  }
  if (s.sources.length) {
    out.push('sources');
    for (const src of s.sources) {
      const stream = src.kind === 'bluesky-stream';
      const read = stream ? `last event ${src.lastSuccess ?? 'none yet'}` : `last success ${src.lastSuccess ?? 'never'}`;
      const next = stream ? 'reads continuously' : `next poll ${src.nextPoll ?? 'not scheduled'}`;
      out.push(`  ${src.id} (${src.kind}): ${read}; last error ${src.lastError ?? 'none'}; ${next}`);
      if (src.warning) out.push(`    warning: ${src.warning}`);
      if (src.degraded) out.push(`    read in part: ${src.degraded}`);
    }
  } else {
    out.push('sources: none configured');
  }
  return out.join('\n');
}
