//! The Rampart operator: its configuration, keys and EigenLayer onboarding.
//!
//! - [`Config`]: the operator's TOML configuration (every option and default is documented in
//!   [`config`]);
//! - [`register`], [`deregister`]: idempotent onboarding through EigenLayer core v1.3.0 into the
//!   Rampart operator set, and leaving it (steps in [`onboarding`]), each returning a
//!   [`Report`] of what was done now and what already was;
//! - [`status`]: where the operator stands, as a serializable [`Status`].
//!
//! Every transaction goes through `rampart_chain::provider::send`, so reverts from EigenLayer
//! and Rampart come back as readable sentences.
//!
//! - [`daemon`]: `rampart operator run` — follows L1, re-derives each batch's state from the
//!   operator's own L2 node, signs behind slashing protection, delivers to aggregators from a
//!   durable outbox, and serves the EigenLayer node API and metrics.

mod allocation;
pub mod config;
mod context;
pub mod daemon;
mod devnet;
mod eigen;
mod error;
mod keys;
pub mod onboarding;
mod registration;
mod report;
mod status;

pub use config::Config;
pub use error::{Error, Result};
pub use onboarding::{deregister, register};
pub use report::{Outcome, Report, Step, Tx};
pub use status::{AllocationStatus, Status, status};
