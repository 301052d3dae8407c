-- Rampart operator-side slashing protection (PostgreSQL).
--
-- One database protects exactly one identity: one BLS key, for one attestation center on one
-- chain. u64 values (chain id, rollup id, batch index, L2 block number) are stored as the
-- two's-complement BIGINT with the same 64 bits, so every u64 round-trips exactly.

-- The identity this database is bound to: at most one row, written on first open, never changed.
CREATE TABLE slashing_protection_identity (
    id                 SMALLINT    PRIMARY KEY CHECK (id = 1),
    chain_id           BIGINT      NOT NULL,
    attestation_center BYTEA       NOT NULL CHECK (octet_length(attestation_center) = 20),
    pubkey             BYTEA       NOT NULL CHECK (octet_length(pubkey) = 48),
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every checkpoint this key signed (or that an interchange import says it signed). The primary
-- key is the rule: one checkpoint per (rollup_id, batch_index), ever. Concurrent signers of the
-- same (rollup_id, batch_index) serialize on it.
CREATE TABLE slashing_protection_checkpoints (
    rollup_id       BIGINT      NOT NULL,
    batch_index     BIGINT      NOT NULL,
    l2_block_number BIGINT      NOT NULL,
    l2_block_hash   BYTEA       NOT NULL CHECK (octet_length(l2_block_hash) = 32),
    state_root      BYTEA       NOT NULL CHECK (octet_length(state_root) = 32),
    -- The EIP-712 digest that was (or is about to be) signed.
    signing_root    BYTEA       NOT NULL CHECK (octet_length(signing_root) = 32),
    -- The compressed signature; NULL for records that came from an interchange import.
    signature       BYTEA                CHECK (signature IS NULL OR octet_length(signature) = 96),
    recorded_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (rollup_id, batch_index)
);

-- Protection is never lowered: records cannot be deleted, their checkpoint never changes, and a
-- stored signature is never replaced (only a missing one may be filled in).
CREATE FUNCTION slashing_protection_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'slashing protection records are never deleted';
    END IF;
    IF TG_TABLE_NAME = 'slashing_protection_identity' THEN
        RAISE EXCEPTION 'the slashing protection identity is never changed';
    END IF;
    IF NEW.rollup_id IS DISTINCT FROM OLD.rollup_id
       OR NEW.batch_index IS DISTINCT FROM OLD.batch_index
       OR NEW.l2_block_number IS DISTINCT FROM OLD.l2_block_number
       OR NEW.l2_block_hash IS DISTINCT FROM OLD.l2_block_hash
       OR NEW.state_root IS DISTINCT FROM OLD.state_root
       OR NEW.signing_root IS DISTINCT FROM OLD.signing_root
       OR (OLD.signature IS NOT NULL AND NEW.signature IS DISTINCT FROM OLD.signature) THEN
        RAISE EXCEPTION 'slashing protection records are never rewritten';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER slashing_protection_checkpoints_guard
BEFORE UPDATE OR DELETE ON slashing_protection_checkpoints
FOR EACH ROW EXECUTE FUNCTION slashing_protection_guard();

CREATE TRIGGER slashing_protection_checkpoints_no_truncate
BEFORE TRUNCATE ON slashing_protection_checkpoints
FOR EACH STATEMENT EXECUTE FUNCTION slashing_protection_guard();

CREATE TRIGGER slashing_protection_identity_guard
BEFORE UPDATE OR DELETE ON slashing_protection_identity
FOR EACH ROW EXECUTE FUNCTION slashing_protection_guard();

CREATE TRIGGER slashing_protection_identity_no_truncate
BEFORE TRUNCATE ON slashing_protection_identity
FOR EACH STATEMENT EXECUTE FUNCTION slashing_protection_guard();
