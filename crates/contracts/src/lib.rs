//! alloy bindings for Rampart's L1 contracts.
//!
//! Generated at compile time from the committed forge artifacts in `contracts/artifacts/`
//! (ABI + bytecode; `scripts/contract-artifacts check` keeps them equal to a fresh build), so
//! building Rust never needs Node or forge. Each module has the contract's calls, events,
//! errors and `deploy` helpers (`#[sol(rpc)]`).
//!
//! EigenLayer core's own creation bytecode (v1.3.0, from the `eigen-utils` 2.0.0 crate) is
//! exposed by [`eigenlayer_core_bytecode`].
#![allow(missing_docs, clippy::too_many_arguments)]

pub mod points;

/// Each contract's bindings live in their own module, since contracts share library type
/// names (`BLS12381.G1Point`, `Checkpoint`, …). Items in braces after an entry are added to its
/// module (for file-level structs that alloy places in the interface but that a library module
/// of the same ABI also refers to).
macro_rules! bindings {
    ($($module:ident => $name:ident $({ $($extra:item)* })?),* $(,)?) => {$(
        #[doc = concat!("Bindings of `", stringify!($name), "`.")]
        pub mod $module {
            $($($extra)*)?
            alloy_sol_types::sol!(
                #[sol(rpc)]
                #[derive(Debug, PartialEq, Eq)]
                $name,
                concat!("../../contracts/artifacts/", stringify!($name), ".json")
            );
        }
        pub use $module::$name;
    )*};
}

bindings! {
    service_manager => RampartServiceManager,
    operator_registry => RampartOperatorRegistry,
    attestation_center => RampartAttestationCenter,
    proof_center => RampartProofCenter,
    slasher => RampartSlasher,
    pauser_registry => PauserRegistry,
    devnet_token => DevnetToken,
    devnet_strategy => DevnetStrategy,
    empty_contract => EmptyContract,
    proxy_admin => ProxyAdmin,
    transparent_proxy => TransparentUpgradeableProxy,
    upgradeable_beacon => UpgradeableBeacon,
    allocation_manager => IAllocationManager {
        // `OperatorSet` is file-level in Solidity; `IAllocationManagerTypes.AllocateParams`
        // refers to it from its own (library) module, which sees this module's names.
        pub use self::IAllocationManager::OperatorSet;
    },
    delegation_manager => IDelegationManager,
    strategy_manager => IStrategyManager,
    permission_controller => IPermissionController,
    strategy => IStrategy,
}

/// The committed EigenLayer core v1.3.0 creation bytecode (`contracts/eigenlayer/core-v1.3.0.json`).
pub const EIGENLAYER_CORE_JSON: &str =
    include_str!("../../../contracts/eigenlayer/core-v1.3.0.json");

/// Creation bytecode of one EigenLayer core contract (e.g. `"AllocationManager"`), if present.
pub fn eigenlayer_core_bytecode(contract: &str) -> Option<alloy_primitives::Bytes> {
    let doc: serde_json::Value = serde_json::from_str(EIGENLAYER_CORE_JSON).ok()?;
    let hex = doc["contracts"][contract]["bytecode"].as_str()?;
    alloy_primitives::hex::decode(hex).ok().map(Into::into)
}

/// Groth16 verifying keys in the layout `RampartProofCenter.registerProofConfig` takes and
/// `verifyingKey` returns.
pub mod groth16_key {
    use crate::proof_center::Groth16::VerifyingKey;
    use alloy_primitives::U256;

    /// A G2 point as the verifier's four words: `x.c1, x.c0, y.c1, y.c0`.
    fn g2(p: &[[U256; 2]; 2]) -> [U256; 4] {
        [p[0][0], p[0][1], p[1][0], p[1][1]]
    }

    /// The key from its points as words (G1 `[x, y]`; G2 `[[x.c1, x.c0], [y.c1, y.c0]]`), or
    /// `None` unless `ic` has the four points of a three-input circuit.
    pub fn from_points(
        alpha: [U256; 2],
        beta: &[[U256; 2]; 2],
        gamma: &[[U256; 2]; 2],
        delta: &[[U256; 2]; 2],
        ic: &[[U256; 2]],
    ) -> Option<VerifyingKey> {
        Some(VerifyingKey {
            alpha,
            beta: g2(beta),
            gamma: g2(gamma),
            delta: g2(delta),
            ic: ic.try_into().ok()?,
        })
    }
}
