//! The sequencer's configuration file (TOML).
//!
//! ```toml
//! [chain]
//! # L1 JSON-RPC endpoint. Default "http://127.0.0.1:8545".
//! rpc_url = "http://127.0.0.1:8545"
//! # Deployment file naming the contracts. Default "deployment.json".
//! deployment = "deployment.json"
//!
//! [sequencer]
//! # API listen address. Default "127.0.0.1:9400".
//! listen = "127.0.0.1:9400"
//! # The rollup's genesis (JSON: rollup id, tree depth, accounts). Required.
//! genesis = "genesis.json"
//! # Batches are stored here. Default "sequencer-data".
//! data_dir = "sequencer-data"
//! # File holding the batcher's 0x-hex private key (the rollup's registered batcher). Required.
//! batcher_key_file = "batcher.key"
//! # Seal a batch at this many transfers (the circuit's batch size). Default 8.
//! max_batch_txs = 8
//! # ...or this long after the first pending transfer. Default 2000.
//! batch_interval_ms = 2000
//! # Pending transfers beyond this are refused with 503. Default 10000.
//! max_pending = 10000
//! # Request bodies beyond this are refused with 413. Default 16384.
//! max_body_bytes = 16384
//! # L1 poll interval. Default 500.
//! poll_interval_ms = 500
//! ```
//!
//! Relative paths are relative to the file's directory.

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The whole file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// L1.
    #[serde(default)]
    pub chain: ChainConfig,
    /// The sequencer.
    pub sequencer: SequencerConfig,
}

/// `[chain]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainConfig {
    /// L1 endpoint.
    #[serde(default = "default_rpc")]
    pub rpc_url: String,
    /// Deployment file.
    #[serde(default = "default_deployment")]
    pub deployment: PathBuf,
}

impl Default for ChainConfig {
    fn default() -> Self {
        Self { rpc_url: default_rpc(), deployment: default_deployment() }
    }
}

/// `[sequencer]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SequencerConfig {
    /// API listen address.
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    /// Genesis file.
    pub genesis: PathBuf,
    /// Data directory.
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// Batcher key file.
    pub batcher_key_file: PathBuf,
    /// Transfers per batch.
    #[serde(default = "default_batch_txs")]
    pub max_batch_txs: usize,
    /// Time bound of a batch, in milliseconds.
    #[serde(default = "default_interval")]
    pub batch_interval_ms: u64,
    /// Queue bound.
    #[serde(default = "default_max_pending")]
    pub max_pending: usize,
    /// Body bound.
    #[serde(default = "default_body")]
    pub max_body_bytes: usize,
    /// L1 poll interval in milliseconds.
    #[serde(default = "default_poll")]
    pub poll_interval_ms: u64,
}

fn default_rpc() -> String {
    "http://127.0.0.1:8545".into()
}
fn default_deployment() -> PathBuf {
    "deployment.json".into()
}
fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 9400))
}
fn default_data_dir() -> PathBuf {
    "sequencer-data".into()
}
fn default_batch_txs() -> usize {
    8
}
fn default_interval() -> u64 {
    2000
}
fn default_max_pending() -> usize {
    10_000
}
fn default_body() -> usize {
    16 * 1024
}
fn default_poll() -> u64 {
    500
}

impl Config {
    /// Reads a configuration file; relative paths become relative to its directory.
    pub fn load(path: &Path) -> crate::Result<Self> {
        let fail =
            |message: String| crate::Error::Storage { path: path.display().to_string(), message };
        let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
        let mut config: Self = toml::from_str(&text).map_err(|e| fail(e.to_string()))?;
        if config.sequencer.max_batch_txs == 0 {
            return Err(fail("sequencer.max_batch_txs must be at least 1".into()));
        }
        let base = path.parent().unwrap_or(Path::new("."));
        for p in [
            &mut config.chain.deployment,
            &mut config.sequencer.genesis,
            &mut config.sequencer.data_dir,
            &mut config.sequencer.batcher_key_file,
        ] {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
        Ok(config)
    }
}
