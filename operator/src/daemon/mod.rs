//! The operator daemon (`rampart operator run`): follow L1, re-derive each committed batch's
//! state from the operator's own L2 node, sign it behind slashing protection, keep it in a
//! durable outbox and deliver it to every aggregator; serve the EigenLayer node API and metrics.
//!
//! Crash safety, step by step: a signature exists only after slashing protection committed the
//! checkpoint (so a restart re-signs the *same* checkpoint from the database, never a different
//! one); the attestation is written to the outbox before any delivery; the L1 cursor moves past a
//! batch only once its attestation is in the outbox. A crash at any point therefore loses
//! nothing and never double-signs: the batch is re-processed from the cursor.

mod delivery;
pub mod health;
mod l1;
pub mod metrics;
pub mod node_api;
mod outbox;
mod prover;
mod rpc;
mod source;

use crate::config::Config;
use crate::{Error, Result};
use alloy::providers::Provider;
use health::Health;
use metrics::Metrics;
use rampart_chain::Deployment;
use rampart_contracts::RampartOperatorRegistry;
use rampart_primitives::{Domain, SignedAttestation};
use rampart_slashing::{Identity, SlashingProtection};
use rampart_telemetry::{TARGET as TRACE, context, spans};
use source::{Derived, StateSource};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tracing::Instrument as _;

/// A running daemon.
#[derive(Debug)]
pub struct Daemon {
    /// Where the node API listens.
    pub node_api: SocketAddr,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<Result<()>>,
    provers: Vec<tokio::task::JoinHandle<()>>,
}

impl Daemon {
    /// Asks the daemon to stop after its current step (a proof in progress is finished) and
    /// waits for it.
    pub async fn shutdown(self) -> Result<()> {
        let _ = self.stop.send(true);
        for prover in self.provers {
            let _ = prover.await;
        }
        self.task.await.map_err(|e| Error::Deployment(format!("daemon task: {e}")))?
    }

    /// Waits until the daemon ends by itself (it only does on an error).
    pub async fn join(self) -> Result<()> {
        self.task.await.map_err(|e| Error::Deployment(format!("daemon task: {e}")))?
    }
}

