//! The moving parts of a devnet: an EVM L2 (a second anvil, chain id 901) registered as a
//! rollup, a batcher that mines L2 blocks and commits each batch to L1, one operator daemon per
//! operator (each with its own slashing-protection database and node API), the aggregator, and
//! a watcher that reports every certificate as it lands on L1.
//!
//! The daemons and the aggregator run in this process as tasks, or, with
//! [`ServicesConfig::processes`], as child processes of the `rampart` binary. Either way they
//! talk the way separate machines would: JSON-RPC to the chains and HTTP between daemons and
//! aggregator. The chain is fresh each run, so the
//! daemons' and the aggregator's databases from an earlier run are removed at start (they
//! describe a chain that no longer exists).

use crate::children::{Child, ChildProcesses, free_port};
use crate::network::Network;
use crate::{Error, Result};
use alloy::primitives::{Address, B256, U256, keccak256};
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::Filter;
use alloy::sol_types::SolEvent;
use alloy_signer_local::PrivateKeySigner;
use rampart_aggregator::service::Aggregator;
use rampart_chain::anvil::{Anvil, AnvilOptions};
use rampart_chain::provider::{connect, rpc_error, send};
use rampart_contracts::attestation_center::RampartAttestationCenter as Center;
use rampart_contracts::proof_center::RampartProofCenter as Proofs;
use rampart_contracts::slasher::RampartSlasher as Slasher;
use rampart_operator::config::FaultInjection;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch};

/// L2 chain id.
pub const L2_CHAIN_ID: u64 = 901;

/// How the services run.
#[derive(Debug, Clone)]
pub struct ServicesConfig {
    /// Time between batches.
    pub batch_interval: Duration,
    /// L2 blocks per batch.
    pub blocks_per_batch: u64,
    /// The rollup's threshold (basis points of the set's stake).
    pub threshold_bps: u16,
    /// First port of the fixed layout (aggregator on it, L2 on +1, node APIs from +100); `None`
    /// for ports the OS picks (tests).
    pub base_port: Option<u16>,
    /// Stop committing after this many batches (`None`: until stopped).
    pub batches: Option<u64>,
    /// Poll interval of the daemons and the aggregator, in milliseconds.
    pub poll_interval_ms: u64,
    /// Run the daemons and the aggregator as child processes of this binary (`None`: as tasks
    /// in this process).
    pub processes: Option<ChildProcesses>,
    /// Also run the reference rollup (sequencer + generator), attested by every daemon.
    pub reference: Option<crate::ReferenceRollupConfig>,
    /// Deliberate faults of some daemons, by operator index (`[dangerous_fault_injection]`):
    /// the byzantine operators the slasher is shown catching.
    pub faults: HashMap<usize, FaultInjection>,
}

impl Default for ServicesConfig {
    fn default() -> Self {
        Self {
            batch_interval: Duration::from_secs(2),
            blocks_per_batch: 4,
            threshold_bps: 6667,
            base_port: Some(9300),
            batches: None,
            poll_interval_ms: 50,
            processes: None,
            reference: None,
            faults: HashMap::new(),
        }
    }
}

/// A certificate accepted on L1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateLanded {
    /// The rollup.
    pub rollup_id: u64,
    /// The batch.
    pub batch_index: u64,
    /// Its certified state root.
    pub state_root: B256,
    /// Signed stake over total stake.
    pub signed_stake: U256,
    /// Total stake at the reference block.
    pub total_stake: U256,
    /// Non-signers listed.
    pub non_signers: usize,
    /// L1 transaction.
    pub tx_hash: B256,
    /// L1 block.
    pub block: u64,
    /// From the batch commit's receipt to the certificate being seen on L1.
    pub latency: Duration,
}

