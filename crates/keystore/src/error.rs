//! Errors of the keystore crate.

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong reading, decrypting or deriving keys.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The JSON is not an EIP-2335 keystore.
    #[error("malformed keystore: {0}")]
    Malformed(String),
    /// A keystore feature this implementation does not support.
    #[error("unsupported keystore: {0}")]
    Unsupported(String),
    /// KDF parameters outside the accepted bounds (too weak or too costly).
    #[error("invalid KDF parameters: {0}")]
    InvalidParams(String),
    /// The checksum did not match: almost always a wrong password.
    #[error("wrong password (keystore checksum mismatch)")]
    WrongPassword,
    /// The decrypted secret does not match the keystore's public key.
    #[error("keystore is corrupted: decrypted key does not match its public key")]
    PubkeyMismatch,
    /// The decrypted secret is not a valid BLS secret key.
    #[error("keystore holds an invalid secret key: {0}")]
    InvalidSecret(rampart_crypto::Error),
    /// A derivation path that is not `m/<index>/...`.
    #[error("invalid derivation path {0:?}")]
    InvalidPath(String),
    /// A derivation seed shorter than 32 bytes.
    #[error("derivation seed must be at least 32 bytes")]
    SeedTooShort,
    /// The operating system's random number generator failed.
    #[error("random number generator failed")]
    Rng,
}
