//! Errors of the sequencer.

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can stop the sequencer.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file of the data directory could not be read or written.
    #[error("{path}: {message}")]
    Storage {
        /// The file.
        path: String,
        /// What failed.
        message: String,
    },
    /// The genesis or a stored batch is invalid.
    #[error(transparent)]
    Decode(#[from] rampart_reference_rollup::DecodeError),
    /// A stored batch no longer applies (the data directory belongs to another rollup).
    #[error("stored batch: {0}")]
    Batch(#[from] rampart_reference_rollup::BatchError),
    /// L1 failed.
    #[error(transparent)]
    Chain(#[from] rampart_chain::Error),
    /// The HTTP listener could not start.
    #[error("listen on {addr}: {message}")]
    Listen {
        /// The address.
        addr: String,
        /// Why.
        message: String,
    },
    /// The L1 registration disagrees with this sequencer.
    #[error("{0}")]
    Mismatch(String),
}
