//! Rampart's protocol types and their signing digests.
//!
//! Every message an operator signs is the EIP-712 digest of a typed struct under the domain
//! `{name: "Rampart", version: "1", chainId, verifyingContract}` ([`Domain`]), so a signature
//! cannot be replayed on another chain, another deployment or as another message type. The
//! Solidity contracts compute the same digests; the type strings below are the contract.
//!
//! | signed type | struct | verifying contract |
//! |---|---|---|
//! | [`Checkpoint`] | `Checkpoint(uint64 rollupId,uint64 batchIndex,uint64 l2BlockNumber,bytes32 l2BlockHash,bytes32 stateRoot)` | the attestation center |
//! | [`KeyRegistration`] | `KeyRegistration(address operator,bytes pubkey)` (pubkey: 128-byte EIP-2537 G1) | the operator registry |
//!
//! JSON forms are stable: camelCase field names, `0x`-hex for bytes, decimal numbers for
//! integers, unknown fields refused.

mod attestation;
mod checkpoint;
mod domain;
#[cfg(feature = "test-utils")]
pub mod fixtures;
mod ids;
mod registration;
mod sol;

pub use attestation::{EquivocationEvidence, SignedAttestation};
pub use checkpoint::Checkpoint;
pub use domain::{DOMAIN_NAME, DOMAIN_VERSION, Domain};
pub use ids::{OperatorId, OperatorSetId, RollupId};
pub use registration::{KeyRegistration, ProofOfPossession};
pub use sol::{CHECKPOINT_TYPE, KEY_REGISTRATION_TYPE};

pub use alloy_primitives::{Address, B256};
