//! L1 access for Rampart: how the CLI, the devnet and the daemons talk to Ethereum.
//!
//! - [`anvil`]: a local chain harness around the pinned anvil binary (own process group, killed
//!   on drop, never orphaned);
//! - [`provider`]: alloy providers with a signer and fast receipt polling, plus
//!   [`provider::send`], which waits for the receipt and turns reverts into readable errors;
//! - [`revert`]: decodes revert data against every error of Rampart's contracts and EigenLayer
//!   core v1.3.0;
//! - [`secrets`]: ECDSA key files, geth keystores and password files;
//! - [`deployment`]: the deployment file every command reads (chain id, addresses, start block).

pub mod anvil;
pub mod deployment;
mod error;
pub mod provider;
pub mod revert;
pub mod secrets;

pub use deployment::{Deployment, EigenLayerAddresses, RampartAddresses};
pub use error::{Error, Result};
