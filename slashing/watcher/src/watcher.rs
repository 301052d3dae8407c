//! The watcher: finds faults on L1 and in the aggregators' evidence, records them, and settles
//! each one on chain exactly once.
//!
//! Each round:
//!
//! 1. **L1** (from the persisted cursor, `confirmations` behind the head): `ProofConfigRegistered`
//!    names the rollups with proofs; a `CertificateSubmitted` whose batch is already proven with
//!    another root, or a `ProofSubmitted` whose batch's certificate has another root, makes one
//!    contradiction fault per operator the certificate counts as a signer (registered in the set
//!    at its reference block and not among its non-signers); a `ProofSubmitted` after the job's
//!    effective deadline makes a missed-proof fault.
//! 2. **Proving frontier**: the first unproven batch of each such rollup whose effective deadline
//!    has passed is a missed-proof fault. If nobody stored its draw (a prover that skips its job
//!    never calls `assignJob`), the slasher stores it first (`assign_jobs`).
//! 3. **Evidence**: each aggregator's `GET /v1/evidence` from the persisted id; each item that
//!    shows two conflicting checkpoints by one operator makes an equivocation fault.
//! 4. **Settle** every due row: a row whose fault another row already sent is a duplicate; a
//!    fault already slashed on chain is done; otherwise the call is simulated (`eth_call`) and
//!    the contract's answer decides: refused evidence is recorded as rejected and never sent, a
//!    fault whose time has not come (`NotMissed`, `NotProven`) is retried later, and the rest is
//!    sent, its transaction hash recorded before the receipt is awaited.
//!
//! Rows are written before the cursor that found them moves, and the row key is the hash of the
//! call, so re-reading an input after a crash finds the same rows: nothing is lost and nothing
//! is sent twice. A crash between broadcasting a transaction and recording its hash leaves the
//! row open; the next check finds the fault slashed on chain and records it as such.

use crate::evidence::{self, Evidence};
use crate::metrics::{Metrics, Outcome};
use crate::store::{Fault, FaultKind, FaultRecord, FaultStatus, Store};
use crate::{Error, Result};
use alloy::network::TransactionBuilder;
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::{Filter, Log, TransactionRequest};
use alloy::sol_types::{SolCall, SolError, SolEvent};
use alloy_primitives::{Address, B256, Bytes, U256};
use alloy_signer_local::PrivateKeySigner;
use rampart_chain::Deployment;
use rampart_contracts::attestation_center::RampartAttestationCenter as Center;
use rampart_contracts::operator_registry::RampartOperatorRegistry as Registry;
use rampart_contracts::proof_center::RampartProofCenter as Proofs;
use rampart_contracts::slasher::{BLS12381, RampartSlasher as Slasher};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// Most blocks asked for in one `eth_getLogs`.
const MAX_RANGE: u64 = 5_000;
/// Wait before checking a fault whose time has not come, or after an RPC failure.
const RETRY_MS: i64 = 2_000;

/// Everything a watcher needs.
pub struct Setup {
    /// L1 JSON-RPC endpoint.
    pub rpc_url: String,
    /// The contracts.
    pub deployment: Deployment,
    /// The key paying for slashing transactions.
    pub signer: PrivateKeySigner,
    /// Fault records and cursors.
    pub store: Store,
    /// Where counts go.
    pub metrics: Arc<Metrics>,
    /// Aggregator base URLs polled for evidence.
    pub aggregators: Vec<String>,
    /// Store draws of late jobs nobody stored.
    pub assign_jobs: bool,
    /// Time between rounds.
    pub poll: Duration,
    /// Blocks an event must be buried under.
    pub confirmations: u64,
    /// Fee cap (gwei).
    pub max_fee_gwei: u64,
    /// Send transactions only while this is true (an aggregator replica that leads); `None`:
    /// always.
    pub gate: Option<Arc<AtomicBool>>,
    /// Held from nonce choice to broadcast when the account is shared with another sender in
    /// this process (the aggregator's certificate submitter).
    pub account_lock: Option<Arc<tokio::sync::Mutex<()>>>,
}

impl std::fmt::Debug for Setup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Setup")
            .field("rpc_url", &self.rpc_url)
            .field("sender", &self.signer.address())
            .field("aggregators", &self.aggregators)
            .finish_non_exhaustive()
    }
}