/// Starts the daemon: checks the operator is registered, opens slashing protection, binds the
/// node API, then runs its loop in a task.
pub async fn start(config: Config) -> Result<Daemon> {
    let keys = crate::keys::load(&config)?;
    let deployment =
        Deployment::load(&config.chain.deployment).map_err(|e| Error::Deployment(e.to_string()))?;
    let operator = keys.operator();
    let pubkey = keys.bls.public_key();

    let mut l1_urls = vec![config.chain.rpc_url.clone()];
    l1_urls.extend(config.daemon.l1_fallback_urls.iter().cloned());
    let l1 = rpc::resilient(&l1_urls).map_err(|m| Error::config(&config.source, m))?;
    let chain_id = l1
        .get_chain_id()
        .await
        .map_err(|e| rampart_chain::provider::rpc_error("L1 chain id", e))?;
    if chain_id != deployment.chain_id {
        return Err(Error::WrongChain {
            rpc_url: config.chain.endpoint_label(),
            expected: deployment.chain_id,
            actual: chain_id,
        });
    }
    let faults = config.dangerous_fault_injection;
    if faults.any() {
        if chain_id != crate::context::DEVNET_CHAIN_ID {
            return Err(Error::FaultInjectionRefused { chain_id });
        }
        tracing::warn!(target: "rampart::operator", equivocate_every = faults.equivocate_every,
            wrong_root_every = faults.wrong_root_every, skip_proving_jobs = faults.skip_proving_jobs,
            "DANGEROUS fault injection is on: this operator misbehaves on purpose and will be slashed");
    }

    // Refuse to run for an operator that is not in the set with this key.
    let registry = RampartOperatorRegistry::new(deployment.rampart.operator_registry, l1.clone());
    let key =
        rampart_chain::provider::read("read the operator's key", registry.operatorKey(operator))
            .await?;
    let head = l1
        .get_block_number()
        .await
        .map_err(|e| rampart_chain::provider::rpc_error("L1 head", e))?;
    let registered = if key.keyHash == pubkey.key_hash() {
        // The state after the latest block (a registration in it counts).
        let at = head as u32;
        rampart_chain::provider::read(
            "read the operator's stake",
            registry.stakeAt(deployment.operator_set_id, key.keyHash, at),
        )
        .await?
        .registered
    } else {
        false
    };
    if !registered {
        return Err(Error::NotRegistered {
            operator,
            operator_set: deployment.operator_set_id,
            pubkey: pubkey.to_string(),
        });
    }

    let data_dir = config.daemon.data_dir.clone();
    std::fs::create_dir_all(&data_dir)
        .map_err(|e| Error::io("create the data directory", &data_dir, e))?;
    let protection_url = if config.daemon.protection_db.trim().is_empty() {
        format!("sqlite://{}", data_dir.join("protection.sqlite").display())
    } else {
        config.daemon.protection_db.clone()
    };
    let identity =
        Identity { chain_id, attestation_center: deployment.rampart.attestation_center, pubkey };
    let protection = SlashingProtection::open(&protection_url, identity).await?;

    let health = Arc::new(Health::default());
    let metrics = Arc::new(Metrics::new());
    health.declare("l1", "L1 RPC", "Ethereum node(s) the daemon follows");
    health.declare("db", "Slashing protection", "the database every signature goes through");
    let mut sources = HashMap::new();
    for rollup in &config.rollups {
        health.declare(
            &format!("l2-{}", rollup.id),
            &format!("L2 node of rollup {}", rollup.id),
            "the operator's own rollup node",
        );
        let center = rampart_contracts::attestation_center::RampartAttestationCenter::new(
            deployment.rampart.attestation_center,
            l1.clone(),
        );
        sources.insert(rollup.id, StateSource::new(rollup, &data_dir, center)?);
    }
    for (i, aggregator) in config.daemon.aggregators.iter().enumerate() {
        health.declare(
            &format!("aggregator-{i}"),
            &format!("aggregator {}", crate::config::endpoint_label(aggregator)),
            "receives signed attestations",
        );
    }
    health.up("db");

    let listener = tokio::net::TcpListener::bind(&config.daemon.node_api).await.map_err(|e| {
        Error::NodeApi { address: config.daemon.node_api.clone(), message: e.to_string() }
    })?;
    let node_api = listener.local_addr().map_err(|e| Error::NodeApi {
        address: config.daemon.node_api.clone(),
        message: e.to_string(),
    })?;

    let (stop, stop_rx) = watch::channel(false);
    let provers = if faults.skip_proving_jobs {
        Vec::new()
    } else {
        start_provers(&config, &keys, &deployment, &l1, &metrics, &health)?
    }
    .into_iter()
    .map(|worker| tokio::spawn(worker.run(stop_rx.clone())))
    .collect();
    let outbox = Arc::new(outbox::Outbox::open(&data_dir.join("outbox"))?);
    let domain = identity.domain();
    let follower = l1::Follower::new(
        l1.clone(),
        deployment.rampart.attestation_center,
        data_dir.join("l1-cursor.json"),
        deployment.start_block,
        config.daemon.confirmations,
    )?;
    let delivery = delivery::Delivery::new(
        config.daemon.aggregators.clone(),
        outbox.clone(),
        metrics.clone(),
        health.clone(),
        domain,
        Duration::from_secs(config.daemon.delivery_ttl_secs),
    );
    let api =
        node_api::app(node_api::ApiState { health: health.clone(), metrics: metrics.clone() });
    let mut api_stop = stop_rx.clone();
    tokio::spawn(async move {
        let _ = axum::serve(listener, api)
            .with_graceful_shutdown(async move {
                let _ = api_stop.wait_for(|s| *s).await;
            })
            .await;
    });

    tracing::info!(target: "rampart::operator", %operator, %pubkey, node_api = %node_api,
        rollups = config.rollups.len(), aggregators = config.daemon.aggregators.len(), "operator daemon started");
    let worker = Worker {
        operator,
        sk: keys.bls,
        domain,
        protection,
        outbox,
        follower,
        sources,
        delivery,
        health,
        metrics,
        registry,
        operator_set: deployment.operator_set_id,
        key_hash: pubkey.key_hash(),
        poll: Duration::from_millis(config.daemon.poll_interval_ms.max(10)),
        faults,
    };
    let task = tokio::spawn(worker.run(stop_rx));
    Ok(Daemon { node_api, stop, task, provers })
}

