-- Rampart aggregator (PostgreSQL): the same schema as the SQLite one. u64 values are stored as
-- the two's-complement BIGINT with the same 64 bits; times are Unix milliseconds.

CREATE TABLE aggregator_attestations (
    rollup_id       BIGINT NOT NULL,
    batch_index     BIGINT NOT NULL,
    operator        BYTEA  NOT NULL CHECK (length(operator) = 20),
    l2_block_number BIGINT NOT NULL,
    l2_block_hash   BYTEA  NOT NULL CHECK (length(l2_block_hash) = 32),
    state_root      BYTEA  NOT NULL CHECK (length(state_root) = 32),
    digest          BYTEA  NOT NULL CHECK (length(digest) = 32),
    signature       BYTEA  NOT NULL CHECK (length(signature) = 96),
    received_at     BIGINT NOT NULL,
    PRIMARY KEY (rollup_id, batch_index, operator)
);

CREATE TABLE aggregator_evidence (
    id          BIGSERIAL PRIMARY KEY,
    rollup_id   BIGINT NOT NULL,
    batch_index BIGINT NOT NULL,
    operator    BYTEA  NOT NULL CHECK (length(operator) = 20),
    first       TEXT   NOT NULL,
    second      TEXT   NOT NULL,
    detected_at BIGINT NOT NULL,
    UNIQUE (rollup_id, batch_index, operator)
);

CREATE TABLE aggregator_submissions (
    rollup_id       BIGINT NOT NULL,
    batch_index     BIGINT NOT NULL,
    attempt         BIGINT NOT NULL,
    digest          BYTEA  NOT NULL CHECK (length(digest) = 32),
    reference_block BIGINT NOT NULL,
    signers         BIGINT NOT NULL,
    non_signers     BIGINT NOT NULL,
    sender          BYTEA  NOT NULL CHECK (length(sender) = 20),
    nonce           BIGINT NOT NULL,
    max_fee         TEXT   NOT NULL,
    priority_fee    TEXT   NOT NULL,
    tx_hash         BYTEA  NOT NULL CHECK (length(tx_hash) = 32),
    raw_tx          BYTEA  NOT NULL,
    status          TEXT   NOT NULL,
    mined_block     BIGINT,
    instance        TEXT   NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (rollup_id, batch_index, attempt)
);

CREATE INDEX aggregator_submissions_status ON aggregator_submissions (status);

CREATE TABLE aggregator_leases (
    name       TEXT   PRIMARY KEY,
    holder     TEXT   NOT NULL,
    expires_at BIGINT NOT NULL
);