/// How the watcher is doing, for health checks.
#[derive(Debug, Default)]
pub struct Progress {
    /// When a round last completed without error (Unix ms; 0: never).
    pub last_round_ms: AtomicI64,
    /// The last L1 block read.
    pub l1_synced: AtomicI64,
    /// The last round's error, if it failed.
    pub last_error: Mutex<Option<String>>,
}

/// The watcher.
pub struct Watcher {
    read: DynProvider,
    send: DynProvider,
    sender: Address,
    center: Center::RampartAttestationCenterInstance<DynProvider>,
    proofs: Proofs::RampartProofCenterInstance<DynProvider>,
    registry: Registry::RampartOperatorRegistryInstance<DynProvider>,
    slasher: Slasher::RampartSlasherInstance<DynProvider>,
    start_block: u64,
    store: Store,
    metrics: Arc<Metrics>,
    http: reqwest::Client,
    aggregators: Vec<String>,
    assign_jobs: bool,
    poll: Duration,
    confirmations: u64,
    max_fee_gwei: u64,
    gate: Option<Arc<AtomicBool>>,
    account_lock: Option<Arc<tokio::sync::Mutex<()>>>,
    progress: Arc<Progress>,
    /// Rollups with a proof configuration.
    rollups: BTreeSet<u64>,
    /// Frontier batches already recorded as missed (to skip re-deriving them every round).
    missed_seen: HashSet<(u64, u64)>,
    /// Jobs whose draw could not be stored (expired): logged once.
    unassignable: HashSet<(u64, u64)>,
    /// The last error logged per source (each is logged when it changes).
    logged: BTreeMap<String, String>,
    /// The L1 block the last round read up to: with no new block, L1 is not asked again.
    last_target: Option<u64>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher").field("sender", &self.sender).finish_non_exhaustive()
    }
}

/// What the contract said about a simulated call.
enum Verdict {
    /// It would succeed.
    Ok,
    /// The fault's time has not come: check again later.
    NotYet(String),
    /// Someone slashed it already.
    AlreadySlashed(String),
    /// The contract refuses the evidence.
    Refused(String),
    /// No answer (RPC failure): check again later.
    Unknown(String),
}

impl Watcher {
    /// A watcher over `setup`'s deployment.
    pub fn new(setup: Setup) -> Result<Self> {
        let d = &setup.deployment;
        if d.rampart.slasher == Address::ZERO || d.rampart.proof_center == Address::ZERO {
            return Err(Error::Config(
                "the deployment file names no slasher or proof center contract".into(),
            ));
        }
        let read = rampart_chain::provider::connect(&setup.rpc_url, None)?;
        let sender = setup.signer.address();
        let send = rampart_chain::provider::connect(&setup.rpc_url, Some(setup.signer))?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
        Ok(Self {
            center: Center::new(d.rampart.attestation_center, read.clone()),
            proofs: Proofs::new(d.rampart.proof_center, read.clone()),
            registry: Registry::new(d.rampart.operator_registry, read.clone()),
            slasher: Slasher::new(d.rampart.slasher, read.clone()),
            start_block: d.start_block,
            read,
            send,
            sender,
            store: setup.store,
            metrics: setup.metrics,
            http,
            aggregators: setup.aggregators,
            assign_jobs: setup.assign_jobs,
            poll: setup.poll,
            confirmations: setup.confirmations,
            max_fee_gwei: setup.max_fee_gwei,
            gate: setup.gate,
            account_lock: setup.account_lock,
            progress: Arc::default(),
            rollups: BTreeSet::new(),
            missed_seen: HashSet::new(),
            unassignable: HashSet::new(),
            logged: BTreeMap::new(),
            last_target: None,
        })
    }

    /// The account paying for slashing transactions.
    pub fn sender(&self) -> Address {
        self.sender
    }

    /// Its metrics.
    pub fn metrics(&self) -> Arc<Metrics> {
        self.metrics.clone()
    }

    /// Shared view of how the watcher is doing.
    pub fn progress(&self) -> Arc<Progress> {
        self.progress.clone()
    }

