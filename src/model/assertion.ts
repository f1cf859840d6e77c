// What an item claims: the asserted statuses, modalities and the Assertion (DESIGN.md "Vocabulary").

export const ASSERTED_STATUSES = ['signed', 'declined', 'holdout', 'pressed', 'negotiating', 'withdrawn'] as const;
export type AssertedStatus = (typeof ASSERTED_STATUSES)[number];

export const MODALITIES = ['asserted', 'hypothetical', 'negated'] as const;
export type Modality = (typeof MODALITIES)[number];

/** What one item claims about one party and one tracker. */
export interface Assertion {
  tracker: string;
  party: string;
  partyName: string;
  status: AssertedStatus;
  modality: Modality;
  historical: boolean;
  /** The id of the rule that made it, as written in the tracker file. */
  rule: string;
  /** The sentence that carries the claim. */
  evidence: string;
}

/** The text of one item as the extractor sees it. */
export interface ExtractInput {
  id: string;
  text: string;
  title?: string | undefined;
  /** Item time; decides what counts as historical. Without it nothing is historical. */
  published?: Date | undefined;
  /** The party an official source speaks for: its "we" is that party. */
  speaker?: string | undefined;
  /** The item's address: its slug is read as the weakest context (see extract/address.ts). */
  url?: string | undefined;
  /** The item's language tags: when none is a language the rules read, the item is not read. */
  langs?: string[] | undefined;
  /** Trackers the item's source is about: an item that names no agreement is about theirs (see extract/agreement.ts). */
  about?: string[] | undefined;
}
