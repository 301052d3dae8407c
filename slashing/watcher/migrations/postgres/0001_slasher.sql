-- Rampart slasher (PostgreSQL). u64 values (rollup id, batch index, blocks) are stored as the
-- two's-complement BIGINT with the same 64 bits; times are Unix milliseconds.

-- Every piece of evidence the slasher found, keyed by the hash of the slashing call it makes
-- (so the same evidence, from any source, is one row). `fault_id` is the contract's id of the
-- fault it proves: several rows may name one fault (e.g. a forged and a real proof of it), and at
-- most one of them is ever sent.
CREATE TABLE slasher_faults (
    evidence_hash BYTEA   PRIMARY KEY CHECK (length(evidence_hash) = 32),
    fault_id      BYTEA   NOT NULL CHECK (length(fault_id) = 32),
    kind          TEXT    NOT NULL,
    operator      BYTEA   NOT NULL CHECK (length(operator) = 20),
    rollup_id     BIGINT  NOT NULL,
    batch_index   BIGINT  NOT NULL,
    calldata      BYTEA   NOT NULL,
    source        TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    detail        TEXT    NOT NULL,
    tx_hash       BYTEA   CHECK (tx_hash IS NULL OR length(tx_hash) = 32),
    attempts      BIGINT  NOT NULL,
    next_try_at   BIGINT  NOT NULL,
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);

CREATE INDEX slasher_faults_fault ON slasher_faults (fault_id);
CREATE INDEX slasher_faults_status ON slasher_faults (status);

-- Where each input was read up to: the L1 block, each aggregator's last evidence id, and the
-- rollups with a proof configuration (`proof-rollup:<id>`).
CREATE TABLE slasher_cursors (
    name  TEXT   PRIMARY KEY,
    value BIGINT NOT NULL
);
