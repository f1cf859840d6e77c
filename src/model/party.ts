// A party's confirmed status and the claim reported about it (DESIGN.md "Vocabulary").

export const PARTY_STATUSES = ['unknown', 'holdout', 'negotiating', 'signed', 'declined', 'withdrawn'] as const;
export type PartyStatus = (typeof PARTY_STATUSES)[number];
