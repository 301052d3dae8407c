//! Errors of the operator crate.

use alloy::primitives::Address;
use std::path::PathBuf;

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong configuring, inspecting or onboarding an operator. Messages never contain
/// secrets: key material and passwords are only ever named by the file that holds them.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration file cannot be read, parsed or is inconsistent.
    #[error("config {path}: {message}")]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// What is wrong (never the value of a secret).
        message: String,
    },
    /// The configuration holds a secret in plain text.
    #[error(
        "config {path}: `{key}` looks like a secret in plain text; refusing to use it. Keep the \
         ECDSA key in an encrypted keystore (operator.ecdsa_keystore + \
         operator.ecdsa_password_file) or a key file (operator.ecdsa_key_file), the BLS key in \
         an EIP-2335 keystore, and passwords in files"
    )]
    PlaintextSecret {
        /// The configuration file.
        path: PathBuf,
        /// The offending key, as `table.key`.
        key: String,
    },
    /// A key, keystore or password file cannot be read or used.
    #[error("{what} {path}: {message}")]
    Key {
        /// Which key file this is ("ECDSA keystore", "BLS password file", …).
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// What went wrong (never the file's contents).
        message: String,
    },
    /// The chain, a contract call or the deployment file failed (reverts are decoded).
    #[error(transparent)]
    Chain(#[from] rampart_chain::Error),
    /// The RPC endpoint serves another chain than the deployment's.
    #[error(
        "{rpc_url} serves chain id {actual}, but the deployment file is for chain id {expected}"
    )]
    WrongChain {
        /// The endpoint.
        rpc_url: String,
        /// The endpoint's chain id.
        actual: u64,
        /// The deployment's chain id.
        expected: u64,
    },
    /// Something in the deployment does not look like a working Rampart deployment.
    #[error("deployment: {0}")]
    Deployment(String),
    /// The `[devnet]` section was given for a chain that is not a devnet.
    #[error(
        "the [devnet] section is only for local devnets (chain id 31337 or a deployment with a \
         mintable test token); chain {chain_id} is neither: remove the section"
    )]
    NotADevnet {
        /// The chain id.
        chain_id: u64,
    },
    /// `[dangerous_fault_injection]` was switched on for a chain that is not anvil's.
    #[error(
        "[dangerous_fault_injection] makes this operator misbehave on purpose (and get slashed); \
         it only runs on a local devnet (chain id 31337), not on chain {chain_id}: remove it"
    )]
    FaultInjectionRefused {
        /// The chain id.
        chain_id: u64,
    },
    /// The operator's account cannot pay for transactions.
    #[error("operator {operator} has no ETH for gas; fund it and re-run")]
    NoGas {
        /// The operator's address.
        operator: Address,
    },
    /// EigenLayer requires the operator's allocation delay to be in effect before allocating.
    #[error(
        "allocation delay not yet in effect ({}); re-run after that block",
        match effect_block {
            Some(block) => format!("it takes effect at block {block}, the chain is at block {current}"),
            None => format!("the chain is at block {current}; it takes effect ALLOCATION_CONFIGURATION_DELAY + 1 blocks after it was set"),
        }
    )]
    AllocationDelayPending {
        /// The block from which the delay is in effect, when it could be found.
        effect_block: Option<u64>,
        /// The latest block.
        current: u64,
    },
    /// An allocation to the Rampart set is pending and must take effect before registering.
    #[error(
        "the allocation to the Rampart operator set takes effect at block {effect_block} (the \
         chain is at block {current}); re-run after that block"
    )]
    AllocationPending {
        /// The block from which the allocation is in effect.
        effect_block: u64,
        /// The latest block.
        current: u64,
    },
    /// The operator left the Rampart set recently; EigenLayer refuses a new registration while
    /// it is still slashable there.
    #[error(
        "the operator left the Rampart operator set recently and EigenLayer keeps it slashable \
         there {}; it can register again after that block: re-run then",
        match slashable_until {
            Some(block) => format!("until block {block} (the chain is at block {current})"),
            None => format!("for DEALLOCATION_DELAY blocks after leaving (the chain is at block {current})"),
        }
    )]
    RecentlyDeregistered {
        /// The last block at which it is slashable, when it could be found.
        slashable_until: Option<u64>,
        /// The latest block.
        current: u64,
    },
    /// A local file of the daemon (outbox, cursor) could not be read or written.
    #[error("cannot {what} ({path}): {source}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The slashing-protection database failed (or refused to open for this key and chain).
    #[error("slashing protection: {0}")]
    Protection(#[from] rampart_slashing::Error),
    /// The daemon refuses to start for an operator that is not in the Rampart operator set.
    #[error(
        "operator {operator} is not registered in Rampart operator set {operator_set} with this BLS key ({pubkey}); run `rampart operator register --config …` first"
    )]
    NotRegistered {
        /// The operator.
        operator: alloy::primitives::Address,
        /// The set.
        operator_set: u32,
        /// The configured BLS key.
        pubkey: String,
    },
    /// An L2 node could not be read.
    #[error("rollup {rollup}: L2 node {endpoint}: {message}")]
    L2 {
        /// The rollup.
        rollup: u64,
        /// The node (scheme and host only).
        endpoint: String,
        /// What failed.
        message: String,
    },
    /// The proving-job worker of a rollup cannot work (key, engine, or a disagreement with L1).
    #[error("rollup {rollup}: proving: {message}")]
    Proving {
        /// The rollup.
        rollup: u64,
        /// What is wrong.
        message: String,
    },
    /// The node API could not listen.
    #[error("node API on {address}: {message}")]
    NodeApi {
        /// The address.
        address: String,
        /// Why.
        message: String,
    },
}

impl Error {
    pub(crate) fn io(what: &'static str, path: &std::path::Path, source: std::io::Error) -> Self {
        Self::Io { what, path: path.to_path_buf(), source }
    }

    pub(crate) fn config(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::Config { path: path.into(), message: message.into() }
    }

    pub(crate) fn key(
        what: &'static str,
        path: impl Into<PathBuf>,
        message: impl ToString,
    ) -> Self {
        Self::Key { what, path: path.into(), message: message.to_string() }
    }
}
