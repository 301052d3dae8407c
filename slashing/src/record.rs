//! Records as stored, and what an import did.

use crate::{Error, Result};
use alloy_primitives::B256;
use rampart_crypto::Signature;
use rampart_primitives::{Checkpoint, Domain, RollupId};

/// One checkpoint on record for this key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedRecord {
    /// The checkpoint.
    pub checkpoint: Checkpoint,
    /// Its EIP-712 digest: what was signed.
    pub signing_root: B256,
    /// The signature this database handed out; `None` for a checkpoint that came from an
    /// interchange import and has not been signed here since.
    pub signature: Option<Signature>,
}

/// What [`SlashingProtection::import`](crate::SlashingProtection::import) did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Checkpoints added to the database.
    pub imported: usize,
    /// Checkpoints already on record (or repeated in the document): nothing to do.
    pub already_recorded: usize,
    /// Checkpoints refused because a different checkpoint for their `(rollup_id, batch_index)`
    /// is on record (or came earlier in the document). The record was kept.
    pub conflicts: Vec<ImportConflict>,
}

/// A checkpoint an import refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportConflict {
    /// The checkpoint kept for the batch.
    pub existing: Checkpoint,
    /// The document's different checkpoint for the same batch, not imported.
    pub rejected: Checkpoint,
}

/// A u64 in a signed 64-bit column: the same 64 bits, so every value round-trips.
pub(crate) fn to_db(v: u64) -> i64 {
    i64::from_ne_bytes(v.to_ne_bytes())
}

/// The inverse of [`to_db`].
pub(crate) fn from_db(v: i64) -> u64 {
    u64::from_ne_bytes(v.to_ne_bytes())
}

/// A row of `slashing_protection_checkpoints` as the drivers return it.
pub(crate) type RawRecord = (i64, i64, i64, Vec<u8>, Vec<u8>, Vec<u8>, Option<Vec<u8>>);

/// The columns of a [`RawRecord`], in order (a literal, for `concat!`).
macro_rules! record_columns {
    () => {
        "rollup_id, batch_index, l2_block_number, l2_block_hash, state_root, signing_root, signature"
    };
}
pub(crate) use record_columns;

/// Decodes and checks a stored row: lengths, the signature point, and that the stored signing
/// root is the checkpoint's digest under `domain`.
pub(crate) fn decode(raw: RawRecord, domain: &Domain) -> Result<SignedRecord> {
    let (rollup_id, batch_index, l2_block_number, l2_block_hash, state_root, signing_root, sig) =
        raw;
    let checkpoint = Checkpoint {
        rollup_id: RollupId(from_db(rollup_id)),
        batch_index: from_db(batch_index),
        l2_block_number: from_db(l2_block_number),
        l2_block_hash: b256(&l2_block_hash, "l2_block_hash")?,
        state_root: b256(&state_root, "state_root")?,
    };
    let signing_root = b256(&signing_root, "signing_root")?;
    let expected = checkpoint.digest(domain);
    if signing_root != expected {
        return Err(Error::Corrupt(format!(
            "rollup {} batch {}: stored signing_root {signing_root} is not the checkpoint's \
             digest {expected}",
            checkpoint.rollup_id, checkpoint.batch_index
        )));
    }
    let signature = sig
        .map(|bytes| {
            Signature::from_compressed(&bytes).map_err(|e| {
                Error::Corrupt(format!(
                    "rollup {} batch {}: stored signature: {e}",
                    checkpoint.rollup_id, checkpoint.batch_index
                ))
            })
        })
        .transpose()?;
    Ok(SignedRecord { checkpoint, signing_root, signature })
}

fn b256(bytes: &[u8], column: &str) -> Result<B256> {
    B256::try_from(bytes)
        .map_err(|_| Error::Corrupt(format!("{column} has {} bytes, expected 32", bytes.len())))
}

/// What the database decided for a checkpoint that has a record.
pub(crate) enum OnRecord {
    /// The same checkpoint, already signed: hand out the stored signature.
    Signed(Signature),
    /// The same checkpoint, imported without a signature: sign it and store the signature.
    Unsigned,
}

/// Compares a record with the checkpoint to be signed.
pub(crate) fn judge(record: &SignedRecord, requested: &Checkpoint) -> Result<OnRecord> {
    if record.checkpoint != *requested {
        return Err(Error::Refused {
            existing: Box::new(record.checkpoint),
            requested: Box::new(*requested),
        });
    }
    Ok(match record.signature {
        Some(signature) => OnRecord::Signed(signature),
        None => OnRecord::Unsigned,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u64_columns_round_trip() {
        for v in [0, 1, 7, i64::MAX as u64, i64::MAX as u64 + 1, u64::MAX - 1, u64::MAX] {
            assert_eq!(from_db(to_db(v)), v);
        }
        assert_eq!(to_db(42), 42);
        assert_eq!(to_db(u64::MAX), -1);
    }
}
