//! The proving-job worker: one task per reference rollup the operator holds a proving key for.
//!
//! Every committed batch of a rollup with a proof configuration is a proving job on L1
//! (`RampartProofCenter`): drawn for one member of the set, proven by it before the deadline,
//! by anyone in the set after it. Each round the worker:
//!
//! 1. reads where proving stands (`nextBatchToProve`) and how far the rollup is committed;
//! 2. moves its *base* state (the state after every proven batch, persisted) up to the proven
//!    point and checks its root is the proven root;
//! 3. executes the committed batches ahead of it (from the sequencer, each checked against its
//!    L1 commitment) on a *head* state, keeping each batch's witness;
//! 4. submits the proof of the next batch to prove if it has one that starts from the proven
//!    root;
//! 5. for each executed batch, learns its job: a job drawn for this operator is accepted
//!    (`assignJob` stores the draw) and proven ahead of time, so proofs of consecutive batches
//!    are made in parallel by their provers and only their submission is in order; the next
//!    batch to prove is also taken over once its deadline has passed.
//!
//! Proofs are checked against the key before they are kept, persisted before they are sent, and
//! the contract refuses a second proof of a batch, so a crash at any point costs at most a
//! proof made again. The worker's verifying key must equal the one the rollup registered; it
//! refuses to prove otherwise.

use super::health::Health;
use super::metrics::Metrics;
use super::source::{BatchFeed, write_atomic};
use crate::{Error, Result};
use alloy::primitives::{Address, B256, U256};
use alloy::providers::{DynProvider, Provider};
use rampart_contracts::proof_center::RampartProofCenter::{JobInfo, RampartProofCenterInstance};
use rampart_gpu_prover::{Engine, LoadedKey};
use rampart_reference_rollup::field::to_b256;
use rampart_reference_rollup::{BatchWitness, Genesis, RollupKey, State};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, watch};

/// Batches executed ahead of the proven point at most (bounds memory and RPC per round).
const MAX_AHEAD: usize = 64;

/// A proof made here and not yet on L1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ReadyProof {
    prev_root: B256,
    new_root: B256,
    commitment: B256,
    proof: [U256; 8],
}

/// What survives a restart.
#[derive(Debug, Serialize, Deserialize)]
struct Persisted {
    /// The root of the genesis this state grew from.
    genesis_root: B256,
    /// The state after the proven batches.
    base: rampart_reference_rollup::Snapshot,
    /// Proofs made and not yet accepted on L1, by batch.
    ready: BTreeMap<u64, ReadyProof>,
}

/// A batch's job as far as this worker cares.
#[derive(Debug, Clone, Copy)]
struct Job {
    prover: Address,
    stored: bool,
    commit_block: u64,
    deadline: u64,
}

impl From<JobInfo> for Job {
    fn from(j: JobInfo) -> Self {
        Self {
            prover: j.prover,
            stored: j.assignmentStored,
            commit_block: j.commitBlock,
            deadline: j.deadline,
        }
    }
}

/// What the daemon hands a worker.
pub(super) struct ProverSetup {
    pub(super) rollup: u64,
    pub(super) operator: Address,
    pub(super) key: RollupKey,
    pub(super) genesis: Genesis,
    pub(super) engine: Arc<Engine>,
    pub(super) feed: BatchFeed,
    /// The proof center, through a provider that signs with the operator's key.
    pub(super) proofs: RampartProofCenterInstance<DynProvider>,
    pub(super) data_dir: PathBuf,
    pub(super) metrics: Arc<Metrics>,
    pub(super) health: Arc<Health>,
    pub(super) poll: Duration,
    /// Held while sending a transaction: the operator's workers share its account's nonces.
    pub(super) tx_lock: Arc<Mutex<()>>,
}

/// One rollup's proving-job worker.
pub(super) struct ProvingWorker {
    s: ProverSetup,
    service: String,
    path: PathBuf,
    loaded: Option<Arc<LoadedKey>>,
    /// Whether the key was found equal to the registered one.
    key_matches: bool,
    /// The rollup's proving window in blocks (from its proof configuration).
    window: u32,
    base: State,
    head: State,
    /// Executed, unproven batches: their witnesses (from `head`'s history).
    pending: BTreeMap<u64, BatchWitness>,
    ready: BTreeMap<u64, ReadyProof>,
    jobs: BTreeMap<u64, Job>,
    /// Own jobs already counted as assigned / missed.
    assigned: BTreeSet<u64>,
    missed: BTreeSet<u64>,
    /// A committed batch that cannot be executed (never provable): stop executing past it.
    stuck: Option<u64>,
}

