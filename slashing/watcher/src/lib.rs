//! The Rampart slasher: watches L1 and the aggregators' equivocation evidence and submits every
//! objective fault to `RampartSlasher` (equivocation, a certified root a proof contradicts, a
//! missed proving job), each exactly once.
//!
//! - [`watcher`]: finding faults and settling them on chain (see its notes for the rules);
//! - [`store`]: the durable fault records and input cursors (SQLite or PostgreSQL);
//! - [`evidence`]: reading and checking aggregators' evidence pages;
//! - [`config`] and [`service`]: `rampart slasher run`, standalone, with `/health` and
//!   `/metrics`. The aggregator embeds the same [`watcher::Watcher`] (on by default there).
//!
//! Anyone can run it: every slashing call is permissionless and checked by the contract, and
//! the watcher simulates each one before paying for it.

pub mod config;
pub mod evidence;
pub mod metrics;
pub mod service;
pub mod store;
pub mod watcher;

pub use config::Config;
pub use metrics::Metrics;
pub use store::{Fault, FaultKind, FaultRecord, FaultStatus, Store};
pub use watcher::{Progress, Setup, Watcher};

/// Why the slasher could not start, or a round failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration is unusable.
    #[error("configuration: {0}")]
    Config(String),
    /// Opening the database failed.
    #[error(transparent)]
    Storage(#[from] rampart_storage::StorageError),
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The database holds something this version cannot read.
    #[error("database holds unexpected data: {0}")]
    Corrupt(String),
    /// The deployment file or a transaction failed.
    #[error(transparent)]
    Chain(#[from] rampart_chain::Error),
    /// The paying key could not be loaded.
    #[error(transparent)]
    Key(#[from] rampart_chain::secrets::SecretError),
    /// An L1 call failed.
    #[error("{0}")]
    Rpc(String),
    /// A slashing transaction is broadcast but not mined yet (it is followed).
    #[error("transaction {0} not mined yet")]
    Pending(alloy_primitives::B256),
    /// Binding or serving HTTP failed.
    #[error("{action}: {source}")]
    Io {
        /// What was being done.
        action: String,
        /// The error.
        source: std::io::Error,
    },
}

/// Result of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
