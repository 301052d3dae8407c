//! Errors of the devnet crate.

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong deploying or running a devnet.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A chain interaction failed (decoded reverts included).
    #[error(transparent)]
    Chain(#[from] rampart_chain::Error),
    /// Onboarding an operator failed (the cause is the error's source).
    #[error("operator {index}")]
    Operator {
        /// Which operator.
        index: u32,
        /// Why.
        #[source]
        source: rampart_operator::Error,
    },
    /// Files in the data directory could not be written or read.
    #[error("{path}: {message}")]
    DataDir {
        /// The file or directory.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// The aggregator failed to start or stopped with an error.
    #[error("aggregator: {0}")]
    Aggregator(#[from] rampart_aggregator::service::ServiceError),
    /// A service running as a child process failed.
    #[error("{name}: {message}")]
    Child {
        /// Which service.
        name: String,
        /// What happened (with the end of its log).
        message: String,
    },
    /// The reference rollup's sequencer failed.
    #[error("sequencer: {0}")]
    Sequencer(#[from] rampart_sequencer::Error),
    /// A contract creation returned no address or bytecode was missing.
    #[error("deploying {0}: {1}")]
    Deploy(&'static str, String),
}
