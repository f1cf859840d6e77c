// An alert's life in the outbox: its kinds and states, how it is published and taken back, its row.

/** What an alert announces: a confirmed change, a reported claim, or a maintainer's correction. */
export type AlertKind = 'confirmed' | 'reported' | 'manual';

export const ALERT_STATES = ['queued', 'held', 'sent', 'dry-run', 'rejected', 'retracted', 'failed'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** Why an alert backed by a fictional item was recorded as dry-run (its last_error). */
export const FICTIONAL_NOTE = 'fictional: not posted';

/** `auto` posts, `review` waits for approval, `dry-run` prints. */
export const PUBLISH_MODES = ['auto', 'review', 'dry-run'] as const;
export type PublishMode = (typeof PUBLISH_MODES)[number];

/** How a sent post is taken back: deleted, or answered with a correction. */
export const RETRACTIONS = ['delete', 'correct'] as const;
export type Retraction = (typeof RETRACTIONS)[number];

export interface AlertRow {
  id: number;
  transitionId: number | null;
  tracker: string;
  party: string;
  status: string;
  state: AlertState;
  text: string;
  rkey: string | null;
  uri: string | null;
  createdAt: string;
  updatedAt: string;
  attempts: number;
  lastError: string | null;
  /** A queued alert that failed uncertainly waits until then. */
  nextAttempt: string | null;
  /** Backed by a fictional item: recorded as dry-run, and never posted. */
  fictional: boolean;
}

/** The status board drawn as an image, embedded in a post. */
export interface Board {
  png: Buffer;
  alt: string;
  width: number;
  height: number;
}