/// A validity proof accepted on L1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofLanded {
    /// The rollup.
    pub rollup_id: u64,
    /// The batch.
    pub batch_index: u64,
    /// The proven state root.
    pub state_root: B256,
    /// Who submitted the proof.
    pub prover: Address,
    /// Who was drawn for the job.
    pub assigned_prover: Address,
    /// L1 transaction.
    pub tx_hash: B256,
    /// L1 block.
    pub block: u64,
    /// From the batch commit being seen on L1 to the proof being seen on L1.
    pub latency: Duration,
}

/// The faults of a byzantine devnet operator (`rampart devnet --byzantine`): it equivocates
/// on every third batch, signs a wrong root on every second, and skips its proving jobs.
pub fn byzantine() -> FaultInjection {
    FaultInjection { equivocate_every: 3, wrong_root_every: 2, skip_proving_jobs: true }
}

/// Which fault a slash punished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SlashKind {
    /// Two signed checkpoints for one batch.
    Equivocation,
    /// Signed a certified root a proof contradicts.
    Contradiction,
    /// Missed a proving job.
    MissedProof,
}

impl SlashKind {
    /// Its name in words.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Equivocation => "equivocation",
            Self::Contradiction => "contradicted root",
            Self::MissedProof => "missed proof",
        }
    }
}

/// A slash on L1 (`RampartSlasher`'s events).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlashLanded {
    /// The fault.
    pub kind: SlashKind,
    /// The slashed operator.
    pub operator: Address,
    /// The rollup.
    pub rollup_id: u64,
    /// The batch.
    pub batch_index: u64,
    /// The share of its stake slashed (WAD).
    pub wad: U256,
    /// Who sent the slashing transaction.
    pub sender: Address,
    /// L1 transaction.
    pub tx_hash: B256,
    /// L1 block.
    pub block: u64,
}

/// The daemons and the aggregator, wherever they run.
enum Running {
    /// Tasks of this process.
    InProcess { aggregator: Aggregator, daemons: Vec<rampart_operator::daemon::Daemon> },
    /// Child processes (the aggregator first).
    Children(Vec<Child>),
}

/// The running services.
pub struct Services {
    l2: Anvil,
    /// The rollup id of the L2.
    pub rollup_id: u64,
    /// The aggregator's HTTP API.
    pub aggregator_url: String,
    /// Each daemon's node API (EigenLayer node spec, `/metrics`).
    pub node_apis: Vec<String>,
    /// The aggregator's configuration file.
    pub aggregator_config: PathBuf,
    /// The reference rollup's id, when it runs.
    pub reference_rollup_id: Option<u64>,
    /// The reference rollup's sequencer API, when it runs.
    pub sequencer_url: Option<String>,
    reference: Option<crate::rollup::ReferenceRollup>,
    proofs: Option<mpsc::UnboundedReceiver<ProofLanded>>,
    slashes: Option<mpsc::UnboundedReceiver<SlashLanded>>,
    running: Running,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    stop: watch::Sender<bool>,
}

impl std::fmt::Debug for Services {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Services")
            .field("rollup_id", &self.rollup_id)
            .field("aggregator_url", &self.aggregator_url)
            .finish_non_exhaustive()
    }
}

