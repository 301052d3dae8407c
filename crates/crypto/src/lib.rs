//! BLS12-381 signatures for Rampart, on `blst` with the `min_pk` layout: public keys in G1
//! (48 bytes compressed), signatures in G2 (96 bytes compressed), as Ethereum consensus does.
//!
//! Every point that enters through this crate is validated: on the curve, in the prime-order
//! subgroup, not the identity. A [`PublicKey`] or [`Signature`] value is therefore always safe to
//! use in fast (non-validating) blst calls, which is what keeps verification at raw-blst speed.
//!
//! Signing is domain-separated twice: by the hash-to-curve DST ([`DST_SIGNATURE`] for
//! attestations, [`DST_POP`] for proofs of possession) and by the 32-byte EIP-712 digest that is
//! the only kind of message this crate signs ([`Digest`]).
//!
//! Besides the compressed forms, points convert to and from the EIP-2537 uncompressed encoding
//! (128 bytes in G1, 256 in G2) that the on-chain precompiles take.

mod aggregate;
mod batch;
pub mod eip2537;
mod error;
mod hash;
mod hex;
mod public;
mod secret;
mod signature;
#[cfg(feature = "test-utils")]
pub mod test_utils;

pub use aggregate::{AggregatePublicKey, aggregate_signatures};
pub use batch::{SignatureSet, batch_verify};
pub use error::{Error, Result};
pub use hash::hash_to_g2;
pub use public::PublicKey;
pub use secret::SecretKey;
pub use signature::Signature;

/// A 32-byte message digest: what Rampart signs is always an EIP-712 digest.
pub type Digest = alloy_primitives::B256;

/// Hash-to-curve DST for attestation signatures (the IETF BLS `POP` ciphersuite).
pub const DST_SIGNATURE: &[u8] = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

/// Hash-to-curve DST for proofs of possession of a key at registration.
pub const DST_POP: &[u8] = b"BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

/// Length of a compressed G1 public key.
pub const PUBLIC_KEY_LEN: usize = 48;
/// Length of a compressed G2 signature.
pub const SIGNATURE_LEN: usize = 96;
/// Length of a secret key scalar.
pub const SECRET_KEY_LEN: usize = 32;
