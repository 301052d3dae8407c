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
