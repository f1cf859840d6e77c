// The status table's JSON, as `status --json` and `/api/status.json` show it (DESIGN.md contract).

/** One entry of a party's `evidence` list: an assertion that supports its status, or the config's note behind an initial one. */
export interface EvidenceEntry {
  url: string | null;
  publisher: string;
  quote: string;
  published: string;
  status: string;
  /** Only on a post its author deleted: when pactwatch learned it (ISO). It stays listed, as what a confirmed status rested on. */
  deleted?: string;
}

export interface StatusJson {
  trackers: {
    id: string;
    name: string;
    parties: {
      id: string;
      name: string;
      status: string;
      since: string | null;
      reported: { status: string; since: string; evidence: EvidenceEntry[] } | null;
      evidence: EvidenceEntry[];
    }[];
  }[];
  /** `warning`, only when there is one: the source's GUIDs found unreliable (sources/guids.ts); `degraded`: its last document read only in part. */
  sources: { id: string; kind: string; lastSuccess: string | null; lastError: string | null; nextPoll: string | null; warning?: string; degraded?: string }[];
}
