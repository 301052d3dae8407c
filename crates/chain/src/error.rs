//! Errors of the chain crate.

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong talking to the chain.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The anvil binary could not be found or started.
    #[error("anvil: {0}")]
    Anvil(String),
    /// A transaction or call reverted; the message is decoded (see [`crate::revert`]).
    #[error("{action} reverted: {reason}")]
    Reverted {
        /// What was being done.
        action: String,
        /// The decoded reason.
        reason: String,
    },
    /// The RPC endpoint failed or answered nonsense.
    #[error("{action}: RPC error: {message}")]
    Rpc {
        /// What was being done.
        action: String,
        /// The transport's message.
        message: String,
    },
    /// No receipt arrived in time.
    #[error("{action}: no receipt for {tx} after {seconds} s")]
    Timeout {
        /// What was being done.
        action: String,
        /// The transaction hash.
        tx: alloy::primitives::TxHash,
        /// How long we waited.
        seconds: u64,
    },
    /// A deployment file could not be read or written.
    #[error("deployment file {path}: {message}")]
    DeploymentFile {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// An invalid RPC URL.
    #[error("invalid RPC URL {0:?}")]
    InvalidUrl(String),
}