impl Services {
    /// Starts the L2, registers it as a rollup, starts the aggregator and every daemon, then
    /// the batcher. Certificates are sent to `certificates` as they land.
    pub async fn start(
        network: &Network,
        data_dir: &Path,
        config: &ServicesConfig,
        certificates: mpsc::UnboundedSender<CertificateLanded>,
    ) -> Result<Self> {
        let port = |offset: u16| config.base_port.map_or(0, |p| p + offset);
        let l2 = Anvil::spawn(&AnvilOptions {
            port: port(1),
            chain_id: L2_CHAIN_ID,
            accounts: 1,
            ..Default::default()
        })?;
        let l2_provider = connect(&l2.endpoint(), None)?;
        mine(&l2_provider, config.blocks_per_batch).await?;
        let rollup_id = network
            .register_rollup(config.threshold_bps, U256::from(10u64).pow(U256::from(16)))
            .await?;

        let reference = match &config.reference {
            Some(reference) => {
                let dir = data_dir.join("rollup");
                reset_dir(&dir)?;
                let started = crate::rollup::ReferenceRollup::start(
                    network,
                    &dir,
                    &data_dir.join("keys"),
                    config.threshold_bps,
                    port(2),
                    reference,
                )
                .await?;
                Some(started)
            }
            None => None,
        };
        let reference_entry = reference.as_ref().map(|r| {
            let proving = r
                .proving_key
                .as_ref()
                .map(|key| format!("proving_key = \"{}\"\n", key.display()))
                .unwrap_or_default();
            format!(
                "\n[[rollups]]\nid = {}\nsource = \"reference\"\nrpc_url = \"{}\"\ngenesis = \"{}\"\n{proving}",
                r.rollup_id,
                r.sequencer_url,
                r.genesis_file.display()
            )
        });
        let aggregator_dir = data_dir.join("aggregator");
        reset_dir(&aggregator_dir)?;
        let l2_url = l2.endpoint();
        let write_daemon =
            |index: usize, operator_config: &Path, aggregator_url: &str, node_port: u16| {
                let path = daemon_config(
                    operator_config,
                    aggregator_url,
                    &l2_url,
                    rollup_id,
                    node_port,
                    config,
                )?;
                let mut text = std::fs::read_to_string(&path).map_err(|e| data_error(&path, e))?;
                if let Some(entry) = &reference_entry {
                    text.push_str(entry);
                }
                if let Some(f) = config.faults.get(&index) {
                    text.push_str(&format!(
                        "\n# This operator misbehaves on purpose: `rampart devnet --byzantine`.\n\
                     [dangerous_fault_injection]\nequivocate_every = {}\nwrong_root_every = {}\n\
                     skip_proving_jobs = {}\n",
                        f.equivocate_every, f.wrong_root_every, f.skip_proving_jobs
                    ));
                }
                std::fs::write(&path, text).map_err(|e| data_error(&path, e))?;
                Ok::<_, Error>(path)
            };
        let (running, aggregator_url, node_apis, aggregator_config) = match &config.processes {
            None => {
                let (aggregator, path) =
                    start_aggregator(network, &aggregator_dir, port(0), config).await?;
                let url = format!("http://{}", aggregator.addr);
                let mut daemons = Vec::new();
                let mut node_apis = Vec::new();
                for (index, op) in network.operators.iter().enumerate() {
                    let node_port = port(100 + index as u16);
                    let config_file = write_daemon(index, &op.config, &url, node_port)?;
                    let loaded = rampart_operator::config::Config::load(&config_file)
                        .map_err(|source| Error::Operator { index: index as u32, source })?;
                    let daemon = rampart_operator::daemon::start(loaded)
                        .await
                        .map_err(|source| Error::Operator { index: index as u32, source })?;
                    node_apis.push(format!("http://{}", daemon.node_api));
                    daemons.push(daemon);
                }
                (Running::InProcess { aggregator, daemons }, url, node_apis, path)
            }
            Some(how) => {
                let port =
                    |offset: u16| config.base_port.map_or_else(free_port, |p| Ok(p + offset));
                let aggregator_port = port(0)?;
                let path =
                    write_aggregator_config(network, &aggregator_dir, aggregator_port, config)
                        .await?;
                let addr = SocketAddr::from(([127, 0, 0, 1], aggregator_port));
                let args = ["aggregator", "run", "--config", path_str(&path)?];
                let log = aggregator_dir.join("aggregator.log");
                let mut children = vec![Child::start("aggregator", how, &args, &log, addr).await?];
                let url = format!("http://{addr}");
                let mut node_apis = Vec::new();
                for (index, op) in network.operators.iter().enumerate() {
                    let node_port = port(100 + index as u16)?;
                    let config_file = write_daemon(index, &op.config, &url, node_port)?;
                    let addr = SocketAddr::from(([127, 0, 0, 1], node_port));
                    let args = ["operator", "run", "--config", path_str(&config_file)?];
                    let log = config_file.with_file_name("daemon.log");
                    let name = format!("operator {index}");
                    match Child::start(&name, how, &args, &log, addr).await {
                        Ok(child) => children.push(child),
                        Err(e) => {
                            for child in children {
                                let _ = child.stop().await;
                            }
                            return Err(e);
                        }
                    }
                    node_apis.push(format!("http://{addr}"));
                }
                (Running::Children(children), url, node_apis, path)
            }
        };

        let (stop, stop_rx) = watch::channel(false);
        let commits: Arc<Mutex<HashMap<(u64, u64), Instant>>> = Arc::default();
        let deployer = PrivateKeySigner::from_bytes(&network.deployer_key())
            .map_err(|e| Error::Deploy("deployer key", e.to_string()))?;
        let l1 = connect(&network.rpc_url(), Some(deployer))?;
        let center = network.deployment.rampart.attestation_center;
        let batcher = Batcher {
            l1: l1.clone(),
            l2: l2_provider,
            center,
            rollup_id,
            config: config.clone(),
            commits: commits.clone(),
        };
        let reference_rollup_id = reference.as_ref().map(|r| r.rollup_id);
        let (proofs_tx, proofs) = mpsc::unbounded_channel();
        let (slashes_tx, slashes) = mpsc::unbounded_channel();
        let proven = reference.as_ref().filter(|r| r.proving_key.is_some()).map(|r| r.rollup_id);
        let watcher = Watcher {
            l1,
            center,
            proof_center: network.deployment.rampart.proof_center,
            slasher: network.deployment.rampart.slasher,
            rollups: [Some(rollup_id), reference_rollup_id].into_iter().flatten().collect(),
            sequenced: reference_rollup_id,
            proven,
            commits,
            certificates,
            proofs: proofs_tx,
            slashes: slashes_tx,
        };
        let tasks = vec![
            tokio::spawn(batcher.run(stop_rx.clone())),
            tokio::spawn(watcher.run(network.deployment.start_block, stop_rx)),
        ];
        Ok(Self {
            l2,
            rollup_id,
            aggregator_url,
            node_apis,
            aggregator_config,
            reference_rollup_id,
            sequencer_url: reference.as_ref().map(|r| r.sequencer_url.clone()),
            reference,
            proofs: Some(proofs),
            slashes: Some(slashes),
            running,
            tasks,
            stop,
        })
    }

