//! Identifiers.

use rampart_crypto::PublicKey;
use serde::{Deserialize, Serialize};

/// A rollup registered with the attestation center. Each rollup is served by exactly one
/// operator set, fixed at registration, so the rollup id also binds a checkpoint to its set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RollupId(pub u64);

/// An EigenLayer operator set of the Rampart AVS (`uint32` in AllocationManager).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OperatorSetId(pub u32);

/// An operator's identifier in Rampart: the key hash of its BLS public key,
/// `keccak256(EIP-2537 G1 encoding)`. Non-signer lists are sorted ascending by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OperatorId(pub alloy_primitives::B256);

impl From<&PublicKey> for OperatorId {
    fn from(pk: &PublicKey) -> Self {
        Self(pk.key_hash())
    }
}

impl std::fmt::Display for RollupId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Display for OperatorSetId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Display for OperatorId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