    /// Runs rounds until `stop` turns true.
    pub async fn run(mut self, mut stop: watch::Receiver<bool>) {
        tracing::info!(target: "rampart::slasher", sender = %self.sender,
            aggregators = self.aggregators.len(), "slasher watching L1 and evidence");
        loop {
            match self.round().await {
                Ok(()) => {
                    self.progress.last_round_ms.store(rampart_storage::now_ms(), Ordering::Relaxed);
                    *self.progress.last_error.lock().expect("not poisoned") = None;
                    self.logged.remove("round");
                }
                Err(e) => {
                    let message = e.to_string();
                    self.log_once("round", &message);
                    *self.progress.last_error.lock().expect("not poisoned") = Some(message);
                }
            }
            tokio::select! {
                _ = stop.wait_for(|s| *s) => break,
                () = tokio::time::sleep(self.poll) => {}
            }
        }
        tracing::info!(target: "rampart::slasher", "slasher stopped");
    }

    /// One round: L1 and the proving frontier (when a block was added), evidence, then every
    /// due fault.
    pub async fn round(&mut self) -> Result<()> {
        if self.rollups.is_empty() {
            for (_, id) in self.store.cursors("proof-rollup:").await? {
                self.rollups.insert(id);
            }
        }
        let head = self.read.get_block_number().await.map_err(rpc("eth_blockNumber"))?;
        let target = head.saturating_sub(self.confirmations);
        if self.last_target != Some(target) {
            self.scan_l1(target).await?;
            self.check_frontier(target).await?;
            self.last_target = Some(target);
        }
        self.poll_evidence().await?;
        self.settle_due().await
    }

    fn log_once(&mut self, source: &str, message: &str) {
        if self.logged.get(source).map(String::as_str) != Some(message) {
            tracing::warn!(target: "rampart::slasher", source, error = %message, "slasher round failed; retrying");
            self.logged.insert(source.to_string(), message.to_string());
        }
    }

    fn may_send(&self) -> bool {
        self.gate.as_ref().is_none_or(|g| g.load(Ordering::Relaxed))
    }

    // ------------------------------------------------------------------------------------ L1

    async fn scan_l1(&mut self, target: u64) -> Result<()> {
        let mut from = match self.store.cursor("l1").await? {
            Some(done) => done + 1,
            None => self.start_block,
        };
        while from <= target {
            let to = target.min(from + MAX_RANGE - 1);
            let filter = Filter::new()
                .address(vec![*self.center.address(), *self.proofs.address()])
                .event_signature(vec![
                    Center::CertificateSubmitted::SIGNATURE_HASH,
                    Proofs::ProofSubmitted::SIGNATURE_HASH,
                    Proofs::ProofConfigRegistered::SIGNATURE_HASH,
                ])
                .from_block(from)
                .to_block(to);
            let logs = self.read.get_logs(&filter).await.map_err(rpc("eth_getLogs"))?;
            for log in &logs {
                self.apply(log, to).await?;
            }
            self.store.set_cursor("l1", to).await?;
            self.metrics.l1_synced.set(to as f64);
            self.progress.l1_synced.store(to as i64, Ordering::Relaxed);
            from = to + 1;
        }
        Ok(())
    }

    async fn apply(&mut self, log: &Log, scanned_to: u64) -> Result<()> {
        let Some(topic) = log.topic0() else { return Ok(()) };
        let data = log.data();
        if log.address() == *self.proofs.address() {
            match *topic {
                Proofs::ProofConfigRegistered::SIGNATURE_HASH => {
                    if let Ok(e) = Proofs::ProofConfigRegistered::decode_log_data(data) {
                        self.store
                            .set_cursor(&format!("proof-rollup:{}", e.rollupId), e.rollupId)
                            .await?;
                        self.rollups.insert(e.rollupId);
                    }
                }
                Proofs::ProofSubmitted::SIGNATURE_HASH => {
                    if let Ok(e) = Proofs::ProofSubmitted::decode_log_data(data) {
                        let (r, b) = (e.rollupId, e.batchIndex);
                        if let Some(cert) = self.certificate(r, b, scanned_to).await?
                            && cert.checkpoint.stateRoot != e.newStateRoot
                        {
                            self.contradicted(&cert).await?;
                        }
                        self.missed_if_late(r, b, None).await?;
                    }
                }
                _ => {}
            }
        } else if log.address() == *self.center.address()
            && *topic == Center::CertificateSubmitted::SIGNATURE_HASH
            && let Ok(cert) = Center::CertificateSubmitted::decode_log_data(data)
            && self.rollups.contains(&cert.rollupId)
        {
            let job = self.call("job", self.proofs.job(cert.rollupId, cert.batchIndex)).await?;
            if job.proven && job.provenRoot != cert.checkpoint.stateRoot {
                self.contradicted(&cert).await?;
            }
        }
        Ok(())
    }

