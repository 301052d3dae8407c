//! Certificate submission: the leader builds each certificate once the threshold is reached
//! and gets exactly one certificate transaction per batch mined.
//!
//! - **Leadership**: a lease row in the database (`try_lease`), renewed every third of its
//!   duration; only the holder submits. A replica whose leader died takes over once the lease
//!   expires and continues the leader's open transactions from the database.
//! - **Claims**: attempt 0 of a batch is inserted under its primary key before anything is
//!   broadcast, so two replicas can never both start a batch, even during a lease hand-over.
//! - **Write-ahead**: the signed transaction is stored before it is broadcast; after a crash
//!   it is re-broadcast as is (same hash), never rebuilt.
//! - **Fees and nonces**: EIP-1559 fees from the node, bumped by `fee_bump_percent` with the
//!   same nonce when unmined after `bump_after_ms` (capped at `max_fee_gwei`); nonces from the
//!   node's pending count and the database. A nonce used by another transaction marks the
//!   attempts dropped and a new attempt takes a fresh nonce.
//! - **Confirmations and reorgs**: an attempt is mined, then confirmed `confirmations` blocks
//!   later; a mined attempt whose receipt disappears (reorg) goes back to pending and is
//!   re-broadcast; a confirmed one that a deeper reorg removed is marked dropped and the batch
//!   is certified again.
//! - **Idempotence**: a batch certified on L1 by anyone is never submitted again; an estimate
//!   reverting with `AlreadyCertified` sends nothing.

use super::chain::{Batch, ChainState};
use super::intake::Dirty;
use super::metrics::Metrics;
use super::store::{Status, Store, StoredAttestation, Submission, now_ms};
use super::{ServiceError, rpc_error as rpc};
use crate::config::SubmissionConfig;
use crate::{CheckpointAggregate, OperatorSetView};
use alloy::eips::eip2718::{Decodable2718, Encodable2718};
use alloy::network::{EthereumWallet, TransactionBuilder};
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::TransactionRequest;
use alloy_primitives::{Address, B256};
use rampart_contracts::attestation_center::BLS12381::{G1Point, G2Point};
use rampart_contracts::attestation_center::RampartAttestationCenter as Center;
use rampart_primitives::{Checkpoint, Domain};
use rampart_telemetry::{TARGET as TRACE, context, spans};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::{RwLock, watch};
use tracing::Instrument as _;

/// The lease the submitting replica holds.
pub const LEASE: &str = "certificate-submitter";
/// How often the submitter looks at everything, even without news.
const TICK: Duration = Duration::from_millis(50);
/// Re-scan every uncertified batch this often (attestations may come from other replicas).
const FULL_SCAN: Duration = Duration::from_secs(1);
/// Uncertified batches considered per scan (newest first).
const SCAN_LIMIT: usize = 256;
/// Wait after a failed estimate before trying a batch again.
const RETRY_AFTER: Duration = Duration::from_secs(2);

/// The submitter task.
pub struct Submitter {
    /// L1, without a wallet (transactions are signed here and sent raw).
    pub provider: DynProvider,
    /// Signs certificate transactions.
    pub wallet: EthereumWallet,
    /// The paying account.
    pub sender: Address,
    /// The attestation center.
    pub center: Address,
    /// L1 chain id.
    pub chain_id: u64,
    /// L1 state.
    pub chain: Arc<RwLock<ChainState>>,
    /// The database.
    pub store: Store,
    /// Metrics.
    pub metrics: Arc<Metrics>,
    /// Batches with new attestations.
    pub dirty: Arc<Dirty>,
    /// Published leadership.
    pub leader: Arc<AtomicBool>,
    /// Settings.
    pub config: SubmissionConfig,
    /// Wait for more signers after the threshold.
    pub wait_window: Duration,
    /// This replica's name.
    pub instance: String,
    /// Held from choosing a new nonce until the transaction is broadcast, by every sender of
    /// this account in the process (the embedded slasher may pay from it too).
    pub account_lock: Arc<tokio::sync::Mutex<()>>,
    ready_since: HashMap<(u64, u64), Instant>,
    retry_at: HashMap<(u64, u64), Instant>,
}

