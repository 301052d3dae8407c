//! Signed attestations: what operators send to aggregators.

use crate::{Checkpoint, Domain};
use alloy_primitives::Address;
use rampart_crypto::{PublicKey, Signature};
use serde::{Deserialize, Serialize};

/// An operator's signature over a checkpoint.
///
/// Parsing one (e.g. from an HTTP body) validates the signature point: a value of this type
/// always holds a subgroup-checked, non-identity signature. Whether it verifies depends on the
/// operator's registered key and the domain: see [`SignedAttestation::verify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignedAttestation {
    /// The operator's EigenLayer address.
    pub operator: Address,
    /// What was attested.
    pub checkpoint: Checkpoint,
    /// BLS signature over `checkpoint.digest(domain)`.
    pub signature: Signature,
}

impl SignedAttestation {
    /// Checks the signature against the operator's registered key under `domain`.
    pub fn verify(&self, pubkey: &PublicKey, domain: &Domain) -> rampart_crypto::Result<()> {
        self.signature.verify(pubkey, &self.checkpoint.digest(domain))
    }
}

/// Two valid signatures by one operator over different checkpoints of one batch, as an
/// aggregator serves them at `GET /v1/evidence` and the slasher reads them.
///
/// Parsing checks each signature point; [`EquivocationEvidence::check`] checks the item is an
/// equivocation at all. Whether the signatures are the operator's is for `RampartSlasher`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EquivocationEvidence {
    /// The aggregator's row id (increasing): the next page starts after it.
    pub id: i64,
    /// The operator both attestations name.
    pub operator: Address,
    /// The rollup.
    pub rollup_id: u64,
    /// The batch.
    pub batch_index: u64,
    /// The attestation received first.
    pub first: SignedAttestation,
    /// The conflicting one.
    pub second: SignedAttestation,
    /// When the conflict was seen (Unix ms).
    pub detected_at: i64,
}

impl EquivocationEvidence {
    /// Checks both attestations are by the named operator, for the named batch, and conflict;
    /// the error says which does not hold.
    pub fn check(&self) -> Result<(), &'static str> {
        if self.first.operator != self.operator || self.second.operator != self.operator {
            return Err("the attestations are not both by the named operator");
        }
        let (a, b) = (&self.first.checkpoint, &self.second.checkpoint);
        if a.rollup_id.0 != self.rollup_id || a.batch_index != self.batch_index {
            return Err("the attestations are not for the named batch");
        }
        if !a.conflicts_with(b) {
            return Err("the two checkpoints do not conflict");
        }
        Ok(())
    }
}