    /// The certificate of a batch, from its `CertificateSubmitted` log (both ids are indexed).
    async fn certificate(
        &self,
        rollup: u64,
        batch: u64,
        to: u64,
    ) -> Result<Option<Center::CertificateSubmitted>> {
        let filter = Filter::new()
            .address(*self.center.address())
            .event_signature(Center::CertificateSubmitted::SIGNATURE_HASH)
            .topic1(B256::from(U256::from(rollup)))
            .topic2(B256::from(U256::from(batch)))
            .from_block(self.start_block)
            .to_block(to);
        let logs = self.read.get_logs(&filter).await.map_err(rpc("eth_getLogs"))?;
        Ok(logs.iter().find_map(|l| Center::CertificateSubmitted::decode_log_data(l.data()).ok()))
    }

    /// One contradiction fault per operator the certificate counts as a signer.
    async fn contradicted(&mut self, cert: &Center::CertificateSubmitted) -> Result<()> {
        let (r, b) = (cert.rollupId, cert.batchIndex);
        let set = self.call("rollup", self.center.rollup(r)).await?.operatorSetId;
        // Members at the reference block (who the certificate can count), and today's (in case
        // the node keeps no state that old); the contract has the last word on each.
        let mut members: BTreeSet<Address> = BTreeSet::new();
        match self.registry.members(set).block(u64::from(cert.referenceBlock).into()).call().await {
            Ok(m) => members.extend(m),
            Err(e) => tracing::debug!(target: "rampart::slasher", error = %e,
                "members at the reference block unavailable; using today's"),
        }
        members.extend(self.call("members", self.registry.members(set)).await?);
        let checkpoint: rampart_primitives::Checkpoint = (&cert.checkpoint).into();
        for operator in members {
            let key = self.call("operatorKey", self.registry.operatorKey(operator)).await?;
            if key.keyHash == B256::ZERO || cert.nonSignerKeyHashes.contains(&key.keyHash) {
                continue;
            }
            let fault_id = self
                .call("contradictionFaultId", self.slasher.contradictionFaultId(operator, r, b))
                .await?;
            let call = Slasher::slashContradictedSignerCall {
                checkpoint: (&checkpoint).into(),
                referenceBlock: cert.referenceBlock,
                nonSignerKeyHashes: cert.nonSignerKeyHashes.clone(),
                operator,
            };
            self.record(Fault {
                kind: FaultKind::Contradiction,
                fault_id,
                operator,
                rollup_id: r,
                batch_index: b,
                calldata: call.abi_encode().into(),
                source: "l1".into(),
            })
            .await?;
        }
        Ok(())
    }

    /// Records a missed-proof fault for `(rollup, batch)` if its stored draw is past its
    /// effective deadline, unproven (`head` given) or proven late.
    async fn missed_if_late(&mut self, rollup: u64, batch: u64, head: Option<u64>) -> Result<()> {
        let job = self.call("job", self.proofs.job(rollup, batch)).await?;
        if !job.assignmentStored {
            return Ok(());
        }
        let Some(deadline) = self.effective_deadline(rollup, batch, job.deadline).await? else {
            return Ok(());
        };
        let late = match (job.proven, head) {
            (true, _) => job.provenBlock > deadline,
            (false, Some(head)) => head > deadline,
            (false, None) => false,
        };
        if !late {
            return Ok(());
        }
        let fault_id =
            self.call("missedProofFaultId", self.slasher.missedProofFaultId(rollup, batch)).await?;
        let call = Slasher::slashMissedProofCall { rollupId: rollup, batchIndex: batch };
        self.record(Fault {
            kind: FaultKind::MissedProof,
            fault_id,
            operator: job.prover,
            rollup_id: rollup,
            batch_index: batch,
            calldata: call.abi_encode().into(),
            source: "l1".into(),
        })
        .await
    }