/// A proving-job worker for every reference rollup with a `proving_key`, sharing one engine.
fn start_provers(
    config: &Config,
    keys: &crate::keys::OperatorKeys,
    deployment: &Deployment,
    l1: &alloy::providers::DynProvider,
    metrics: &Arc<Metrics>,
    health: &Arc<Health>,
) -> Result<Vec<prover::ProvingWorker>> {
    let proving: Vec<_> = config.rollups.iter().filter(|r| r.proving_key.is_some()).collect();
    let Some(first) = proving.first() else { return Ok(Vec::new()) };
    if deployment.rampart.proof_center == alloy::primitives::Address::ZERO {
        return Err(Error::Proving {
            rollup: first.id,
            message: "proving_key is set but the deployment file names no proof center".into(),
        });
    }
    let engine = rampart_gpu_prover::Engine::new(config.daemon.prover_backend)
        .map_err(|e| Error::Proving { rollup: first.id, message: e.to_string() })?;
    tracing::info!(target: "rampart::prover", backend = engine.backend_name(), reason = engine.reason(),
        "proving engine ready");
    let engine = Arc::new(engine);
    let signer =
        rampart_chain::provider::connect(&config.chain.rpc_url, Some(keys.signer.clone()))?;
    let proofs =
        rampart_contracts::RampartProofCenter::new(deployment.rampart.proof_center, signer);
    let center = rampart_contracts::attestation_center::RampartAttestationCenter::new(
        deployment.rampart.attestation_center,
        l1.clone(),
    );
    let tx_lock = Arc::new(tokio::sync::Mutex::new(()));
    let mut workers = Vec::new();
    for rollup in proving {
        let fail = |message: String| Error::Proving { rollup: rollup.id, message };
        let (Some(key_file), Some(genesis_file)) = (&rollup.proving_key, &rollup.genesis) else {
            continue;
        };
        // Trusted: the key is compared with the registered verifying key before any use, and
        // every proof is verified before it is sent, so a corrupt key can only fail to prove.
        let key = rampart_reference_rollup::RollupKey::load(
            key_file,
            rampart_gpu_prover::KeyCheck::Trusted,
        )
        .map_err(|e| fail(e.to_string()))?;
        let genesis = rampart_reference_rollup::Genesis::load(genesis_file)
            .map_err(|e| fail(format!("{}: {e}", genesis_file.display())))?;
        workers.push(prover::ProvingWorker::open(prover::ProverSetup {
            rollup: rollup.id,
            operator: keys.operator(),
            key,
            genesis,
            engine: engine.clone(),
            feed: source::BatchFeed::new(rollup.id, &rollup.rpc_url, center.clone()),
            proofs: proofs.clone(),
            data_dir: config.daemon.data_dir.clone(),
            metrics: metrics.clone(),
            health: health.clone(),
            poll: Duration::from_millis(config.daemon.poll_interval_ms.max(10)),
            tx_lock: tx_lock.clone(),
        })?);
    }
    Ok(workers)
}

/// The slashing-protection database URL: `daemon.protection_db`, or SQLite in the data
/// directory.
pub fn protection_url(config: &Config) -> String {
    if config.daemon.protection_db.trim().is_empty() {
        format!("sqlite://{}", config.daemon.data_dir.join("protection.sqlite").display())
    } else {
        config.daemon.protection_db.clone()
    }
}

/// Opens the operator's slashing-protection database (for `rampart slashing-protection`):
/// the identity comes from the deployment file and the BLS keystore, without any RPC.
pub async fn open_protection(config: &Config) -> Result<SlashingProtection> {
    let deployment =
        Deployment::load(&config.chain.deployment).map_err(|e| Error::Deployment(e.to_string()))?;
    let mut warnings = Vec::new();
    let bls = crate::keys::load_bls(
        &config.operator.bls_keystore,
        &config.operator.bls_password_file,
        &mut warnings,
    )?;
    let identity = Identity {
        chain_id: deployment.chain_id,
        attestation_center: deployment.rampart.attestation_center,
        pubkey: bls.public_key(),
    };
    std::fs::create_dir_all(&config.daemon.data_dir)
        .map_err(|e| Error::io("create the data directory", &config.daemon.data_dir, e))?;
    Ok(SlashingProtection::open(&protection_url(config), identity).await?)
}

