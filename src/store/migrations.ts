// Numbered schema migrations, applied in order at start-up; PRAGMA user_version holds the count.
// Never edit a shipped migration: add the next one.

export const MIGRATIONS: string[] = [
  // 1: the ledger.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    url TEXT,
    etag TEXT,
    last_modified TEXT,
    cursor TEXT,
    last_success TEXT,
    last_error TEXT,
    last_error_at TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    next_poll TEXT,
    gone INTEGER NOT NULL DEFAULT 0
  );

  CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    source_id TEXT NOT NULL,
    guid TEXT,
    url TEXT,
    canonical_url TEXT,
    title TEXT,
    text TEXT,
    text_hash BLOB NOT NULL,
    author TEXT,
    publisher TEXT NOT NULL,
    trust TEXT NOT NULL,
    speaks_for TEXT,
    published_at TEXT,
    fetched_at TEXT NOT NULL,
    item_time TEXT NOT NULL,
    assertion_count INTEGER NOT NULL DEFAULT 0,
    copy_of INTEGER REFERENCES items(id),
    pruned_at TEXT
  );
  CREATE UNIQUE INDEX items_guid ON items(source_id, guid) WHERE guid IS NOT NULL;
  CREATE UNIQUE INDEX items_canonical_url ON items(canonical_url) WHERE canonical_url IS NOT NULL;
  CREATE UNIQUE INDEX items_text_hash ON items(text_hash);
  CREATE INDEX items_claims ON items(item_time) WHERE assertion_count > 0;

  CREATE TABLE assertions (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    tracker TEXT NOT NULL,
    party TEXT NOT NULL,
    status TEXT NOT NULL,
    modality TEXT NOT NULL,
    historical INTEGER NOT NULL,
    rule TEXT NOT NULL,
    evidence TEXT NOT NULL,
    item_time TEXT NOT NULL
  );
  CREATE INDEX assertions_party ON assertions(tracker, party, status, item_time);
  CREATE INDEX assertions_item ON assertions(item_id);

  CREATE TABLE party_status (
    tracker TEXT NOT NULL,
    party TEXT NOT NULL,
    status TEXT NOT NULL,
    since TEXT,
    reported_status TEXT,
    reported_since TEXT,
    reported_evidence TEXT,
    PRIMARY KEY (tracker, party)
  );

  CREATE TABLE transitions (
    id INTEGER PRIMARY KEY,
    tracker TEXT NOT NULL,
    party TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor TEXT,
    note TEXT,
    evidence_url TEXT
  );
  CREATE INDEX transitions_party ON transitions(tracker, party, at);

  CREATE TABLE transition_assertions (
    transition_id INTEGER NOT NULL REFERENCES transitions(id),
    assertion_id INTEGER NOT NULL REFERENCES assertions(id),
    PRIMARY KEY (transition_id, assertion_id)
  );

  CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    transition_id INTEGER UNIQUE REFERENCES transitions(id),
    reported_key TEXT UNIQUE,
    tracker TEXT NOT NULL,
    party TEXT NOT NULL,
    status TEXT NOT NULL,
    state TEXT NOT NULL,
    text TEXT NOT NULL,
    rkey TEXT,
    uri TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
  );
  CREATE INDEX alerts_state ON alerts(state);
  `,

  // 2: an aggregator's permalink beside the original article's URL (Techmeme).
  `ALTER TABLE items ADD COLUMN via TEXT;`,
  // 3: when a queued alert that failed uncertainly may be tried again (back-off).
  `ALTER TABLE alerts ADD COLUMN next_attempt TEXT;`,
  // 4: the same text is a repeat only within one trust tier. A party's own statement must still
  // confirm when a social account (or a paper printing the press release) had the words first;
  // the later item is stored as a copy of the earlier one, so it adds no independent publisher.
  `DROP INDEX items_text_hash;
   CREATE UNIQUE INDEX items_text_hash ON items(text_hash, trust);`,
  // 5: what an item's fetched feed or page was decoded as (utf-8, windows-1252, …); null for
  // items that came from no fetched body (replay, Bluesky) and for items stored before.
  `ALTER TABLE items ADD COLUMN encoding TEXT;`,
  // 6: why a source's GUIDs do not identify its items (one GUID on two stories), once found:
  // its items are keyed by link and text from then on (sources/guids.ts).
  `ALTER TABLE sources ADD COLUMN unreliable_guids TEXT;`,
  // 7: made-up items (a replay line marked "fictional"), and the alerts they back, which are
  // recorded as dry-run and never posted.
  `ALTER TABLE items ADD COLUMN fictional INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE alerts ADD COLUMN fictional INTEGER NOT NULL DEFAULT 0;`,
  // 8: why extraction refused an item (over the per-item bound). The row is kept, without its
  // text, so the next poll knows the item and does not try it again.
  `ALTER TABLE items ADD COLUMN failed TEXT;`,
  // 9: why a source's last document could be read only in part (cut off, not well-formed): its
  // complete items were read, and status and the sources page say what was wrong.
  `ALTER TABLE sources ADD COLUMN degraded TEXT;`,
  // 10: when pactwatch learned that a post's author deleted it (a Jetstream delete). Its claims
  // no longer count towards a reported claim or a new corroboration; the evidence lists show
  // it as deleted (pipeline/withdraw.ts).
  `ALTER TABLE items ADD COLUMN deleted_at TEXT;`,
  // 11: Bluesky handles resolved to DIDs, and when (sources/handles.ts): the stream follows
  // accounts by DID, and asks again for each handle after a day.
  `CREATE TABLE handles (handle TEXT PRIMARY KEY, did TEXT NOT NULL, resolved_at TEXT NOT NULL);`,
  // 12: a Bluesky post's language tags (text/langs.ts), which decide whether the rules read it,
  // so a replay of the stored item reads it as the live run did. A JSON array ('["ja","en"]'), as
  // speaks_for is stored: one decoding for both, and the tags' order kept; NULL when the post has
  // none, and for every other item and every item stored before.
  `ALTER TABLE items ADD COLUMN langs TEXT;`,
];