impl ProvingWorker {
    /// Opens the worker's persisted state (or starts from genesis) and checks the key fits the
    /// rollup.
    pub(super) fn open(s: ProverSetup) -> Result<Self> {
        let shape = s.key.shape();
        let fail = |message: String| Error::Proving { rollup: s.rollup, message };
        if shape.rollup_id != s.rollup || shape.depth != s.genesis.depth {
            return Err(fail(format!(
                "the proving key is for rollup {} at depth {}; this rollup is {} at depth {}",
                shape.rollup_id, shape.depth, s.rollup, s.genesis.depth
            )));
        }
        let path = s.data_dir.join(format!("rollup-{}-proving.json", s.rollup));
        let (base, ready) = match std::fs::read(&path) {
            Ok(bytes) => {
                let p: Persisted = serde_json::from_slice(&bytes)
                    .map_err(|e| fail(format!("{}: {e}", path.display())))?;
                if p.genesis_root != to_b256(&s.genesis.root()) {
                    return Err(fail(format!(
                        "{}: the state of another genesis; move it away to start over",
                        path.display()
                    )));
                }
                let base = State::from_snapshot(&p.base).map_err(|e| fail(e.to_string()))?;
                (base, p.ready)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                (State::new(&s.genesis), BTreeMap::new())
            }
            Err(e) => return Err(Error::io("read the proving state", &path, e)),
        };
        let service = format!("prover-{}", s.rollup);
        s.health.declare(
            &service,
            &format!("proving jobs of rollup {}", s.rollup),
            "validity proofs of the batches this operator is drawn for",
        );
        Ok(Self {
            service,
            path,
            loaded: None,
            key_matches: false,
            window: 0,
            head: base.clone(),
            base,
            pending: BTreeMap::new(),
            ready,
            jobs: BTreeMap::new(),
            assigned: BTreeSet::new(),
            missed: BTreeSet::new(),
            stuck: None,
            s,
        })
    }

    /// Runs rounds until `stop`.
    pub(super) async fn run(mut self, mut stop: watch::Receiver<bool>) {
        tracing::info!(target: "rampart::prover", rollup = self.s.rollup,
            backend = self.s.engine.backend_name(), reason = self.s.engine.reason(),
            batch_size = self.s.key.shape().batch_size, "proving-job worker started");
        // The last error logged: a lasting one (a foreign key, a sequencer down) is logged once,
        // not every round; the node API's `prover-<id>` service shows it meanwhile.
        let mut last_error = None;
        loop {
            match self.round(&stop).await {
                Ok(()) => {
                    self.s.health.up(&self.service);
                    last_error = None;
                }
                Err(e) => {
                    let message = e.to_string();
                    if last_error.as_ref() != Some(&message) {
                        tracing::warn!(target: "rampart::prover", rollup = self.s.rollup,
                            error = %message, "proving round failed; retrying");
                    }
                    self.s.health.down(&self.service, message.clone());
                    last_error = Some(message);
                }
            }
            tokio::select! {
                _ = stop.wait_for(|s| *s) => break,
                () = tokio::time::sleep(self.s.poll) => {}
            }
        }
    }