/// Runs until `shutdown` resolves (SIGINT/SIGTERM in the CLI), then stops gracefully.
pub async fn run(config: Config, shutdown: impl std::future::Future<Output = ()>) -> Result<()> {
    let daemon = start(config).await?;
    shutdown.await;
    tracing::info!(target: "rampart::operator", "stopping: finishing the current step");
    daemon.shutdown().await
}

/// A wrong state root derived from the right one, the same on every faulty operator (so
/// several liars sign one root and can get it certified).
fn injected_root(fault: &str, root: alloy::primitives::B256) -> alloy::primitives::B256 {
    alloy::primitives::keccak256(
        [b"rampart.fault-injection.".as_slice(), fault.as_bytes(), root.as_slice()].concat(),
    )
}

/// The daemon's loop state.
struct Worker {
    operator: alloy::primitives::Address,
    sk: rampart_crypto::SecretKey,
    domain: Domain,
    protection: SlashingProtection,
    outbox: Arc<outbox::Outbox>,
    follower: l1::Follower,
    sources: HashMap<u64, StateSource>,
    delivery: delivery::Delivery,
    health: Arc<Health>,
    metrics: Arc<Metrics>,
    registry:
        RampartOperatorRegistry::RampartOperatorRegistryInstance<alloy::providers::DynProvider>,
    operator_set: u32,
    key_hash: alloy::primitives::B256,
    poll: Duration,
    faults: crate::config::FaultInjection,
}

impl Worker {
    async fn run(mut self, mut stop: watch::Receiver<bool>) -> Result<()> {
        let mut rounds: u64 = 0;
        loop {
            self.follow_and_sign().await;
            if let Err(e) = self.delivery.pass().await {
                tracing::error!(target: "rampart::operator", error = %e, "outbox");
            }
            if rounds.is_multiple_of(30) {
                self.report_stake().await;
            }
            rounds += 1;
            tokio::select! {
                _ = stop.wait_for(|s| *s) => break,
                () = tokio::time::sleep(self.poll) => {}
            }
        }
        self.protection.close().await;
        tracing::info!(target: "rampart::operator", "operator daemon stopped; undelivered attestations stay in the outbox");
        Ok(())
    }

    /// One round: new batches → re-derive → sign (protected) → outbox; advance the cursor past
    /// what is handled. Every error is logged, reflected in health, and retried next round.
    async fn follow_and_sign(&mut self) {
        let (batches, to) = match self.follower.poll(&self.metrics).await {
            Ok(polled) => {
                self.health.up("l1");
                polled
            }
            Err(e) => {
                tracing::warn!(target: "rampart::l1", error = %e, "L1 poll failed; retrying");
                self.health.down("l1", e.to_string());
                return;
            }
        };
        let mut handled_to = to;
        for batch in batches {
            let Some(source) = self.sources.get(&batch.rollup_id) else { continue };
            let span = tracing::info_span!(target: TRACE, spans::OPERATOR_ATTEST,
                rollup = batch.rollup_id, batch = batch.batch_index, l1_block = batch.l1_block);
            context::follow_batch(&span, &self.domain, batch.rollup_id, batch.batch_index);
            let handled = self.attest(source, &batch).instrument(span).await;
            if !handled {
                handled_to = batch.l1_block.saturating_sub(1);
                break;
            }
        }
        if let Err(e) = self.follower.advance(handled_to, &self.metrics).await {
            tracing::warn!(target: "rampart::l1", error = %e, "cannot advance the L1 cursor; retrying");
        }
    }