    /// `max(deadline, provenBlock(batch − 1) + window)`, or `None` while the predecessor is
    /// unproven (nobody can prove the batch yet).
    async fn effective_deadline(
        &self,
        rollup: u64,
        batch: u64,
        deadline: u64,
    ) -> Result<Option<u64>> {
        if batch == 0 {
            return Ok(Some(deadline));
        }
        let previous = self.call("job", self.proofs.job(rollup, batch - 1)).await?;
        if !previous.proven {
            return Ok(None);
        }
        let window = self.call("proofConfig", self.proofs.proofConfig(rollup)).await?.provingWindow;
        Ok(Some(deadline.max(previous.provenBlock + u64::from(window))))
    }

    /// The first unproven batch of each rollup, once past its effective deadline.
    async fn check_frontier(&mut self, head: u64) -> Result<()> {
        for rollup in self.rollups.clone() {
            let next = self.call("nextBatchToProve", self.proofs.nextBatchToProve(rollup)).await?;
            let batch = next.batchIndex;
            if self.missed_seen.contains(&(rollup, batch)) {
                continue;
            }
            let committed = self.call("rollup", self.center.rollup(rollup)).await?.nextBatchIndex;
            if committed.to::<u64>() <= batch {
                continue;
            }
            let job = self.call("job", self.proofs.job(rollup, batch)).await?;
            match self.effective_deadline(rollup, batch, job.deadline).await? {
                Some(deadline) if head > deadline => {}
                _ => continue,
            }
            if !job.assignmentStored && !self.assign(rollup, batch).await? {
                continue;
            }
            self.missed_if_late(rollup, batch, Some(head)).await?;
            self.missed_seen.insert((rollup, batch));
        }
        Ok(())
    }

    /// Stores the draw of a late job nobody stored; `true` once it is stored.
    async fn assign(&mut self, rollup: u64, batch: u64) -> Result<bool> {
        if !self.assign_jobs || !self.may_send() || self.unassignable.contains(&(rollup, batch)) {
            return Ok(false);
        }
        let calldata: Bytes =
            Proofs::assignJobCall { rollupId: rollup, batchIndex: batch }.abi_encode().into();
        let to = *self.proofs.address();
        if let Err(e) = self.simulate(to, &calldata).await {
            let reason = describe(&e);
            if revert_data(&e).is_some() {
                tracing::warn!(target: "rampart::slasher", rollup, batch, %reason,
                    "the late job's draw cannot be stored; nobody can be slashed for it");
                self.unassignable.insert((rollup, batch));
                return Ok(false);
            }
            return Err(Error::Rpc(format!("simulating assignJob: {reason}")));
        }
        match self.transact(to, calldata).await {
            Ok((tx, true)) => {
                self.metrics.jobs_assigned.increment(1);
                tracing::info!(target: "rampart::slasher", rollup, batch, %tx,
                    "stored the draw of a late proving job");
                Ok(true)
            }
            Ok((tx, false)) => Err(Error::Rpc(format!("assignJob transaction {tx} reverted"))),
            Err(e) => Err(e),
        }
    }

    // ------------------------------------------------------------------------------ evidence

    async fn poll_evidence(&mut self) -> Result<()> {
        for aggregator in self.aggregators.clone() {
            let cursor = format!("evidence:{aggregator}");
            let mut after = self.store.cursor(&cursor).await?.unwrap_or(0) as i64;
            loop {
                let page = match evidence::fetch(&self.http, &aggregator, after).await {
                    Ok(page) => {
                        self.logged.remove(&cursor);
                        page
                    }
                    Err(message) => {
                        self.metrics.evidence_fetch_failed(&aggregator);
                        self.log_once(&cursor, &message);
                        break;
                    }
                };
                let full = page.len() >= evidence::PAGE as usize;
                let before = after;
                for item in &page {
                    match evidence::check(item) {
                        Ok(()) => self.equivocation(item, &aggregator).await?,
                        Err(e) => {
                            self.metrics.evidence_malformed.increment(1);
                            tracing::warn!(target: "rampart::slasher", %aggregator, error = %e,
                                "evidence dropped");
                        }
                    }
                    after = after.max(item.id);
                }
                self.store.set_cursor(&cursor, after.max(0) as u64).await?;
                // A full page moves on to the next one, unless it went nowhere (an aggregator
                // serving old ids again must not keep the round here).
                if !full || after <= before {
                    break;
                }
            }
        }
        Ok(())
    }

