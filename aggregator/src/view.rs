//! The operator set as it was at a reference block.

use alloy_primitives::{Address, B256, U256};
use rampart_crypto::PublicKey;
use std::collections::HashMap;

/// One registered operator at the reference block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperatorInfo {
    /// Its BLS key.
    pub pubkey: PublicKey,
    /// `keccak256(EIP-2537 encoding)`: the registry's identifier; non-signers sort by it.
    pub key_hash: B256,
    /// Counted stake at the reference block.
    pub stake: U256,
}

/// Keys and stakes of an operator set at one reference block.
#[derive(Debug, Clone, Default)]
pub struct OperatorSetView {
    /// The reference block.
    pub reference_block: u32,
    /// Total counted stake.
    pub total_stake: U256,
    operators: HashMap<Address, OperatorInfo>,
}

impl OperatorSetView {
    /// A view of `operators` (key hashes are computed here, once per key).
    pub fn new(
        reference_block: u32,
        operators: impl IntoIterator<Item = (Address, PublicKey, U256)>,
    ) -> Self {
        let operators: HashMap<Address, OperatorInfo> = operators
            .into_iter()
            .map(|(address, pubkey, stake)| {
                (address, OperatorInfo { pubkey, key_hash: pubkey.key_hash(), stake })
            })
            .collect();
        let total_stake = operators.values().map(|o| o.stake).sum();
        Self { reference_block, total_stake, operators }
    }

    /// The operator, if registered at the reference block.
    pub fn operator(&self, address: &Address) -> Option<&OperatorInfo> {
        self.operators.get(address)
    }

    /// Every registered operator.
    pub fn operators(&self) -> impl Iterator<Item = (&Address, &OperatorInfo)> {
        self.operators.iter()
    }

    /// Whether `stake` is at least `threshold_bps` / 10,000 of the set's total: the
    /// inequality L1 checks (an empty set never reaches a threshold).
    pub fn reaches(&self, stake: U256, threshold_bps: u16) -> bool {
        !self.total_stake.is_zero()
            && stake * U256::from(10_000u32) >= self.total_stake * U256::from(threshold_bps)
    }

    /// Number of operators.
    pub fn len(&self) -> usize {
        self.operators.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.operators.is_empty()
    }
}
