// A party's confirmed status, the claim reported about it, and the claims the reducer weighs.
import type { AssertedStatus, Modality } from './assertion.js';
import type { SpeaksFor, Trust } from './item.js';

export const PARTY_STATUSES = ['unknown', 'holdout', 'negotiating', 'signed', 'declined', 'withdrawn'] as const;
export type PartyStatus = (typeof PARTY_STATUSES)[number];

/** A new status claimed but not yet confirmed (DESIGN.md "Vocabulary": reported). */
export interface Reported {
  status: PartyStatus;
  since: Date;
  /** The ids of the assertions that make the claim. */
  evidence: number[];
}

export interface PartyState {
  status: PartyStatus;
  since: Date | null;
  reported: Reported | null;
}

/** One stored assertion with what corroboration needs to know about its item: what the reducer weighs. */
export interface Claim {
  assertionId: number;
  itemId: number;
  /** Items that are copies of one text share a group (the first copy's id). */
  copyGroup: number;
  status: AssertedStatus;
  modality: Modality;
  historical: boolean;
  trust: Trust;
  /** The registrable domain (or account) that published it. */
  publisher: string;
  speaksFor: SpeaksFor | null;
  itemTime: Date;
}
