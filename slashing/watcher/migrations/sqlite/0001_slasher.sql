-- Rampart slasher (SQLite). u64 values (rollup id, batch index, blocks) are stored as the
-- two's-complement i64 with the same 64 bits; times are Unix milliseconds.

-- Every piece of evidence the slasher found, keyed by the hash of the slashing call it makes
-- (so the same evidence, from any source, is one row). `fault_id` is the contract's id of the
-- fault it proves: several rows may name one fault (e.g. a forged and a real proof of it), and at
-- most one of them is ever sent.
CREATE TABLE slasher_faults (
    evidence_hash BLOB    PRIMARY KEY CHECK (length(evidence_hash) = 32),
    fault_id      BLOB    NOT NULL CHECK (length(fault_id) = 32),
    kind          TEXT    NOT NULL,
    operator      BLOB    NOT NULL CHECK (length(operator) = 20),
    rollup_id     INTEGER NOT NULL,
    batch_index   INTEGER NOT NULL,
    calldata      BLOB    NOT NULL,
    source        TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    detail        TEXT    NOT NULL,
    tx_hash       BLOB    CHECK (tx_hash IS NULL OR length(tx_hash) = 32),
    attempts      INTEGER NOT NULL,
    next_try_at   INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX slasher_faults_fault ON slasher_faults (fault_id);
CREATE INDEX slasher_faults_status ON slasher_faults (status);

-- Where each input was read up to: the L1 block, each aggregator's last evidence id, and the
-- rollups with a proof configuration (`proof-rollup:<id>`).
CREATE TABLE slasher_cursors (
    name  TEXT    PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT;
