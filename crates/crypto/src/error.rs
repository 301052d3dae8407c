//! Errors of the crypto crate.

use blst::BLST_ERROR;

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong decoding, validating or verifying BLS material.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Input has the wrong number of bytes for the encoding.
    #[error("invalid length: expected {expected} bytes, got {got}")]
    InvalidLength {
        /// Bytes the encoding requires.
        expected: usize,
        /// Bytes given.
        got: usize,
    },
    /// Flag bits, padding or a field element out of range.
    #[error("invalid point encoding")]
    InvalidEncoding,
    /// Coordinates do not satisfy the curve equation.
    #[error("point is not on the curve")]
    NotOnCurve,
    /// Point on the curve but outside the prime-order subgroup.
    #[error("point is not in the prime-order subgroup")]
    NotInSubgroup,
    /// The identity point, never a valid key or signature.
    #[error("point at infinity is not allowed")]
    Infinity,
    /// Secret key is zero or not below the group order.
    #[error("invalid secret key: must be non-zero and below the group order")]
    InvalidSecretKey,
    /// An operation that needs at least one input got none.
    #[error("empty input")]
    Empty,
    /// A batch contained the same (public key, message) pair twice.
    #[error("duplicate (public key, message) pair in batch")]
    DuplicateMessage,
    /// Input lists of different lengths were paired up.
    #[error("mismatched input lengths")]
    LengthMismatch,
    /// The signature does not verify for the given keys and messages.
    #[error("signature verification failed")]
    VerificationFailed,
    /// Text that is not (optionally `0x`-prefixed) hexadecimal.
    #[error("invalid hex string")]
    InvalidHex,
    /// The operating system's random number generator failed.
    #[error("random number generator failed")]
    Rng,
}

impl From<BLST_ERROR> for Error {
    fn from(e: BLST_ERROR) -> Self {
        match e {
            BLST_ERROR::BLST_POINT_NOT_ON_CURVE => Error::NotOnCurve,
            BLST_ERROR::BLST_POINT_NOT_IN_GROUP => Error::NotInSubgroup,
            BLST_ERROR::BLST_PK_IS_INFINITY => Error::Infinity,
            _ => Error::InvalidEncoding,
        }
    }
}
