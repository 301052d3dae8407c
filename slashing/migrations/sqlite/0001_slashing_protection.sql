-- Rampart operator-side slashing protection (SQLite).
--
-- One database protects exactly one identity: one BLS key, for one attestation center on one
-- chain. u64 values (chain id, rollup id, batch index, L2 block number) are stored as the
-- two's-complement i64 with the same 64 bits, so every u64 round-trips exactly.

-- The identity this database is bound to: at most one row, written on first open, never changed.
CREATE TABLE slashing_protection_identity (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    chain_id           INTEGER NOT NULL,
    attestation_center BLOB    NOT NULL CHECK (length(attestation_center) = 20),
    pubkey             BLOB    NOT NULL CHECK (length(pubkey) = 48),
    created_at         INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

-- Every checkpoint this key signed (or that an interchange import says it signed). The primary
-- key is the rule: one checkpoint per (rollup_id, batch_index), ever.
CREATE TABLE slashing_protection_checkpoints (
    rollup_id       INTEGER NOT NULL,
    batch_index     INTEGER NOT NULL,
    l2_block_number INTEGER NOT NULL,
    l2_block_hash   BLOB    NOT NULL CHECK (length(l2_block_hash) = 32),
    state_root      BLOB    NOT NULL CHECK (length(state_root) = 32),
    -- The EIP-712 digest that was (or is about to be) signed.
    signing_root    BLOB    NOT NULL CHECK (length(signing_root) = 32),
    -- The compressed signature; NULL for records that came from an interchange import.
    signature       BLOB             CHECK (signature IS NULL OR length(signature) = 96),
    recorded_at     INTEGER NOT NULL DEFAULT (unixepoch()),
    PRIMARY KEY (rollup_id, batch_index)
) STRICT;

-- Protection is never lowered: records cannot be deleted, their checkpoint never changes, and a
-- stored signature is never replaced (only a missing one may be filled in).
CREATE TRIGGER slashing_protection_checkpoints_no_delete
BEFORE DELETE ON slashing_protection_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'slashing protection records are never deleted');
END;

CREATE TRIGGER slashing_protection_checkpoints_no_rewrite
BEFORE UPDATE ON slashing_protection_checkpoints
WHEN NEW.rollup_id IS NOT OLD.rollup_id
  OR NEW.batch_index IS NOT OLD.batch_index
  OR NEW.l2_block_number IS NOT OLD.l2_block_number
  OR NEW.l2_block_hash IS NOT OLD.l2_block_hash
  OR NEW.state_root IS NOT OLD.state_root
  OR NEW.signing_root IS NOT OLD.signing_root
  OR (OLD.signature IS NOT NULL AND NEW.signature IS NOT OLD.signature)
BEGIN
    SELECT RAISE(ABORT, 'slashing protection records are never rewritten');
END;

CREATE TRIGGER slashing_protection_identity_no_delete
BEFORE DELETE ON slashing_protection_identity
BEGIN
    SELECT RAISE(ABORT, 'the slashing protection identity is never deleted');
END;

CREATE TRIGGER slashing_protection_identity_no_update
BEFORE UPDATE ON slashing_protection_identity
BEGIN
    SELECT RAISE(ABORT, 'the slashing protection identity is never changed');
END;