    async fn equivocation(&mut self, item: &Evidence, source: &str) -> Result<()> {
        let (a, b) = (&item.first, &item.second);
        let fault_id = self
            .call(
                "equivocationFaultId",
                self.slasher.equivocationFaultId(item.operator, item.rollup_id, item.batch_index),
            )
            .await?;
        let call = Slasher::slashEquivocationCall {
            operator: item.operator,
            a: (&a.checkpoint).into(),
            sigA: BLS12381::G2Point::from(&a.signature),
            b: (&b.checkpoint).into(),
            sigB: BLS12381::G2Point::from(&b.signature),
        };
        self.record(Fault {
            kind: FaultKind::Equivocation,
            fault_id,
            operator: item.operator,
            rollup_id: item.rollup_id,
            batch_index: item.batch_index,
            calldata: call.abi_encode().into(),
            source: source.to_string(),
        })
        .await
    }

    async fn record(&self, fault: Fault) -> Result<()> {
        if self.store.insert(&fault).await? {
            self.metrics.fault(fault.kind, Outcome::Detected);
            tracing::info!(target: "rampart::slasher", kind = %fault.kind, operator = %fault.operator,
                rollup = fault.rollup_id, batch = fault.batch_index, source = %fault.source, "fault found");
        }
        Ok(())
    }

    // -------------------------------------------------------------------------------- settle

    async fn settle_due(&mut self) -> Result<()> {
        if self.may_send() {
            for row in self.store.due(rampart_storage::now_ms()).await? {
                self.settle(&row).await?;
            }
        }
        self.metrics.open_faults.set(self.store.unsettled().await? as f64);
        Ok(())
    }

    async fn settle(&mut self, row: &FaultRecord) -> Result<()> {
        let fault = &row.fault;
        let hash = row.evidence_hash;
        if row.status == FaultStatus::Submitted {
            return self.follow(row).await;
        }
        if self.store.settled_twin(fault.fault_id, hash).await?.is_some() {
            self.finish(
                row,
                FaultStatus::Duplicate,
                "another piece of evidence of this fault was sent",
            )
            .await?;
            return Ok(());
        }
        if self.call("slashed", self.slasher.slashed(fault.fault_id)).await? {
            self.finish(row, FaultStatus::AlreadySlashed, "already slashed on chain").await?;
            return Ok(());
        }
        match self.verdict(&fault.calldata).await {
            Verdict::Ok => {}
            Verdict::NotYet(reason) | Verdict::Unknown(reason) => {
                self.store.update(hash, FaultStatus::Open, &reason, None, RETRY_MS).await?;
                return Ok(());
            }
            Verdict::AlreadySlashed(reason) => {
                self.finish(row, FaultStatus::AlreadySlashed, &reason).await?;
                return Ok(());
            }
            Verdict::Refused(reason) => {
                self.finish(row, FaultStatus::Rejected, &reason).await?;
                return Ok(());
            }
        }
        let slasher = *self.slasher.address();
        match self.transact(slasher, fault.calldata.clone()).await {
            Ok((tx, true)) => {
                let detail = format!("slashed by transaction {tx}");
                self.finish(row, FaultStatus::Slashed, &detail).await?;
                tracing::info!(target: "rampart::slasher", kind = %fault.kind, operator = %fault.operator,
                    rollup = fault.rollup_id, batch = fault.batch_index, %tx, "operator slashed");
            }
            Ok((tx, false)) => {
                // Reverted on chain (raced by another slasher, or state moved): check again.
                let detail = format!("transaction {tx} reverted; checking again");
                self.store.update(hash, FaultStatus::Open, &detail, None, 0).await?;
            }
            Err(Error::Pending(tx)) => {
                tracing::warn!(target: "rampart::slasher", %tx, "slashing transaction not mined yet; following it");
            }
            Err(e) => {
                self.store.update(hash, FaultStatus::Open, &e.to_string(), None, RETRY_MS).await?;
            }
        }
        Ok(())
    }

