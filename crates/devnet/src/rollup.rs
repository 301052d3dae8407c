//! The devnet's reference rollup: registered as its own rollup with its own batcher key, a
//! genesis of funded test accounts, the sequencer (in this process), and a transaction
//! generator feeding it.

use crate::network::{Network, fund, write_private};
use crate::{Error, Result};
use alloy::primitives::U256;
use alloy_signer_local::PrivateKeySigner;
use rampart_chain::provider::{connect, send};
use rampart_contracts::attestation_center::RampartAttestationCenter as Center;
use rampart_reference_rollup::Genesis;
use rampart_sequencer::generator::{GeneratorConfig, GeneratorStats};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::watch;

/// Seed of the devnet accounts' keys (test keys, printed nowhere, derivable by anyone).
pub const ACCOUNT_SEED: &str = "rampart-devnet";

/// How the reference rollup runs on the devnet.
#[derive(Debug, Clone)]
pub struct ReferenceRollupConfig {
    /// Account tree depth.
    pub depth: usize,
    /// Funded accounts at genesis.
    pub accounts: u32,
    /// Transfers per batch (the circuit's batch size).
    pub max_batch_txs: usize,
    /// A batch is sealed at most this long after its first transfer.
    pub batch_interval: Duration,
    /// Generated transfers per second.
    pub tx_rate: f64,
}

impl Default for ReferenceRollupConfig {
    fn default() -> Self {
        Self {
            depth: 8,
            accounts: 16,
            max_batch_txs: 4,
            batch_interval: Duration::from_secs(2),
            tx_rate: 4.0,
        }
    }
}

/// The running reference rollup.
#[derive(Debug)]
pub(crate) struct ReferenceRollup {
    pub(crate) rollup_id: u64,
    pub(crate) sequencer_url: String,
    pub(crate) genesis_file: PathBuf,
    sequencer: rampart_sequencer::Sequencer,
    generator: tokio::task::JoinHandle<GeneratorStats>,
    stop: watch::Sender<bool>,
}

fn data_error(path: &Path, e: impl ToString) -> Error {
    Error::DataDir { path: path.display().to_string(), message: e.to_string() }
}

impl ReferenceRollup {
    /// Registers the rollup, hands it a fresh batcher key, writes its genesis, starts the
    /// sequencer on `port` (0: any) and the generator.
    pub(crate) async fn start(
        network: &Network,
        dir: &Path,
        threshold_bps: u16,
        port: u16,
        config: &ReferenceRollupConfig,
    ) -> Result<Self> {
        let rollup_id =
            network.register_rollup(threshold_bps, U256::from(10u64).pow(U256::from(16))).await?;
        let deployer = PrivateKeySigner::from_bytes(&network.deployer_key())
            .map_err(|e| Error::Deploy("deployer key", e.to_string()))?;
        let l1 = connect(&network.rpc_url(), Some(deployer))?;
        let batcher = PrivateKeySigner::random();
        fund(&l1, batcher.address()).await?;
        let center = Center::new(network.deployment.rampart.attestation_center, l1);
        send("set the reference rollup's batcher", center.setBatcher(rollup_id, batcher.address()))
            .await?;

        let key_file = dir.join("batcher.key");
        write_private(
            &key_file,
            format!("0x{}\n", alloy::hex::encode(batcher.to_bytes())).as_bytes(),
        )?;
        let genesis =
            Genesis::devnet(rollup_id, config.depth, config.accounts, 1_000_000_000, ACCOUNT_SEED);
        let genesis_file = dir.join("genesis.json");
        let text = serde_json::to_vec_pretty(&genesis).map_err(|e| data_error(&genesis_file, e))?;
        std::fs::write(&genesis_file, text).map_err(|e| data_error(&genesis_file, e))?;
        let deployment = network
            .deployment_file
            .canonicalize()
            .map_err(|e| data_error(&network.deployment_file, e))?;
        let sequencer_config = rampart_sequencer::Config {
            chain: rampart_sequencer::config::ChainConfig {
                rpc_url: network.rpc_url(),
                deployment,
            },
            sequencer: rampart_sequencer::config::SequencerConfig {
                listen: ([127, 0, 0, 1], port).into(),
                genesis: genesis_file.clone(),
                data_dir: dir.join("sequencer"),
                batcher_key_file: key_file,
                max_batch_txs: config.max_batch_txs,
                batch_interval_ms: config.batch_interval.as_millis() as u64,
                max_pending: 10_000,
                max_body_bytes: 16 * 1024,
                poll_interval_ms: 20,
            },
        };
        let sequencer = rampart_sequencer::start(sequencer_config).await?;
        let sequencer_url = format!("http://{}", sequencer.addr);
        let (stop, stop_rx) = watch::channel(false);
        let generator = tokio::spawn(rampart_sequencer::generator::run(
            GeneratorConfig {
                sequencer: sequencer_url.clone(),
                genesis,
                seed: ACCOUNT_SEED.into(),
                rate_per_s: config.tx_rate,
                count: None,
                max_amount: 1_000,
            },
            stop_rx,
        ));
        Ok(Self { rollup_id, sequencer_url, genesis_file, sequencer, generator, stop })
    }

    /// Stops the generator, then the sequencer.
    pub(crate) async fn shutdown(self) {
        let _ = self.stop.send(true);
        if let Ok(stats) = self.generator.await {
            tracing::info!(target: "rampart::devnet", accepted = stats.accepted, refused = stats.refused,
                failed = stats.failed, "transaction generator stopped");
        }
        self.sequencer.shutdown().await;
    }
}
