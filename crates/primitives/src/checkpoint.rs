//! Checkpoints: what operators attest to.

use crate::{Domain, RollupId, sol};
use alloy_primitives::B256;
use alloy_sol_types::SolStruct;
use serde::{Deserialize, Serialize};

/// A rollup's state at one batch, as an operator re-derived it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Checkpoint {
    /// The rollup.
    pub rollup_id: RollupId,
    /// Index of the batch committed on L1.
    pub batch_index: u64,
    /// The last L2 block of the batch.
    pub l2_block_number: u64,
    /// Hash of that L2 block.
    pub l2_block_hash: B256,
    /// State root after the batch.
    pub state_root: B256,
}

impl Checkpoint {
    /// The EIP-712 digest an operator signs (domain: the attestation center).
    pub fn digest(&self, domain: &Domain) -> B256 {
        self.to_sol().eip712_signing_hash(&domain.eip712())
    }

    /// The EIP-712 struct hash (without the domain).
    pub fn struct_hash(&self) -> B256 {
        self.to_sol().eip712_hash_struct()
    }

    /// True when both are for the same `(rollupId, batchIndex)` but differ in content: signing
    /// both is equivocation.
    pub fn conflicts_with(&self, other: &Checkpoint) -> bool {
        self.rollup_id == other.rollup_id && self.batch_index == other.batch_index && self != other
    }

    fn to_sol(self) -> sol::Checkpoint {
        sol::Checkpoint {
            rollupId: self.rollup_id.0,
            batchIndex: self.batch_index,
            l2BlockNumber: self.l2_block_number,
            l2BlockHash: self.l2_block_hash,
            stateRoot: self.state_root,
        }
    }
}