    async fn round(&mut self, stop: &watch::Receiver<bool>) -> Result<()> {
        if !self.key_matches {
            self.check_key().await?;
        }
        let rollup = self.s.rollup;
        let next = rampart_chain::provider::read(
            "ProofCenter.nextBatchToProve",
            self.s.proofs.nextBatchToProve(rollup),
        )
        .await?;
        let (proven, proven_root) = (next.batchIndex, next.prevStateRoot);
        let committed = self.committed().await?;
        self.s.metrics.proving_queue(rollup, committed.saturating_sub(proven) as f64);
        self.advance_base(proven, proven_root).await?;
        self.execute_ahead(committed).await?;
        if self.submit_ready(proven, proven_root).await? {
            // The proven point moved: the next round starts from it (and keeps the batch's
            // witness to move the base state without fetching the batch again).
            return Ok(());
        }

        let head_block = self
            .s
            .proofs
            .provider()
            .get_block_number()
            .await
            .map_err(|e| rampart_chain::provider::rpc_error("L1 head", e))?;
        let batches: Vec<u64> = self.pending.keys().copied().collect();
        for index in batches {
            if *stop.borrow() {
                return Ok(());
            }
            let Some(job) = self.job(index, head_block).await? else { continue };
            let mine = job.prover == self.s.operator;
            if mine && self.assigned.insert(index) {
                self.s.metrics.job_assigned(rollup);
            }
            if mine && !job.stored {
                self.accept(index).await;
            }
            // Only the batch everyone waits on can be late: a later batch's prover cannot prove
            // before its predecessor is proven, so its deadline runs from that proof.
            let late = index == proven
                && head_block > job.deadline
                && head_block > self.effective_deadline(index, job).await?;
            if mine && late && self.missed.insert(index) {
                self.s.metrics.job_missed(rollup);
                tracing::warn!(target: "rampart::prover", rollup, batch = index, deadline = job.deadline,
                    "proving job missed: the deadline passed before this operator's proof landed");
            }
            // After the deadline (or when no prover can be drawn any more) the set proves the
            // batch everyone waits on.
            let undrawable = job.prover == Address::ZERO && head_block > job.commit_block + 1;
            let takeover = index == proven && (late || undrawable);
            if (mine || takeover) && !self.ready.contains_key(&index) {
                self.prove(index).await?;
                if index == proven {
                    self.submit_ready(proven, proven_root).await?;
                }
                // One proof per round: new batches, proofs of others and the stop signal are
                // looked at between proofs.
                break;
            }
        }
        Ok(())
    }

    /// Checks the rollup's registered verifying key and genesis root are this worker's (an error
    /// while the rollup has no proof configuration), then loads the key into the engine.
    async fn check_key(&mut self) -> Result<()> {
        let rollup = self.s.rollup;
        let config = rampart_chain::provider::read(
            "ProofCenter.proofConfig",
            self.s.proofs.proofConfig(rollup),
        )
        .await?;
        if config.verifyingKey == Address::ZERO {
            return Err(self.fail("the rollup has no proof configuration on L1 (yet); waiting"));
        }
        let registered = rampart_chain::provider::read(
            "ProofCenter.verifyingKey",
            self.s.proofs.verifyingKey(rollup),
        )
        .await?;
        let vk = self.s.key.solidity_verifying_key();
        let ours = rampart_contracts::groth16_key::from_points(
            vk.alpha, &vk.beta, &vk.gamma, &vk.delta, &vk.ic,
        );
        if ours.as_ref() != Some(&registered) {
            return Err(self.fail(
                "the proving key does not match the verifying key the rollup registered on L1; \
                 not proving (proofs would be rejected)",
            ));
        }
        if config.genesisStateRoot != to_b256(&self.s.genesis.root()) {
            return Err(self.fail(format!(
                "the genesis file's root {} is not the genesis root {} registered on L1",
                to_b256(&self.s.genesis.root()),
                config.genesisStateRoot
            )));
        }
        let engine = self.s.engine.clone();
        let key = self.s.key.prover_key().clone();
        let loaded = tokio::task::spawn_blocking(move || engine.load(key))
            .await
            .map_err(|e| self.fail(format!("loading the proving key: {e}")))?
            .map_err(|e| self.fail(format!("loading the proving key: {e}")))?;
        self.loaded = Some(Arc::new(loaded));
        self.key_matches = true;
        self.window = config.provingWindow;
        tracing::info!(target: "rampart::prover", rollup, window = config.provingWindow,
            "proving key matches the registered verifying key; taking proving jobs");
        Ok(())
    }

    async fn committed(&self) -> Result<u64> {
        let rollup = rampart_chain::provider::read(
            "AttestationCenter.rollup",
            self.s.feed.center().rollup(self.s.rollup),
        )
        .await?;
        Ok(rollup.nextBatchIndex.to::<u64>())
    }