    /// The child processes' log files, the aggregator's first (none when they run in this
    /// process).
    pub fn logs(&self) -> Vec<PathBuf> {
        match &self.running {
            Running::InProcess { .. } => Vec::new(),
            Running::Children(children) => children.iter().map(|c| c.log().to_owned()).collect(),
        }
    }

    /// The proofs landing on L1, as they land (the reference rollup's, when it is proven).
    /// Taken once; `None` after.
    pub fn take_proofs(&mut self) -> Option<mpsc::UnboundedReceiver<ProofLanded>> {
        self.proofs.take()
    }

    /// The slashes landing on L1, as they land. Taken once; `None` after.
    pub fn take_slashes(&mut self) -> Option<mpsc::UnboundedReceiver<SlashLanded>> {
        self.slashes.take()
    }

    /// The L2's JSON-RPC endpoint.
    pub fn l2_rpc_url(&self) -> String {
        self.l2.endpoint()
    }

    /// Stops the batcher, the daemons and the aggregator (the L2 stops when dropped).
    pub async fn shutdown(self) -> Result<()> {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
        match self.running {
            Running::InProcess { aggregator, daemons } => {
                for (index, daemon) in daemons.into_iter().enumerate() {
                    daemon
                        .shutdown()
                        .await
                        .map_err(|source| Error::Operator { index: index as u32, source })?;
                }
                aggregator.shutdown().await?;
                if let Some(reference) = self.reference {
                    reference.shutdown().await;
                }
            }
            Running::Children(children) => {
                // Daemons first (they deliver to the aggregator), the aggregator last.
                let mut first_error = None;
                for child in children.into_iter().rev() {
                    if let Err(e) = child.stop().await {
                        first_error.get_or_insert(e);
                    }
                }
                if let Some(reference) = self.reference {
                    reference.shutdown().await;
                }
                if let Some(e) = first_error {
                    return Err(e);
                }
            }
        }
        Ok(())
    }
}

