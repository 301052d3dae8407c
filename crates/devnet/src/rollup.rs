//! The devnet's reference rollup: registered as its own rollup with its own batcher key, a
//! genesis of funded test accounts, a proof configuration (a development key setup for its
//! batch circuit, cached by shape), the sequencer (in this process), and a transaction
//! generator feeding it.

use crate::network::{Network, fund, write_private};
use crate::{Error, Result};
use alloy::primitives::U256;
use alloy_signer_local::PrivateKeySigner;
use rampart_chain::provider::{connect, send};
use rampart_contracts::attestation_center::RampartAttestationCenter as Center;
use rampart_contracts::proof_center::RampartProofCenter;
use rampart_reference_rollup::field::to_b256;
use rampart_reference_rollup::{Genesis, RollupKey, Shape};
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
    /// Validity proofs of every batch (`None`: certificates only).
    pub proving: Option<ProvingConfig>,
}

impl Default for ReferenceRollupConfig {
    fn default() -> Self {
        Self {
            depth: 8,
            accounts: 16,
            max_batch_txs: 4,
            batch_interval: Duration::from_secs(4),
            tx_rate: 0.75,
            proving: Some(ProvingConfig::default()),
        }
    }
}

/// The reference rollup's proof configuration on the devnet.
#[derive(Debug, Clone)]
pub struct ProvingConfig {
    /// L1 blocks from a batch commit to its proving deadline.
    pub window_blocks: u32,
    /// Share slashed from a prover that misses its job (WAD).
    pub missed_proof_wad: u64,
    /// Share slashed from a signer of a root a proof contradicts (WAD).
    pub contradiction_wad: u64,
    /// Where proving keys are cached by circuit shape (`None`: `keys/` in the devnet's data
    /// directory). A key setup takes tens of seconds; a cached key is reused by every run.
    pub key_dir: Option<PathBuf>,
}

impl Default for ProvingConfig {
    fn default() -> Self {
        Self {
            window_blocks: 100,
            missed_proof_wad: 10_000_000_000_000_000,
            contradiction_wad: 100_000_000_000_000_000,
            key_dir: None,
        }
    }
}

/// The running reference rollup.
#[derive(Debug)]
pub(crate) struct ReferenceRollup {
    pub(crate) rollup_id: u64,
    pub(crate) sequencer_url: String,
    pub(crate) genesis_file: PathBuf,
    /// The proving key operators prove with, when proving is on.
    pub(crate) proving_key: Option<PathBuf>,
    sequencer: rampart_sequencer::Sequencer,
    generator: tokio::task::JoinHandle<GeneratorStats>,
    stop: watch::Sender<bool>,
}

fn data_error(path: &Path, e: impl ToString) -> Error {
    Error::DataDir { path: path.display().to_string(), message: e.to_string() }
}

impl ReferenceRollup {
    /// Registers the rollup, hands it a fresh batcher key, writes its genesis, registers its
    /// proof configuration (before its first batch, as the proof center requires), starts the
    /// sequencer on `port` (0: any) and the generator. `key_dir` caches proving keys.
    pub(crate) async fn start(
        network: &Network,
        dir: &Path,
        key_dir: &Path,
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
        let center = Center::new(network.deployment.rampart.attestation_center, l1.clone());
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
        // Daemons resolve relative paths from their own configuration's directory.
        let genesis_file = genesis_file.canonicalize().map_err(|e| data_error(&genesis_file, e))?;
        let proving_key = match &config.proving {
            Some(proving) => {
                let shape =
                    Shape { rollup_id, depth: config.depth, batch_size: config.max_batch_txs };
                let dir = proving.key_dir.as_deref().unwrap_or(key_dir);
                let (key, path) = proving_key(dir, shape).await?;
                let path = path.canonicalize().map_err(|e| data_error(&path, e))?;
                let proofs = RampartProofCenter::new(network.deployment.rampart.proof_center, l1);
                register_proof_config(&proofs, &key, &genesis, proving).await?;
                Some(path)
            }
            None => None,
        };
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
        Ok(Self { rollup_id, sequencer_url, genesis_file, proving_key, sequencer, generator, stop })
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

/// The development proving key of `shape`: read from `dir` when an earlier run made it, else
/// set up (tens of seconds, on a blocking thread) and saved there.
async fn proving_key(dir: &Path, shape: Shape) -> Result<(RollupKey, PathBuf)> {
    let path = dir.join(format!(
        "rollup-{}-depth{}-batch{}.pk",
        shape.rollup_id, shape.depth, shape.batch_size
    ));
    let cached = path.clone();
    let loaded = tokio::task::spawn_blocking(move || {
        RollupKey::load(&cached, rampart_gpu_prover::KeyCheck::Trusted)
    })
    .await
    .map_err(|e| data_error(&path, e))?;
    match loaded {
        Ok(key) if key.shape() == shape => return Ok((key, path)),
        Ok(_) => tracing::warn!(target: "rampart::devnet", path = %path.display(),
            "cached proving key is for another circuit shape; making a new one"),
        Err(rampart_reference_rollup::ProvingError::Io { source, .. })
            if source.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => tracing::warn!(target: "rampart::devnet", error = %e,
            "cached proving key unreadable; making a new one"),
    }
    std::fs::create_dir_all(dir).map_err(|e| data_error(dir, e))?;
    tracing::info!(target: "rampart::devnet", rollup = shape.rollup_id, depth = shape.depth,
        batch_size = shape.batch_size, path = %path.display(),
        "setting up the reference rollup's proving key (development ceremony; cached for later runs)");
    let target = path.clone();
    let key = tokio::task::spawn_blocking(move || {
        let key = RollupKey::setup(shape, &mut rand08::rngs::OsRng)?;
        key.save(&target)?;
        Ok::<_, rampart_reference_rollup::ProvingError>(key)
    })
    .await
    .map_err(|e| data_error(&path, e))?
    .map_err(|e| data_error(&path, e))?;
    Ok((key, path))
}

/// Governance registers the rollup's verifying key, genesis root, proving window and slashing
/// shares.
pub async fn register_proof_config(
    proofs: &RampartProofCenter::RampartProofCenterInstance<alloy::providers::DynProvider>,
    key: &RollupKey,
    genesis: &Genesis,
    config: &ProvingConfig,
) -> Result<()> {
    let vk = key.solidity_verifying_key();
    let verifying_key = rampart_contracts::groth16_key::from_points(
        vk.alpha, &vk.beta, &vk.gamma, &vk.delta, &vk.ic,
    )
    .ok_or_else(|| Error::Deploy("proof configuration", "not a three-input key".into()))?;
    let params = RampartProofCenter::ProofParams {
        verifyingKey: verifying_key,
        genesisStateRoot: to_b256(&genesis.root()),
        provingWindow: config.window_blocks,
        missedProofWad: config.missed_proof_wad,
        contradictionWad: config.contradiction_wad,
    };
    send(
        "register the reference rollup's proof configuration",
        proofs.registerProofConfig(genesis.rollup_id, params),
    )
    .await?;
    Ok(())
}