    /// Brings the base state to the proven point, drops what is proven, and persists.
    async fn advance_base(&mut self, proven: u64, proven_root: B256) -> Result<()> {
        if self.base.next_batch() > proven {
            // Only an L1 reorg un-proves batches: start over from genesis.
            tracing::warn!(target: "rampart::prover", rollup = self.s.rollup, proven,
                base = self.base.next_batch(), "fewer batches proven on L1 than before; re-executing from genesis");
            self.base = State::new(&self.s.genesis);
            self.head = self.base.clone();
            self.pending.clear();
        }
        let moved = self.base.next_batch() < proven;
        while self.base.next_batch() < proven {
            let index = self.base.next_batch();
            let batch = match self.pending.get(&index) {
                Some(w) => rampart_reference_rollup::Batch {
                    rollup_id: self.s.rollup,
                    index,
                    transfers: w.steps.iter().map(|s| s.tx).collect(),
                },
                None => {
                    let committed = self.s.feed.committed(index).await?;
                    match self.s.feed.fetch(index, committed, &self.s.metrics).await? {
                        Some(batch) => batch,
                        None => return Ok(()),
                    }
                }
            };
            self.base.apply_batch(&batch).map_err(|e| {
                self.fail(format!("proven batch {index} does not execute here: {e}"))
            })?;
        }
        if to_b256(&self.base.root()) != proven_root {
            return Err(self.fail(format!(
                "after {proven} proven batches this operator's state root is {}, L1's proven root \
                 is {proven_root}: the execution here disagrees with a valid proof",
                to_b256(&self.base.root())
            )));
        }
        self.pending = self.pending.split_off(&proven);
        let kept_ready = self.ready.split_off(&proven);
        let dropped = self.ready.len();
        self.ready = kept_ready;
        self.jobs = self.jobs.split_off(&proven);
        self.assigned = self.assigned.split_off(&proven);
        self.missed = self.missed.split_off(&proven);
        if self.head.next_batch() < proven {
            self.head = self.base.clone();
        }
        if moved || dropped > 0 {
            self.persist()?;
        }
        Ok(())
    }

    /// Executes committed batches past the head (up to [`MAX_AHEAD`] unproven), keeping their
    /// witnesses.
    async fn execute_ahead(&mut self, committed: u64) -> Result<()> {
        while self.head.next_batch() < committed && self.pending.len() < MAX_AHEAD {
            let index = self.head.next_batch();
            if self.stuck == Some(index) {
                return Ok(());
            }
            let commitment = self.s.feed.committed(index).await?;
            let Some(batch) = self.s.feed.fetch(index, commitment, &self.s.metrics).await? else {
                return Ok(());
            };
            match self.head.apply_batch(&batch) {
                Ok(witness) => {
                    self.pending.insert(index, witness);
                }
                Err(e) => {
                    self.stuck = Some(index);
                    return Err(self.fail(format!(
                        "committed batch {index} is invalid and can never be proven: {e}"
                    )));
                }
            }
        }
        Ok(())
    }

    /// The job of `index`, cached once its draw is stored; `None` while no prover can be drawn
    /// yet.
    async fn job(&mut self, index: u64, head_block: u64) -> Result<Option<Job>> {
        if let Some(job) = self.jobs.get(&index)
            && (job.stored || head_block > job.deadline)
        {
            return Ok(Some(*job));
        }
        let info = rampart_chain::provider::read(
            "ProofCenter.job",
            self.s.proofs.job(self.s.rollup, index),
        )
        .await?;
        if info.prover == Address::ZERO && head_block <= info.commitBlock + 1 {
            return Ok(None);
        }
        let job = Job::from(info);
        self.jobs.insert(index, job);
        Ok(Some(job))
    }

    /// The last block in which the drawn prover of `index` (the next batch to prove) may still
    /// prove it without being late: its deadline, or the predecessor's proof block plus the
    /// proving window when that proof came later (the job could not be proven before it).
    async fn effective_deadline(&self, index: u64, job: Job) -> Result<u64> {
        if index == 0 {
            return Ok(job.deadline);
        }
        let previous = rampart_chain::provider::read(
            "ProofCenter.job",
            self.s.proofs.job(self.s.rollup, index - 1),
        )
        .await?;
        Ok(job.deadline.max(previous.provenBlock + u64::from(self.window)))
    }