fn data_error(path: &Path, e: impl ToString) -> Error {
    Error::DataDir { path: path.display().to_string(), message: e.to_string() }
}

/// Removes and recreates a directory.
fn reset_dir(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(data_error(dir, e)),
    }
    std::fs::create_dir_all(dir).map_err(|e| data_error(dir, e))
}

async fn mine(provider: &DynProvider, blocks: u64) -> Result<()> {
    provider
        .raw_request::<_, serde_json::Value>("anvil_mine".into(), (U256::from(blocks),))
        .await
        .map_err(|e| Error::Chain(rpc_error("anvil_mine", e)))?;
    Ok(())
}

/// Writes the aggregator's key and configuration and starts it.
async fn start_aggregator(
    network: &Network,
    dir: &Path,
    port: u16,
    config: &ServicesConfig,
) -> Result<(Aggregator, PathBuf)> {
    let path = write_aggregator_config(network, dir, port, config).await?;
    let loaded = rampart_aggregator::config::Config::load(&path)?;
    Ok((rampart_aggregator::service::start(loaded).await?, path))
}

/// Writes (and funds) the aggregator's submitter key and its configuration file.
async fn write_aggregator_config(
    network: &Network,
    dir: &Path,
    port: u16,
    config: &ServicesConfig,
) -> Result<PathBuf> {
    let signer = PrivateKeySigner::random();
    let key = dir.join("submitter.key");
    crate::network::write_private(
        &key,
        format!("0x{}\n", alloy::hex::encode(signer.to_bytes())).as_bytes(),
    )?;
    crate::network::fund(&connect(&network.rpc_url(), None)?, signer.address()).await?;
    let text = format!(
        "# The devnet's aggregator: generated by `rampart devnet` (recreated each run).\n\
         [chain]\nrpc_url = \"{}\"\ndeployment = \"{}\"\npoll_interval_ms = {}\n\n\
         [aggregator]\nlisten = \"127.0.0.1:{port}\"\ndatabase = \"aggregator.sqlite\"\n\
         ecdsa_key_file = \"submitter.key\"\ninstance = \"devnet\"\nwait_window_ms = 100\n\n\
         [http]\noperator_rate_per_s = 1000\noperator_burst = 1000\n",
        network.rpc_url(),
        network
            .deployment_file
            .canonicalize()
            .map_err(|e| data_error(&network.deployment_file, e))?
            .display(),
        config.poll_interval_ms,
    );
    let path = dir.join("aggregator.toml");
    std::fs::write(&path, text).map_err(|e| data_error(&path, e))?;
    Ok(path)
}

/// A path as a command-line argument.
fn path_str(path: &Path) -> Result<&str> {
    path.to_str().ok_or_else(|| data_error(path, "not valid UTF-8"))
}

