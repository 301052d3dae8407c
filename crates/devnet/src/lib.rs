//! Rampart on a chain of your own.
//!
//! - [`deploy`](mod@deploy): EigenLayer core v1.3.0 from the `eigen-utils` 2.0.0 bytecode behind
//!   OpenZeppelin 4.9.6 proxies, our PauserRegistry, token and strategy, then Rampart's contracts,
//!   wired together (registrar, operator set, slasher, stake configuration) — or only Rampart's
//!   contracts on top of an existing EigenLayer deployment;
//! - [`network`]: the whole local system for `rampart devnet` — anvil, the deployment, N
//!   operators with keys and configs in a data directory, onboarded through EigenLayer;
//! - [`services`]: what runs on it — an EVM L2 (a second anvil) with a batcher committing its
//!   blocks to L1, one operator daemon per operator, the aggregator, and a feed of the
//!   certificates landing on L1, and optionally Rampart's reference rollup ([`rollup`]: its
//!   proof configuration, sequencer and a transaction generator, with a feed of the proofs
//!   landing on L1), the slashes landing on L1 (the aggregator's embedded slasher catching the
//!   operators given deliberate faults); the daemons and the aggregator run either as tasks of this
//!   process or as child processes of the `rampart` binary ([`ChildProcesses`]).

mod children;
pub mod deploy;
mod error;
pub mod network;
pub mod rollup;
pub mod services;

pub use children::ChildProcesses;
pub use deploy::{DeployConfig, Deployed, deploy};
pub use error::{Error, Result};
pub use network::{Network, NetworkConfig, Progress};
pub use rollup::{ProvingConfig, ReferenceRollupConfig};
pub use services::{
    CertificateLanded, ProofLanded, Services, ServicesConfig, SlashKind, SlashLanded,
};
