//! The deployment file: where everything is, written by the deployer and read by every command.

use crate::{Error, Result};
use alloy::primitives::Address;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// EigenLayer core v1.3.0 (proxies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EigenLayerAddresses {
    /// AllocationManager.
    pub allocation_manager: Address,
    /// DelegationManager.
    pub delegation_manager: Address,
    /// StrategyManager.
    pub strategy_manager: Address,
    /// PermissionController.
    pub permission_controller: Address,
    /// AVSDirectory.
    pub avs_directory: Address,
}

/// Rampart's contracts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RampartAddresses {
    /// The service manager: Rampart's AVS address.
    pub service_manager: Address,
    /// The operator registry (IAVSRegistrar).
    pub operator_registry: Address,
    /// The attestation center.
    pub attestation_center: Address,
    /// The proof center (validity proofs and proving jobs). Zero in deployment files written
    /// before it existed.
    #[serde(default)]
    pub proof_center: Address,
    /// The slasher.
    pub slasher: Address,
}

/// A strategy operators are staked in, and its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StrategyInfo {
    /// The strategy.
    pub address: Address,
    /// Its underlying token.
    pub token: Address,
    /// A human name.
    pub name: String,
    /// Whether the token can be minted by anyone (devnet test stake).
    #[serde(default)]
    pub mintable: bool,
}

/// Everything a Rampart command needs to find the contracts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    /// EIP-155 chain id.
    pub chain_id: u64,
    /// The block of the first Rampart deployment transaction (followers start here).
    pub start_block: u64,
    /// EigenLayer core.
    pub eigenlayer: EigenLayerAddresses,
    /// Rampart.
    pub rampart: RampartAddresses,
    /// The Rampart operator set.
    pub operator_set_id: u32,
    /// The strategies of that set.
    pub strategies: Vec<StrategyInfo>,
}

impl Deployment {
    /// Reads a deployment file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::DeploymentFile {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        serde_json::from_str(&text).map_err(|e| Error::DeploymentFile {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    }

    /// Writes it (pretty JSON), creating parent directories.
    pub fn save(&self, path: &Path) -> Result<()> {
        let fail = |e: std::io::Error| Error::DeploymentFile {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(fail)?;
        }
        let mut text = serde_json::to_string_pretty(self).expect("deployment serializes");
        text.push('\n');
        std::fs::write(path, text).map_err(fail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_written_before_the_proof_center_still_load() {
        let json = r#"{
            "serviceManager": "0x1111111111111111111111111111111111111111",
            "operatorRegistry": "0x2222222222222222222222222222222222222222",
            "attestationCenter": "0x3333333333333333333333333333333333333333",
            "slasher": "0x4444444444444444444444444444444444444444"
        }"#;
        let rampart: RampartAddresses = serde_json::from_str(json).unwrap();
        assert_eq!(rampart.proof_center, Address::ZERO);
        assert_eq!(rampart.slasher, Address::repeat_byte(0x44));

        let with = RampartAddresses { proof_center: Address::repeat_byte(0x55), ..rampart };
        let text = serde_json::to_string(&with).unwrap();
        assert!(text.contains("\"proofCenter\":\"0x5555555555555555555555555555555555555555\""));
        assert_eq!(serde_json::from_str::<RampartAddresses>(&text).unwrap(), with);
    }
}