impl std::fmt::Debug for Submitter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Submitter").field("sender", &self.sender).finish_non_exhaustive()
    }
}

type Result<T> = std::result::Result<T, ServiceError>;

impl Submitter {
    /// A submitter; call [`Submitter::run`].
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        provider: DynProvider,
        wallet: EthereumWallet,
        sender: Address,
        center: Address,
        chain_id: u64,
        chain: Arc<RwLock<ChainState>>,
        store: Store,
        metrics: Arc<Metrics>,
        dirty: Arc<Dirty>,
        leader: Arc<AtomicBool>,
        config: SubmissionConfig,
        wait_window: Duration,
        instance: String,
    ) -> Self {
        Self {
            provider,
            wallet,
            sender,
            center,
            chain_id,
            chain,
            store,
            metrics,
            dirty,
            leader,
            config,
            wait_window,
            instance,
            account_lock: Arc::default(),
            ready_since: HashMap::new(),
            retry_at: HashMap::new(),
        }
    }

    /// Runs until `stop` turns true; gives the lease up on the way out.
    pub async fn run(mut self, mut stop: watch::Receiver<bool>) {
        let ttl = self.config.lease_ttl();
        let mut lease_checked: Option<Instant> = None;
        let mut full_scan = Instant::now() - FULL_SCAN;
        let mut leader = false;
        loop {
            if lease_checked.is_none_or(|t| t.elapsed() >= ttl / 3) {
                let held = match self.store.try_lease(LEASE, &self.instance, ttl).await {
                    Ok(held) => held,
                    Err(e) => {
                        tracing::warn!(target: "rampart::aggregator", error = %e, "lease check failed");
                        false
                    }
                };
                if held != leader {
                    tracing::info!(target: "rampart::aggregator", instance = %self.instance,
                        leader = held, "submitter leadership changed");
                }
                leader = held;
                self.leader.store(held, Ordering::Relaxed);
                self.metrics.leader.set(if held { 1.0 } else { 0.0 });
                lease_checked = Some(Instant::now());
            }
            if leader {
                if let Err(e) = self.track().await {
                    tracing::warn!(target: "rampart::aggregator", error = %e, "tracking certificate transactions failed");
                }
                let (dirty, all) = self.dirty.take();
                let full = all || full_scan.elapsed() >= FULL_SCAN;
                if full {
                    full_scan = Instant::now();
                }
                if let Err(e) = self.start_new(&dirty, full).await {
                    tracing::warn!(target: "rampart::aggregator", error = %e, "starting certificates failed");
                }
            }
            tokio::select! {
                _ = self.dirty.notify.notified() => {}
                _ = tokio::time::sleep(TICK) => {}
                _ = stop.wait_for(|s| *s) => break,
            }
        }
        if leader {
            let _ = self.store.release_lease(LEASE, &self.instance).await;
            self.leader.store(false, Ordering::Relaxed);
        }
    }

    /// Follows every open attempt: receipts, confirmations, reorgs, drops, fee bumps.
    async fn track(&mut self) -> Result<()> {
        let open = self.store.open_submissions().await?;
        if open.is_empty() {
            return Ok(());
        }
        let mut batches: BTreeMap<(u64, u64), Vec<Submission>> = BTreeMap::new();
        for s in open {
            batches.entry((s.rollup_id, s.batch_index)).or_default().push(s);
        }
        let head = self.provider.get_block_number().await.map_err(rpc("eth_blockNumber"))?;
        let account_nonce = self
            .provider
            .get_transaction_count(self.sender)
            .latest()
            .await
            .map_err(rpc("eth_getTransactionCount"))?;
        for (key, attempts) in batches {
            self.track_batch(key, &attempts, head, account_nonce).await?;
        }
        Ok(())
    }

    async fn track_batch(
        &mut self,
        key: (u64, u64),
        attempts: &[Submission],
        head: u64,
        account_nonce: u64,
    ) -> Result<()> {
        let open: Vec<&Submission> = attempts.iter().filter(|s| s.status.is_open()).collect();
        let mut mined = None;
        for s in &open {
            let receipt = self
                .provider
                .get_transaction_receipt(s.tx_hash)
                .await
                .map_err(rpc("eth_getTransactionReceipt"))?;
            if let Some(r) = receipt {
                mined = Some((*s, r));
                break;
            }
        }
        if let Some((s, receipt)) = mined {
            let block = receipt.block_number.unwrap_or(head);
            for other in open.iter().filter(|o| o.attempt != s.attempt) {
                self.store.set_status(other, Status::Superseded, None).await?;
            }
            if receipt.status() && s.status != Status::Mined {
                self.record_mined(key, receipt.gas_used).await;
            }
            if !receipt.status() {
                tracing::warn!(target: "rampart::aggregator", rollup = key.0, batch = key.1,
                    tx = %s.tx_hash, "certificate transaction reverted (another certificate won?)");
                self.store.set_status(s, Status::Reverted, Some(block)).await?;
            } else if head.saturating_sub(block) >= self.config.confirmations {
                self.store.set_status(s, Status::Confirmed, Some(block)).await?;
                self.metrics.certificates_confirmed.increment(1);
                let span = tracing::info_span!(target: TRACE, spans::AGGREGATOR_CONFIRM,
                    rollup = key.0, batch = key.1, tx = %s.tx_hash, block,
                    confirmations = head.saturating_sub(block));
                context::follow_batch(&span, &self.domain(), key.0, key.1);
                span.in_scope(|| {});
                tracing::info!(target: "rampart::aggregator", rollup = key.0, batch = key.1,
                    tx = %s.tx_hash, block, "certificate confirmed");
            } else if s.status != Status::Mined {
                self.store.set_status(s, Status::Mined, Some(block)).await?;
            }
            return Ok(());
        }
        // Nothing mined (any more).
        for s in open.iter().filter(|s| s.status == Status::Mined) {
            tracing::warn!(target: "rampart::aggregator", tx = %s.tx_hash,
                "certificate transaction's receipt disappeared (L1 reorg); re-broadcasting");
            self.store.set_status(s, Status::Pending, None).await?;
        }
        let certified = {
            let chain = self.chain.read().await;
            chain.batches.get(&key).and_then(|b| b.certified).is_some()
        };
        let Some(latest) = open.iter().max_by_key(|s| s.attempt).copied() else { return Ok(()) };
        if certified {
            for s in &open {
                self.store.set_status(s, Status::Superseded, None).await?;
            }
            return Ok(());
        }
        if account_nonce > latest.nonce {
            tracing::warn!(target: "rampart::aggregator", rollup = key.0, batch = key.1,
                nonce = latest.nonce, "certificate nonce used by another transaction; resubmitting");
            for s in &open {
                self.store.set_status(s, Status::Dropped, None).await?;
            }
            return Ok(());
        }
        let age = Duration::from_millis((now_ms() - latest.created_at).max(0) as u64);
        if age >= Duration::from_millis(self.config.bump_after_ms) {
            let span = tracing::info_span!(target: TRACE, spans::AGGREGATOR_SUBMIT,
                rollup = key.0, batch = key.1, attempt = latest.attempt + 1, replacement = true);
            context::follow_batch(&span, &self.domain(), key.0, key.1);
            self.bump(latest).instrument(span).await
        } else {
            self.rebroadcast(latest).await
        }
    }

    /// Sends the stored transaction again if the node does not know it.
    async fn rebroadcast(&self, s: &Submission) -> Result<()> {
        let known = self
            .provider
            .get_transaction_by_hash(s.tx_hash)
            .await
            .map_err(rpc("eth_getTransactionByHash"))?;
        if known.is_none() {
            tracing::info!(target: "rampart::aggregator", tx = %s.tx_hash, "re-broadcasting a certificate transaction");
            self.broadcast(&s.raw_tx).await;
        }
        Ok(())
    }

    /// Replaces `s` with the same nonce and higher fees.
    async fn bump(&mut self, s: &Submission) -> Result<()> {
        let (max_fee, priority) = self.fees().await?;
        let factor = 100 + u128::from(self.config.fee_bump_percent);
        let cap = u128::from(self.config.max_fee_gwei) * 1_000_000_000;
        // Rounded up: nodes compare the new fee with exactly `old * (100 + bump) / 100`.
        let priority = (s.priority_fee * factor).div_ceil(100).max(priority);
        let max_fee = (s.max_fee * factor).div_ceil(100).max(max_fee).max(priority);
        if max_fee > cap {
            tracing::warn!(target: "rampart::aggregator", tx = %s.tx_hash, cap,
                "certificate transaction unmined and the fee cap is reached; waiting");
            return self.rebroadcast(s).await;
        }
        let decoded = alloy::consensus::TxEnvelope::decode_2718(&mut s.raw_tx.as_slice())
            .map_err(|e| ServiceError::Corrupt(format!("stored transaction: {e}")))?;
        let request: TransactionRequest = decoded.into();
        let request = request
            .with_from(self.sender)
            .with_max_fee_per_gas(max_fee)
            .with_max_priority_fee_per_gas(priority.min(max_fee));
        let (tx_hash, raw_tx) = self.sign(request).await?;
        let next = Submission {
            attempt: s.attempt + 1,
            max_fee,
            priority_fee: priority.min(max_fee),
            tx_hash,
            raw_tx,
            status: Status::Pending,
            mined_block: None,
            instance: self.instance.clone(),
            ..s.clone()
        };
        if !self.store.insert_submission(&next).await? {
            return Ok(()); // another replica bumped first
        }
        self.store.set_status(s, Status::Replaced, None).await?;
        self.metrics.fee_bumps.increment(1);
        tracing::info!(target: "rampart::aggregator", rollup = s.rollup_id, batch = s.batch_index,
            old = %s.tx_hash, new = %tx_hash, max_fee, "bumped the fee of a certificate transaction");
        self.broadcast(&next.raw_tx).await;
        Ok(())
    }

    /// Starts certificates for batches whose signers crossed the threshold.
    async fn start_new(&mut self, dirty: &HashSet<(u64, u64)>, full: bool) -> Result<()> {
        let (candidates, synced) = {
            let chain = self.chain.read().await;
            let list: Vec<_> = chain
                .uncertified(SCAN_LIMIT)
                .into_iter()
                .filter(|(k, _)| full || dirty.contains(k) || self.ready_since.contains_key(k))
                .collect();
            (list, chain.synced)
        };
        let now = Instant::now();
        self.retry_at.retain(|_, t| *t > now);
        for (key, batch) in candidates {
            if self.retry_at.contains_key(&key) {
                continue;
            }
            let attempts = self.store.submissions(key.0, key.1).await?;
            if attempts.iter().any(|s| s.status.is_open()) {
                self.ready_since.remove(&key);
                continue;
            }
            if let Some(confirmed) = attempts.iter().find(|s| s.status == Status::Confirmed) {
                // Ours was confirmed, yet L1 as followed has no certificate: either the
                // follower has not caught up, or a reorg deeper than `confirmations` removed
                // it. Only the second needs a new certificate.
                let receipt = self
                    .provider
                    .get_transaction_receipt(confirmed.tx_hash)
                    .await
                    .map_err(rpc("eth_getTransactionReceipt"))?;
                if receipt.is_some() {
                    continue;
                }
                tracing::warn!(target: "rampart::aggregator", rollup = key.0, batch = key.1,
                    tx = %confirmed.tx_hash, "a confirmed certificate was reorged out; certifying again");
                self.store.set_status(confirmed, Status::Dropped, None).await?;
            }
            let atts = self.store.attestations(key.0, key.1).await?;
            let span = tracing::info_span!(target: TRACE, spans::AGGREGATOR_AGGREGATE,
                rollup = key.0, batch = key.1, attestations = atts.len(), reference_block = synced,
                threshold_reached = false);
            context::follow_batch(&span, &self.domain(), key.0, key.1);
            let plan = self.plan(key, &batch, &atts, synced).instrument(span.clone()).await;
            span.record("threshold_reached", plan.is_some());
            drop(span);
            let Some(plan) = plan else {
                self.ready_since.remove(&key);
                continue;
            };
            let since = *self.ready_since.entry(key).or_insert(now);
            if !plan.everyone && since.elapsed() < self.wait_window {
                continue;
            }
            self.ready_since.remove(&key);
            let attempt = attempts.iter().map(|s| s.attempt + 1).max().unwrap_or(0);
            let span = tracing::info_span!(target: TRACE, spans::AGGREGATOR_SUBMIT,
                rollup = key.0, batch = key.1, attempt, replacement = false);
            context::follow_batch(&span, &self.domain(), key.0, key.1);
            if let Err(e) = self.submit(key, plan, attempt).instrument(span).await {
                tracing::warn!(target: "rampart::aggregator", rollup = key.0, batch = key.1,
                    error = %e, "certificate not sent; retrying shortly");
                self.retry_at.insert(key, Instant::now() + RETRY_AFTER);
            }
        }
        Ok(())
    }

    /// The best certificate for a batch at reference block `synced`, if any crosses the
    /// threshold.
    async fn plan(
        &self,
        key: (u64, u64),
        batch: &Batch,
        atts: &[StoredAttestation],
        synced: u64,
    ) -> Option<Plan> {
        let chain = self.chain.read().await;
        let rollup = chain.rollups.get(&key.0)?;
        let view: Arc<OperatorSetView> = chain.registry.view_at(rollup.operator_set_id, synced);
        let mut by_digest: HashMap<B256, (Checkpoint, CheckpointAggregate)> = HashMap::new();
        for s in atts {
            let c = s.attestation.checkpoint;
            if c.l2_block_number != batch.l2_block_number {
                continue;
            }
            let (_, agg) = by_digest
                .entry(s.digest)
                .or_insert_with(|| (c, CheckpointAggregate::new(s.digest, view.clone())));
            // Verified at intake (by this replica or another one writing the same database).
            let _ = agg.add_verified(s.attestation.operator, s.attestation.signature);
        }
        let (checkpoint, agg) = by_digest
            .into_values()
            .filter(|(_, agg)| agg.reached(rollup.threshold_bps))
            .max_by_key(|(_, agg)| agg.signed_stake())?;
        let certificate = agg.certificate().ok()?;
        Some(Plan {
            checkpoint,
            digest: agg.digest(),
            everyone: certificate.non_signers.is_empty(),
            certificate,
        })
    }

    /// The signing domain, which also names the batches' traces.
    fn domain(&self) -> Domain {
        Domain::new(self.chain_id, self.center)
    }

    /// Metrics of a certificate seen mined for the first time.
    async fn record_mined(&self, key: (u64, u64), gas_used: u64) {
        self.metrics.certificate_gas.record(gas_used as f64);
        if let Ok(atts) = self.store.attestations(key.0, key.1).await
            && let Some(first) = atts.iter().map(|a| a.received_at).min()
        {
            let seconds = (now_ms() - first).max(0) as f64 / 1000.0;
            self.metrics.time_to_certificate.record(seconds);
        }
    }

    async fn submit(&mut self, key: (u64, u64), plan: Plan, attempt: u64) -> Result<()> {
        let cert = &plan.certificate;
        let center = Center::new(self.center, &self.provider);
        let call = center.submitCertificate(
            (&plan.checkpoint).into(),
            cert.reference_block,
            cert.non_signers.iter().map(G1Point::from).collect(),
            G2Point::from(&cert.aggregate_signature),
        );
        let request = TransactionRequest::default()
            .with_from(self.sender)
            .with_to(self.center)
            .with_input(call.calldata().clone());
        let gas = match self.provider.estimate_gas(request.clone()).await {
            Ok(gas) => gas,
            Err(e) => {
                let reason = e
                    .as_error_resp()
                    .and_then(|r| r.as_revert_data())
                    .map(|d| rampart_chain::revert::describe(&d))
                    .unwrap_or_else(|| e.to_string());
                if reason.contains("AlreadyCertified") {
                    tracing::info!(target: "rampart::aggregator", rollup = key.0, batch = key.1,
                        "already certified on L1; nothing to send");
                    return Ok(());
                }
                return Err(ServiceError::Rpc(format!("estimating submitCertificate: {reason}")));
            }
        };
        let (max_fee, priority) = self.fees().await?;
        let account_lock = self.account_lock.clone();
        let _account = account_lock.lock().await;
        let nonce = self.nonce().await?;
        let request = request
            .with_nonce(nonce)
            .with_gas_limit(gas + gas / 5)
            .with_max_fee_per_gas(max_fee)
            .with_max_priority_fee_per_gas(priority);
        let (tx_hash, raw_tx) = self.sign(request).await?;
        let submission = Submission {
            rollup_id: key.0,
            batch_index: key.1,
            attempt,
            digest: plan.digest,
            reference_block: u64::from(cert.reference_block),
            signers: cert.signers as u64,
            non_signers: cert.non_signers.len() as u64,
            sender: self.sender,
            nonce,
            max_fee,
            priority_fee: priority,
            tx_hash,
            raw_tx,
            status: Status::Pending,
            mined_block: None,
            instance: self.instance.clone(),
            created_at: now_ms(),
        };
        if !self.store.insert_submission(&submission).await? {
            tracing::info!(target: "rampart::aggregator", rollup = key.0, batch = key.1,
                "another replica claimed this certificate");
            return Ok(());
        }
        self.metrics.certificates_sent.increment(1);
        tracing::info!(target: "rampart::aggregator", rollup = key.0, batch = key.1, tx = %tx_hash,
            signers = cert.signers, non_signers = cert.non_signers.len(),
            reference_block = cert.reference_block, "certificate sent");
        self.broadcast(&submission.raw_tx).await;
        Ok(())
    }

    async fn sign(&self, request: TransactionRequest) -> Result<(B256, Vec<u8>)> {
        let request = request.with_chain_id(self.chain_id);
        let envelope = request
            .build(&self.wallet)
            .await
            .map_err(|e| ServiceError::Rpc(format!("signing the certificate transaction: {e}")))?;
        Ok((*envelope.tx_hash(), envelope.encoded_2718()))
    }

    async fn broadcast(&self, raw: &[u8]) {
        if let Err(e) = self.provider.send_raw_transaction(raw).await {
            let message = e.to_string();
            if !message.contains("already known") {
                tracing::warn!(target: "rampart::aggregator", error = %message,
                    "broadcasting a certificate transaction failed; it is tracked and retried");
            }
        }
    }

    async fn fees(&self) -> Result<(u128, u128)> {
        let fees = self.provider.estimate_eip1559_fees().await.map_err(rpc("eth_feeHistory"))?;
        let cap = u128::from(self.config.max_fee_gwei) * 1_000_000_000;
        let max_fee = fees.max_fee_per_gas.min(cap);
        Ok((max_fee, fees.max_priority_fee_per_gas.min(max_fee)))
    }

    async fn nonce(&self) -> Result<u64> {
        let pending = self
            .provider
            .get_transaction_count(self.sender)
            .pending()
            .await
            .map_err(rpc("eth_getTransactionCount"))?;
        // The node's pending count includes what we just broadcast; our open transactions hold
        // their nonces even if this node forgot them.
        let open = self.store.max_open_nonce(self.sender).await?.map_or(0, |n| n + 1);
        Ok(pending.max(open))
    }
}

/// A certificate ready to send.
struct Plan {
    checkpoint: Checkpoint,
    digest: B256,
    certificate: crate::Certificate,
    everyone: bool,
}
