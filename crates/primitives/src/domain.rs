//! The EIP-712 signing domain.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::Eip712Domain;
use serde::{Deserialize, Serialize};

/// EIP-712 domain name of every Rampart signature.
pub const DOMAIN_NAME: &str = "Rampart";
/// EIP-712 domain version of every Rampart signature.
pub const DOMAIN_VERSION: &str = "1";

/// Where a signature is valid: one chain and one contract of one deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Domain {
    /// EIP-155 chain id.
    pub chain_id: u64,
    /// The contract that verifies the signature.
    pub verifying_contract: Address,
}

impl Domain {
    /// A domain for `verifying_contract` on `chain_id`.
    pub fn new(chain_id: u64, verifying_contract: Address) -> Self {
        Self { chain_id, verifying_contract }
    }

    /// The alloy form of the domain.
    pub fn eip712(&self) -> Eip712Domain {
        Eip712Domain::new(
            Some(DOMAIN_NAME.into()),
            Some(DOMAIN_VERSION.into()),
            Some(U256::from(self.chain_id)),
            Some(self.verifying_contract),
            None,
        )
    }

    /// The EIP-712 domain separator.
    pub fn separator(&self) -> B256 {
        self.eip712().separator()
    }
}