    /// One batch: re-derive → protect and sign → outbox. False when it must be tried again
    /// (the cursor stays before it).
    async fn attest(&self, source: &StateSource, batch: &l1::CommittedBatch) -> bool {
        tracing::info_span!(target: TRACE, spans::OPERATOR_OBSERVE,
            l2_block = batch.l2_block_number, commitment = %batch.commitment)
        .in_scope(|| {});
        let service = format!("l2-{}", batch.rollup_id);
        let derived = source
            .derive(batch, &self.metrics)
            .instrument(tracing::info_span!(target: TRACE, spans::OPERATOR_DERIVE))
            .await;
        let mut checkpoint = match derived {
            Ok(Derived::Ready(checkpoint)) => {
                self.health.up(&service);
                checkpoint
            }
            Ok(Derived::NotYet(head)) => {
                self.health.up(&service);
                tracing::debug!(target: "rampart::l2", rollup = batch.rollup_id, batch = batch.batch_index,
                    l2_block = batch.l2_block_number, l2_head = ?head, "L2 block not final yet; waiting");
                return false;
            }
            Err(e) => {
                tracing::warn!(target: "rampart::l2", error = %e, "L2 read failed; retrying");
                self.health.down(&service, e.to_string());
                return false;
            }
        };
        if self.faults.lies(batch.batch_index) {
            checkpoint.state_root = injected_root("wrong-root", checkpoint.state_root);
            tracing::warn!(target: "rampart::operator", rollup = batch.rollup_id, batch = batch.batch_index,
                state_root = %checkpoint.state_root, "fault injection: signing a wrong state root");
        }
        let digest = checkpoint.digest(&self.domain);
        let sk = &self.sk;
        let sign = |d: &_| {
            tracing::info_span!(target: TRACE, spans::OPERATOR_SIGN).in_scope(|| sk.sign(d))
        };
        let signed = self
            .protection
            .sign_checkpoint(&checkpoint, digest, sign)
            .instrument(tracing::info_span!(target: TRACE, spans::OPERATOR_PROTECT))
            .await;
        match signed {
            Ok(signature) => {
                self.health.up("db");
                let attestation =
                    SignedAttestation { operator: self.operator, checkpoint, signature };
                if let Err(e) = self.outbox.put(&attestation) {
                    tracing::error!(target: "rampart::operator", error = %e, "cannot persist the attestation; retrying");
                    return false;
                }
                self.metrics.signed.increment(1);
                tracing::info!(target: "rampart::operator", rollup = batch.rollup_id, batch = batch.batch_index,
                    l2_block = batch.l2_block_number, state_root = %checkpoint.state_root, "attestation signed");
                if self.faults.equivocates(batch.batch_index) {
                    return self.equivocate(&checkpoint);
                }
                true
            }
            Err(rampart_slashing::Error::Refused { .. }) => {
                // A different checkpoint for this batch was signed before: never sign again.
                self.metrics.refused.increment(1);
                tracing::error!(target: "rampart::operator", rollup = batch.rollup_id, batch = batch.batch_index,
                    "slashing protection refused to sign a different checkpoint for an already-signed batch");
                true
            }
            Err(e) => {
                self.health.down("db", e.to_string());
                tracing::error!(target: "rampart::operator", error = %e, "slashing protection failed; retrying");
                false
            }
        }
    }

    /// Fault injection: signs a checkpoint conflicting with `signed`, without slashing
    /// protection, and queues it for delivery beside the protected one.
    fn equivocate(&self, signed: &rampart_primitives::Checkpoint) -> bool {
        let mut conflicting = *signed;
        conflicting.state_root = injected_root("equivocation", signed.state_root);
        let signature = self.sk.sign(&conflicting.digest(&self.domain));
        let attestation =
            SignedAttestation { operator: self.operator, checkpoint: conflicting, signature };
        if let Err(e) = self.outbox.put_conflicting(&attestation) {
            tracing::error!(target: "rampart::operator", error = %e, "cannot persist the injected attestation; retrying");
            return false;
        }
        tracing::warn!(target: "rampart::operator", rollup = signed.rollup_id.0, batch = signed.batch_index,
            state_root = %conflicting.state_root, "fault injection: equivocated (signed a second checkpoint)");
        true
    }

    async fn report_stake(&self) {
        let Ok(head) = self.registry.provider().get_block_number().await else { return };
        let call =
            self.registry.stakeAt(self.operator_set, self.key_hash, head.saturating_sub(1) as u32);
        if let Ok(stake) = call.call().await {
            let stake: u128 = stake.stake.to();
            self.metrics.registered_stake(self.operator_set, stake as f64 / 1e18);
        }
    }
}