    /// A submitted row: settled by its receipt, reopened if the node forgot the transaction.
    async fn follow(&mut self, row: &FaultRecord) -> Result<()> {
        let Some(tx) = row.tx_hash else {
            return self
                .store
                .update(row.evidence_hash, FaultStatus::Open, "no transaction", None, 0)
                .await;
        };
        match self
            .read
            .get_transaction_receipt(tx)
            .await
            .map_err(rpc("eth_getTransactionReceipt"))?
        {
            Some(receipt) if receipt.status() => {
                self.finish(row, FaultStatus::Slashed, &format!("slashed by transaction {tx}"))
                    .await
            }
            Some(_) => {
                let detail = format!("transaction {tx} reverted; checking again");
                self.store.update(row.evidence_hash, FaultStatus::Open, &detail, None, 0).await
            }
            None => {
                let known = self
                    .read
                    .get_transaction_by_hash(tx)
                    .await
                    .map_err(rpc("eth_getTransactionByHash"))?
                    .is_some();
                if known {
                    return Ok(());
                }
                let detail = format!("transaction {tx} was dropped; checking again");
                self.store.update(row.evidence_hash, FaultStatus::Open, &detail, None, 0).await
            }
        }
    }

    async fn finish(&self, row: &FaultRecord, status: FaultStatus, detail: &str) -> Result<()> {
        self.store.update(row.evidence_hash, status, detail, None, 0).await?;
        let outcome = match status {
            FaultStatus::Slashed => Outcome::Slashed,
            FaultStatus::AlreadySlashed => Outcome::AlreadySlashed,
            FaultStatus::Rejected => Outcome::Rejected,
            FaultStatus::Duplicate => Outcome::Duplicate,
            FaultStatus::Open | FaultStatus::Submitted => return Ok(()),
        };
        self.metrics.fault(row.fault.kind, outcome);
        if status == FaultStatus::Rejected {
            tracing::warn!(target: "rampart::slasher", kind = %row.fault.kind, operator = %row.fault.operator,
                rollup = row.fault.rollup_id, batch = row.fault.batch_index, source = %row.fault.source,
                reason = %detail, "evidence refused by the contract; not sent");
        }
        Ok(())
    }

    /// Simulates the slashing call and classifies the contract's answer.
    async fn verdict(&self, calldata: &Bytes) -> Verdict {
        let Err(e) = self.simulate(*self.slasher.address(), calldata).await else {
            return Verdict::Ok;
        };
        let reason = describe(&e);
        let Some(data) = revert_data(&e) else { return Verdict::Unknown(reason) };
        classify(&data, reason)
    }

    async fn simulate(
        &self,
        to: Address,
        calldata: &Bytes,
    ) -> std::result::Result<Bytes, alloy::transports::TransportError> {
        let request = TransactionRequest::default()
            .with_from(self.sender)
            .with_to(to)
            .with_input(calldata.clone());
        self.read.call(request).await
    }

    /// Sends a transaction (nonce from the node, under the account lock) and waits for its
    /// receipt; the hash is recorded as submitted first when it is a fault's. Returns the hash
    /// and whether it succeeded; [`Error::Pending`] when no receipt came in time.
    async fn transact(&mut self, to: Address, calldata: Bytes) -> Result<(B256, bool)> {
        let fees = self.read.estimate_eip1559_fees().await.map_err(rpc("eth_feeHistory"))?;
        let cap = u128::from(self.max_fee_gwei) * 1_000_000_000;
        let max_fee = fees.max_fee_per_gas.min(cap);
        let request = TransactionRequest::default()
            .with_to(to)
            .with_input(calldata.clone())
            .with_max_fee_per_gas(max_fee)
            .with_max_priority_fee_per_gas(fees.max_priority_fee_per_gas.min(max_fee));
        let tx = {
            let _account = match &self.account_lock {
                Some(lock) => Some(lock.lock().await),
                None => None,
            };
            let pending = self
                .send
                .send_transaction(request)
                .await
                .map_err(|e| Error::Rpc(format!("sending to {to}: {}", describe(&e))))?;
            *pending.tx_hash()
        };
        let hash = alloy_primitives::keccak256(&calldata);
        if to == *self.slasher.address() {
            self.store.update(hash, FaultStatus::Submitted, "sent", Some(tx), 0).await?;
            if let Some(kind) = fault_kind(&calldata) {
                self.metrics.fault(kind, Outcome::Sent);
            }
        }
        match rampart_chain::provider::wait_receipt(&self.send, "slashing transaction", tx).await {
            Ok(receipt) => Ok((tx, receipt.status())),
            Err(rampart_chain::Error::Timeout { .. }) => Err(Error::Pending(tx)),
            Err(e) => Err(e.into()),
        }
    }

