// The ledger's rows as the store writes and reads them: items, citations, transitions, sources' state.
import type { SpeaksFor, Trust } from './item.js';
import type { PartyStatus } from './party.js';

/** An item as stored: what the pipeline adds to a source's Item (its hash, publisher, time). */
export interface NewItem {
  sourceId: string;
  guid?: string | undefined;
  url?: string | undefined;
  canonicalUrl?: string | undefined;
  /** An aggregator's permalink when `url` is the original article (Techmeme). */
  via?: string | undefined;
  title?: string | undefined;
  text: string;
  textHash: Buffer;
  author?: string | undefined;
  publisher: string;
  trust: Trust;
  speaksFor: SpeaksFor | null;
  publishedAt?: Date | undefined;
  fetchedAt: Date;
  itemTime: Date;
  /** What the fetched body was decoded as; absent for items from no fetched body. */
  encoding?: string | undefined;
  /** Made up (a replay line marked fictional). */
  fictional?: boolean | undefined;
  /** Why extraction refused the item; its title and text are then not kept. */
  failed?: string | undefined;
  /** A Bluesky post's language tags (see Item). */
  langs?: string[] | undefined;
}

/** How a transition came about: a config's initial status, news, a historical mention, a maintainer. */
export type TransitionKind = 'seed' | 'news' | 'history' | 'manual';

export interface TransitionRow {
  id: number;
  tracker: string;
  party: string;
  from: PartyStatus;
  to: PartyStatus;
  at: string;
  recordedAt: string;
  kind: TransitionKind;
  reason: string;
  actor: string | null;
  note: string | null;
  evidenceUrl: string | null;
}

/**
 * One stored assertion as a source to cite: where it was published, by whom, in what words. Lists
 * of evidence (status, alerts, the Atom feed) are made of these.
 */
export interface Citation {
  assertionId: number;
  /** Copies of one text share a group. */
  copyGroup: number;
  url: string | null;
  publisher: string;
  /** The sentence that carries the claim (the assertion's `evidence`). */
  quote: string;
  published: string;
  status: string;
  trust: Trust;
  /** The parties an official source speaks for (null for the press and social posts). */
  speaksFor: SpeaksFor | null;
  /** From a fictional item. */
  fictional: boolean;
  /** When pactwatch learned that its author deleted the post (ISO), or null. */
  deletedAt: string | null;
}

/** What the store remembers of a source between polls. */
export interface SourceState {
  id: string;
  kind: string;
  /** The URL polled: the configured one, or where a permanent redirect moved it. */
  url: string | null;
  etag: string | null;
  lastModified: string | null;
  cursor: string | null;
  lastSuccess: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  failures: number;
  nextPoll: string | null;
  gone: boolean;
  /** Why the source's GUIDs do not identify its items (sources/guids.ts), or null while they do. */
  unreliableGuids: string | null;
  /** Why its last document could be read only in part (cut off, not well-formed), or null. */
  degraded: string | null;
}

/** The part of a source's state that status shows. */
export interface SourceStateRow {
  id: string;
  kind: string;
  url: string | null;
  lastSuccess: string | null;
  lastError: string | null;
  nextPoll: string | null;
  unreliableGuids: string | null;
  degraded: string | null;
}