/// Appends the daemon's sections to an operator's generated config (rewritten each run); its
/// data directory starts empty (the chain is new).
fn daemon_config(
    operator_config: &Path,
    aggregator: &str,
    l2: &str,
    rollup_id: u64,
    node_port: u16,
    config: &ServicesConfig,
) -> Result<PathBuf> {
    let poll_ms = config.poll_interval_ms;
    let dir = operator_config.parent().unwrap_or(Path::new("."));
    reset_dir(&dir.join("data"))?;
    let mut text =
        std::fs::read_to_string(operator_config).map_err(|e| data_error(operator_config, e))?;
    text.push_str(&format!(
        "\n[daemon]\ndata_dir = \"data\"\naggregators = [\"{aggregator}\"]\n\
         node_api = \"127.0.0.1:{node_port}\"\npoll_interval_ms = {poll_ms}\n\n\
         [[rollups]]\nid = {rollup_id}\nsource = \"evm-rpc\"\nrpc_url = \"{l2}\"\nfinality = \"latest\"\n"
    ));
    std::fs::write(operator_config, text).map_err(|e| data_error(operator_config, e))?;
    Ok(operator_config.to_path_buf())
}

/// Mines L2 blocks and commits each batch to L1.
struct Batcher {
    l1: DynProvider,
    l2: DynProvider,
    center: Address,
    rollup_id: u64,
    config: ServicesConfig,
    commits: Arc<Mutex<HashMap<(u64, u64), Instant>>>,
}

impl Batcher {
    async fn run(self, mut stop: watch::Receiver<bool>) {
        let center = Center::new(self.center, self.l1.clone());
        let mut index = 0u64;
        while self.config.batches.is_none_or(|n| index < n) {
            let result = async {
                mine(&self.l2, self.config.blocks_per_batch).await?;
                let head = self.l2.get_block_number().await.map_err(|e| rpc_error("L2 head", e))?;
                let block = self
                    .l2
                    .get_block_by_number(head.into())
                    .await
                    .map_err(|e| rpc_error("L2 block", e))?
                    .ok_or_else(|| rpc_error("L2 block", "missing"))?;
                // The commitment binds the batch to the L2 block's hash.
                let commitment = keccak256(block.header.hash);
                send("commit batch", center.commitBatch(self.rollup_id, index, head, commitment))
                    .await?;
                self.commits
                    .lock()
                    .expect("commits lock")
                    .insert((self.rollup_id, index), Instant::now());
                Ok::<(), Error>(())
            }
            .await;
            match result {
                Ok(()) => index += 1,
                Err(e) => {
                    tracing::warn!(target: "rampart::devnet", error = %e, "batch commit failed; retrying")
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(self.config.batch_interval) => {}
                _ = stop.wait_for(|s| *s) => return,
            }
        }
    }
}

/// Reports `CertificateSubmitted` events of the devnet's rollups and `ProofSubmitted` events of
/// the proven one, timing each from its batch commit (the sequenced rollup's commits are seen
/// as `BatchCommitted` events).
struct Watcher {
    l1: DynProvider,
    center: Address,
    proof_center: Address,
    slasher: Address,
    rollups: Vec<u64>,
    sequenced: Option<u64>,
    /// The rollup whose batches are also proven (its commit times are kept for the proof).
    proven: Option<u64>,
    commits: Arc<Mutex<HashMap<(u64, u64), Instant>>>,
    certificates: mpsc::UnboundedSender<CertificateLanded>,
    proofs: mpsc::UnboundedSender<ProofLanded>,
    slashes: mpsc::UnboundedSender<SlashLanded>,
}

impl Watcher {
    async fn run(self, start_block: u64, mut stop: watch::Receiver<bool>) {
        let mut from = start_block;
        loop {
            if let Ok(head) = self.l1.get_block_number().await
                && head >= from
            {
                let filter = Filter::new()
                    .address(vec![self.center, self.proof_center, self.slasher])
                    .event_signature(vec![
                        Center::CertificateSubmitted::SIGNATURE_HASH,
                        Center::BatchCommitted::SIGNATURE_HASH,
                        Proofs::ProofSubmitted::SIGNATURE_HASH,
                        Slasher::EquivocationSlashed::SIGNATURE_HASH,
                        Slasher::ContradictionSlashed::SIGNATURE_HASH,
                        Slasher::MissedProofSlashed::SIGNATURE_HASH,
                    ])
                    .from_block(from)
                    .to_block(head);
                if let Ok(logs) = self.l1.get_logs(&filter).await {
                    for log in logs {
                        if let Ok(e) = Center::BatchCommitted::decode_log_data(log.data()) {
                            if Some(e.rollupId) == self.sequenced {
                                let mut commits = self.commits.lock().expect("commits lock");
                                commits
                                    .entry((e.rollupId, e.batchIndex))
                                    .or_insert_with(Instant::now);
                            }
                            continue;
                        }
                        if log.address() == self.proof_center {
                            self.proof(&log);
                            continue;
                        }
                        if log.address() == self.slasher {
                            self.slash(&log).await;
                            continue;
                        }
                        let Ok(e) = Center::CertificateSubmitted::decode_log_data(log.data())
                        else {
                            continue;
                        };
                        if !self.rollups.contains(&e.rollupId) {
                            continue;
                        }
                        let committed = {
                            let mut commits = self.commits.lock().expect("commits lock");
                            let key = (e.rollupId, e.batchIndex);
                            if Some(e.rollupId) == self.proven {
                                commits.get(&key).copied()
                            } else {
                                commits.remove(&key)
                            }
                        };
                        let _ = self.certificates.send(CertificateLanded {
                            rollup_id: e.rollupId,
                            batch_index: e.batchIndex,
                            state_root: e.checkpoint.stateRoot,
                            signed_stake: U256::from(e.signedStake),
                            total_stake: U256::from(e.totalStake),
                            non_signers: e.nonSignerKeyHashes.len(),
                            tx_hash: log.transaction_hash.unwrap_or_default(),
                            block: log.block_number.unwrap_or_default(),
                            latency: committed.map(|t| t.elapsed()).unwrap_or_default(),
                        });
                    }
                    from = head + 1;
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(20)) => {}
                _ = stop.wait_for(|s| *s) => return,
            }
        }
    }

