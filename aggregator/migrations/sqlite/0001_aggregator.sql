-- Rampart aggregator (SQLite). u64 values (rollup id, batch index, block numbers, nonces) are
-- stored as the two's-complement i64 with the same 64 bits; times are Unix milliseconds.

-- Every verified attestation: the first one per (rollup, batch, operator) is kept.
CREATE TABLE aggregator_attestations (
    rollup_id       INTEGER NOT NULL,
    batch_index     INTEGER NOT NULL,
    operator        BLOB    NOT NULL CHECK (length(operator) = 20),
    l2_block_number INTEGER NOT NULL,
    l2_block_hash   BLOB    NOT NULL CHECK (length(l2_block_hash) = 32),
    state_root      BLOB    NOT NULL CHECK (length(state_root) = 32),
    digest          BLOB    NOT NULL CHECK (length(digest) = 32),
    signature       BLOB    NOT NULL CHECK (length(signature) = 96),
    received_at     INTEGER NOT NULL,
    PRIMARY KEY (rollup_id, batch_index, operator)
) STRICT;

-- Equivocation evidence: two valid signatures by one operator over different checkpoints of
-- one batch (JSON signed attestations, as the operator sent them).
CREATE TABLE aggregator_evidence (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    rollup_id   INTEGER NOT NULL,
    batch_index INTEGER NOT NULL,
    operator    BLOB    NOT NULL CHECK (length(operator) = 20),
    first       TEXT    NOT NULL,
    second      TEXT    NOT NULL,
    detected_at INTEGER NOT NULL,
    UNIQUE (rollup_id, batch_index, operator)
) STRICT;

-- Certificate transactions: attempt 0 claims the batch (the primary key makes the claim
-- exclusive across replicas); later attempts replace it with the same nonce and higher fees,
-- or take a new nonce when it was dropped.
CREATE TABLE aggregator_submissions (
    rollup_id       INTEGER NOT NULL,
    batch_index     INTEGER NOT NULL,
    attempt         INTEGER NOT NULL,
    digest          BLOB    NOT NULL CHECK (length(digest) = 32),
    reference_block INTEGER NOT NULL,
    signers         INTEGER NOT NULL,
    non_signers     INTEGER NOT NULL,
    sender          BLOB    NOT NULL CHECK (length(sender) = 20),
    nonce           INTEGER NOT NULL,
    max_fee         TEXT    NOT NULL,
    priority_fee    TEXT    NOT NULL,
    tx_hash         BLOB    NOT NULL CHECK (length(tx_hash) = 32),
    raw_tx          BLOB    NOT NULL,
    status          TEXT    NOT NULL,
    mined_block     INTEGER,
    instance        TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (rollup_id, batch_index, attempt)
) STRICT;

CREATE INDEX aggregator_submissions_status ON aggregator_submissions (status);

-- Leases (the submitter's leadership): held by `holder` until `expires_at`.
CREATE TABLE aggregator_leases (
    name       TEXT    PRIMARY KEY,
    holder     TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
