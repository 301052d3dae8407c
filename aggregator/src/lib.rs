//! The Rampart aggregator's core: verify operators' attestations cheaply, account their stake at
//! a reference block, and build the certificate L1 checks.
//!
//! - [`verify`]: optimistic verification — one aggregate check for a whole batch of new
//!   signatures over one checkpoint, bisection only when it fails, so each bad signature costs
//!   O(log n) checks and is attributed to its sender, and good ones are never blamed;
//! - [`OperatorSetView`]: the set as it was at a reference block (keys, stakes, total);
//! - [`CheckpointAggregate`]: verified signatures for one checkpoint, signed stake, and the
//!   [`Certificate`] (aggregate signature + non-signers sorted by key hash) once the threshold
//!   is crossed.
//!
//! The service built on them — HTTP intake, L1 follower, persistence (SQLite/Postgres),
//! certificate submission and equivocation evidence — is [`service`], configured by
//! [`config::Config`] and run by `rampart aggregator run`.

mod aggregate;
pub mod config;
mod error;
pub mod service;
pub mod verify;
mod view;

pub use aggregate::{Certificate, CheckpointAggregate};
pub use error::{Error, Result};
pub use view::{OperatorInfo, OperatorSetView};
