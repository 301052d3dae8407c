//! Errors of the aggregator core.

use alloy_primitives::Address;

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why an attestation or a certificate is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The operator is not in the set at the reference block.
    #[error("operator {0} is not registered in the operator set at the reference block")]
    UnknownOperator(Address),
    /// The signature does not verify for the operator's key and the checkpoint digest.
    #[error("invalid signature from operator {0}")]
    InvalidSignature(Address),
    /// A signature from this operator for this checkpoint is already counted.
    #[error("operator {0} already signed this checkpoint")]
    Duplicate(Address),
    /// No signer yet.
    #[error("no signatures")]
    Empty,
    /// The signatures sum to the identity (cannot happen with honest keys).
    #[error("aggregate signature is the identity")]
    Identity,
}