    async fn slash(&self, log: &alloy::rpc::types::Log) {
        let data = log.data();
        let (kind, operator, rollup_id, batch_index, wad) =
            if let Ok(e) = Slasher::EquivocationSlashed::decode_log_data(data) {
                (SlashKind::Equivocation, e.operator, e.rollupId, e.batchIndex, e.wad)
            } else if let Ok(e) = Slasher::ContradictionSlashed::decode_log_data(data) {
                (SlashKind::Contradiction, e.operator, e.rollupId, e.batchIndex, e.wad)
            } else if let Ok(e) = Slasher::MissedProofSlashed::decode_log_data(data) {
                (SlashKind::MissedProof, e.operator, e.rollupId, e.batchIndex, e.wad)
            } else {
                return;
            };
        let tx_hash = log.transaction_hash.unwrap_or_default();
        let sender = match self.l1.get_transaction_by_hash(tx_hash).await {
            Ok(Some(tx)) => tx.inner.signer(),
            _ => Address::ZERO,
        };
        let _ = self.slashes.send(SlashLanded {
            kind,
            operator,
            rollup_id,
            batch_index,
            wad,
            sender,
            tx_hash,
            block: log.block_number.unwrap_or_default(),
        });
    }

    fn proof(&self, log: &alloy::rpc::types::Log) {
        let Ok(e) = Proofs::ProofSubmitted::decode_log_data(log.data()) else { return };
        let committed =
            self.commits.lock().expect("commits lock").remove(&(e.rollupId, e.batchIndex));
        let _ = self.proofs.send(ProofLanded {
            rollup_id: e.rollupId,
            batch_index: e.batchIndex,
            state_root: e.newStateRoot,
            prover: e.prover,
            assigned_prover: e.assignedProver,
            tx_hash: log.transaction_hash.unwrap_or_default(),
            block: log.block_number.unwrap_or_default(),
            latency: committed.map(|t| t.elapsed()).unwrap_or_default(),
        });
    }
}