    async fn call<D: alloy::contract::CallDecoder>(
        &self,
        what: &'static str,
        call: alloy::contract::CallBuilder<&DynProvider, D>,
    ) -> Result<D::CallOutput> {
        call.call().await.map_err(|e| Error::Rpc(format!("L1 {what}: {}", describe_call(&e))))
    }
}

/// Which fault a slasher call proves, from its selector.
fn fault_kind(calldata: &[u8]) -> Option<FaultKind> {
    let selector: [u8; 4] = calldata.get(..4)?.try_into().ok()?;
    match selector {
        Slasher::slashEquivocationCall::SELECTOR => Some(FaultKind::Equivocation),
        Slasher::slashContradictedSignerCall::SELECTOR => Some(FaultKind::Contradiction),
        Slasher::slashMissedProofCall::SELECTOR => Some(FaultKind::MissedProof),
        _ => None,
    }
}

/// The contract's answer, by error selector: not yet, already done, or refused for good.
fn classify(data: &[u8], reason: String) -> Verdict {
    let Some(selector) = data.get(..4).and_then(|s| <[u8; 4]>::try_from(s).ok()) else {
        return Verdict::Refused(reason);
    };
    match selector {
        Slasher::AlreadySlashed::SELECTOR => Verdict::AlreadySlashed(reason),
        Slasher::NotMissed::SELECTOR | Proofs::NotProven::SELECTOR => Verdict::NotYet(reason),
        _ => Verdict::Refused(reason),
    }
}

fn revert_data(e: &alloy::transports::TransportError) -> Option<Bytes> {
    e.as_error_resp().and_then(|r| r.as_revert_data())
}

fn describe(e: &alloy::transports::TransportError) -> String {
    match revert_data(e) {
        Some(data) => rampart_chain::revert::describe(&data),
        None => e.to_string(),
    }
}

fn describe_call(e: &alloy::contract::Error) -> String {
    match e.as_revert_data() {
        Some(data) => rampart_chain::revert::describe(&data),
        None => e.to_string(),
    }
}

fn rpc(method: &'static str) -> impl Fn(alloy::transports::TransportError) -> Error {
    move |e| Error::Rpc(format!("L1 {method}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_answers_are_classified() {
        let bytes = |e: Vec<u8>| e;
        let already = bytes(Slasher::AlreadySlashed { faultId: B256::ZERO }.abi_encode());
        assert!(matches!(classify(&already, String::new()), Verdict::AlreadySlashed(_)));
        let not_missed =
            Slasher::NotMissed { rollupId: 1, batchIndex: 2, deadline: 3 }.abi_encode();
        assert!(matches!(classify(&not_missed, String::new()), Verdict::NotYet(_)));
        let not_proven = Proofs::NotProven { rollupId: 1, batchIndex: 2 }.abi_encode();
        assert!(matches!(classify(&not_proven, String::new()), Verdict::NotYet(_)));
        for refused in [
            Slasher::InvalidSignature {}.abi_encode(),
            Slasher::NotASigner { operator: Address::ZERO }.abi_encode(),
            Slasher::NotTheCertificate { rollupId: 1, batchIndex: 2 }.abi_encode(),
            Slasher::NotContradicted { rollupId: 1, batchIndex: 2 }.abi_encode(),
            Slasher::NoStoredAssignment { rollupId: 1, batchIndex: 2 }.abi_encode(),
            vec![],
        ] {
            assert!(matches!(classify(&refused, String::new()), Verdict::Refused(_)));
        }
    }

    #[test]
    fn calls_name_their_fault() {
        let missed = Slasher::slashMissedProofCall { rollupId: 1, batchIndex: 2 }.abi_encode();
        assert_eq!(fault_kind(&missed), Some(FaultKind::MissedProof));
        assert_eq!(fault_kind(&[1, 2]), None);
    }
}