    /// Stores the draw of a job drawn for this operator, so it is fixed whatever the set does
    /// later. A failure only costs that (the proof stores the draw too): logged, not fatal.
    async fn accept(&mut self, index: u64) {
        let _guard = self.s.tx_lock.lock().await;
        let call = self.s.proofs.assignJob(self.s.rollup, index);
        match rampart_chain::provider::send("ProofCenter.assignJob", call).await {
            Ok(_) => {
                if let Some(job) = self.jobs.get_mut(&index) {
                    job.stored = true;
                }
                tracing::info!(target: "rampart::prover", rollup = self.s.rollup, batch = index,
                    "proving job accepted");
            }
            Err(e) => {
                tracing::warn!(target: "rampart::prover", rollup = self.s.rollup, batch = index,
                    error = %e, "cannot store the proving job's draw; proving it anyway");
                if let Some(job) = self.jobs.get_mut(&index) {
                    job.stored = true;
                }
            }
        }
    }

    /// Proves batch `index` from its witness (on a blocking thread) and persists the proof.
    async fn prove(&mut self, index: u64) -> Result<()> {
        let Some(witness) = self.pending.get(&index).cloned() else { return Ok(()) };
        let Some(loaded) = self.loaded.clone() else { return Ok(()) };
        let (engine, key) = (self.s.engine.clone(), self.s.key.clone());
        let proof = tokio::task::spawn_blocking(move || {
            key.prove(&engine, &loaded, witness, &mut rand08::rngs::OsRng)
        })
        .await
        .map_err(|e| self.fail(format!("proving batch {index}: {e}")))?
        .map_err(|e| self.fail(format!("proving batch {index}: {e}")))?;
        self.s.metrics.proving_time(
            self.s.rollup,
            self.s.engine.backend_name(),
            proof.witness_time.as_secs_f64(),
            proof.proving_time.as_secs_f64(),
        );
        let [prev, new, commitment] = proof.public_inputs.map(|x| to_b256(&x));
        tracing::info!(target: "rampart::prover", rollup = self.s.rollup, batch = index,
            backend = self.s.engine.backend_name(),
            witness_ms = proof.witness_time.as_millis() as u64,
            prove_ms = proof.proving_time.as_millis() as u64, new_root = %new, "batch proven");
        self.ready.insert(
            index,
            ReadyProof {
                prev_root: prev,
                new_root: new,
                commitment,
                proof: proof.proof.to_words(),
            },
        );
        self.persist()
    }

    /// Submits the proof of the next batch to prove, if one was made here from the proven root.
    /// True when the batch is proven on L1 now (by this proof or another one).
    async fn submit_ready(&mut self, proven: u64, proven_root: B256) -> Result<bool> {
        let Some(ready) = self.ready.get(&proven).cloned() else { return Ok(false) };
        if ready.prev_root != proven_root {
            // Impossible unless the execution here disagrees with L1 (checked in advance_base).
            self.ready.remove(&proven);
            self.persist()?;
            return Err(self.fail(format!(
                "the proof made for batch {proven} starts from {}, L1's proven root is {proven_root}; dropped",
                ready.prev_root
            )));
        }
        let _guard = self.s.tx_lock.lock().await;
        let call = self.s.proofs.submitProof(self.s.rollup, proven, ready.new_root, ready.proof);
        match rampart_chain::provider::send("ProofCenter.submitProof", call).await {
            Ok(receipt) => {
                self.s.metrics.proof_submitted(self.s.rollup);
                tracing::info!(target: "rampart::prover", rollup = self.s.rollup, batch = proven,
                    new_root = %ready.new_root, l1_block = receipt.block_number.unwrap_or_default(),
                    gas = receipt.gas_used, "proof accepted on L1");
            }
            Err(rampart_chain::Error::Reverted { reason, .. })
                if reason.contains("AlreadyProven") =>
            {
                tracing::info!(target: "rampart::prover", rollup = self.s.rollup, batch = proven,
                    "batch proven by another operator first");
            }
            Err(e) => return Err(e.into()),
        }
        self.ready.remove(&proven);
        self.persist()?;
        Ok(true)
    }

    fn fail(&self, message: impl ToString) -> Error {
        Error::Proving { rollup: self.s.rollup, message: message.to_string() }
    }

    fn persist(&self) -> Result<()> {
        let persisted = Persisted {
            genesis_root: to_b256(&self.s.genesis.root()),
            base: self.base.snapshot(),
            ready: self.ready.clone(),
        };
        write_atomic(&self.path, &persisted)
            .map_err(|e| Error::io("persist the proving state", &self.path, e))
    }
}
