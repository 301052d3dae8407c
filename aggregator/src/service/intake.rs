//! The verification pipeline behind `POST /v1/attestations`.
//!
//! Handlers parse and pre-check an attestation, then queue it here with a reply channel. Two
//! stages follow, each draining its queue in batches, so under load batches are large and when
//! idle a single attestation goes through alone (no added latency):
//!
//! 1. **verify**: everything queued while the previous batch was being verified is checked
//!    together, one aggregate pairing check per checkpoint digest (bisection on failure);
//! 2. **store**: every verified batch queued while the previous commit ran is written in one
//!    database transaction. Only after the commit does any handler answer 202: an accepted
//!    attestation is never lost.
//!
//! The stages overlap: the next batch is verified while the previous one is committed.
//!
//! The database decides conflicts: the first attestation per `(rollup, batch, operator)` is
//! kept; a later one over the same digest is a duplicate, over another digest it is
//! equivocation, and both signed attestations are stored as evidence.

use super::metrics::Metrics;
use super::store::{Store, StoredAttestation, now_ms};
use crate::verify::verify_batch;
use alloy_primitives::{Address, B256};
use rampart_crypto::PublicKey;
use rampart_primitives::{Domain, SignedAttestation};
use rampart_telemetry::{TARGET as TRACE, context, spans};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::{Notify, mpsc, oneshot};

/// One attestation to verify: its index in the batch, the key and the signature.
type Item = (usize, PublicKey, rampart_crypto::Signature);

/// Most attestations verified and written together.
const MAX_BATCH: usize = 2048;
/// Batches remembered by the duplicate cache before it is reset.
const CACHE_BATCHES: usize = 4096;

/// What became of a queued attestation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Verified and durably stored.
    Accepted,
    /// The same attestation is already on record.
    Duplicate,
    /// The operator already signed another checkpoint of this batch; evidence stored.
    Equivocation {
        /// The attestation on record.
        first: Box<SignedAttestation>,
    },
    /// The signature does not verify for the operator's key and the checkpoint digest.
    InvalidSignature,
    /// The database failed; nothing was stored (retry later).
    Unavailable(String),
}

/// One queued attestation.
#[derive(Debug)]
pub struct Job {
    /// The attestation.
    pub attestation: SignedAttestation,
    /// Its checkpoint digest under the deployment's domain.
    pub digest: B256,
    /// The operator's registered key.
    pub pubkey: PublicKey,
    /// When the request arrived.
    pub started: Instant,
    /// Where the outcome goes.
    pub reply: oneshot::Sender<Outcome>,
}

/// Batches whose attestations changed, for the submitter.
#[derive(Debug, Default)]
pub struct Dirty {
    /// Marked batches, and whether everything should be looked at (new L1 events).
    batches: Mutex<(HashSet<(u64, u64)>, bool)>,
    /// Woken when a batch is marked.
    pub notify: Notify,
}

impl Dirty {
    /// Marks a batch.
    pub fn mark(&self, key: (u64, u64)) {
        self.batches.lock().expect("dirty lock").0.insert(key);
        self.notify.notify_one();
    }

    /// Marks everything (L1 brought news: commits, certificates, stake changes).
    pub fn mark_all(&self) {
        self.batches.lock().expect("dirty lock").1 = true;
        self.notify.notify_one();
    }

    /// Takes the marked batches and the "everything" flag.
    pub fn take(&self) -> (HashSet<(u64, u64)>, bool) {
        std::mem::take(&mut *self.batches.lock().expect("dirty lock"))
    }
}

/// Accepted digests per batch and operator: answers plain re-sends without a pairing.
type Seen = Mutex<HashMap<(u64, u64), HashMap<Address, B256>>>;

/// The pipeline's state.
#[derive(Debug)]
pub struct Intake {
    store: Store,
    domain: Domain,
    metrics: Arc<Metrics>,
    dirty: Arc<Dirty>,
    seen: Arc<Seen>,
}

impl Intake {
    /// A pipeline writing to `store`.
    pub fn new(store: Store, domain: Domain, metrics: Arc<Metrics>, dirty: Arc<Dirty>) -> Self {
        Self { store, domain, metrics, dirty, seen: Arc::default() }
    }

    /// Runs until every sender is gone and everything queued is stored.
    pub async fn run(self, mut rx: mpsc::Receiver<Job>) {
        let this = Arc::new(self);
        let (verified_tx, mut verified_rx) = mpsc::channel::<Vec<Job>>(64);
        let writer = {
            let this = this.clone();
            tokio::spawn(async move {
                while let Some(mut jobs) = verified_rx.recv().await {
                    while jobs.len() < MAX_BATCH {
                        match verified_rx.try_recv() {
                            Ok(more) => jobs.extend(more),
                            Err(_) => break,
                        }
                    }
                    this.store_verified(jobs).await;
                }
            })
        };
        while let Some(first) = rx.recv().await {
            let mut jobs = vec![first];
            while jobs.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(job) => jobs.push(job),
                    Err(_) => break,
                }
            }
            let verified = this.verify(jobs).await;
            if !verified.is_empty() && verified_tx.send(verified).await.is_err() {
                break;
            }
        }
        drop(verified_tx);
        let _ = writer.await;
    }

    /// Answers duplicates and bad signatures; returns the jobs whose signature verified.
    async fn verify(&self, jobs: Vec<Job>) -> Vec<Job> {
        let mut fresh = Vec::with_capacity(jobs.len());
        let seen = seen_digests(&self.seen.lock().expect("seen lock"), &jobs);
        for job in jobs {
            let c = &job.attestation.checkpoint;
            let known = seen.get(&(c.rollup_id.0, c.batch_index, job.attestation.operator));
            if known == Some(&job.digest) {
                self.metrics.duplicates.increment(1);
                let _ = job.reply.send(Outcome::Duplicate);
            } else {
                fresh.push(job);
            }
        }
        if fresh.is_empty() {
            return fresh;
        }
        self.metrics.batch_size.record(fresh.len() as f64);

        // Verify: one optimistic batch per digest, off the async threads.
        let mut groups: HashMap<B256, Vec<usize>> = HashMap::new();
        for (i, job) in fresh.iter().enumerate() {
            groups.entry(job.digest).or_default().push(i);
        }
        let inputs: Vec<(B256, (u64, u64), Vec<Item>)> = groups
            .into_iter()
            .map(|(digest, idx)| {
                let c = &fresh[idx[0]].attestation.checkpoint;
                let batch = (c.rollup_id.0, c.batch_index);
                let items = idx
                    .into_iter()
                    .map(|i| (i, fresh[i].pubkey, fresh[i].attestation.signature))
                    .collect();
                (digest, batch, items)
            })
            .collect();
        let domain = self.domain;
        let checked = tokio::task::spawn_blocking(move || {
            let mut valid = vec![];
            let mut checks = 0;
            for (digest, (rollup, batch), items) in inputs {
                let span = tracing::info_span!(target: TRACE, spans::AGGREGATOR_VERIFY,
                    rollup, batch, signatures = items.len(), pairing_checks = tracing::field::Empty);
                context::follow_batch(&span, &domain, rollup, batch);
                let pairs: Vec<_> = items.iter().map(|(_, pk, sig)| (pk, sig)).collect();
                let verdict = span.in_scope(|| verify_batch(&digest, &pairs));
                span.record("pairing_checks", verdict.checks);
                checks += verdict.checks;
                valid.extend(verdict.valid.iter().map(|&k| items[k].0));
            }
            (valid, checks)
        })
        .await;
        let (valid, checks) = match checked {
            Ok(v) => v,
            Err(e) => {
                let why = format!("verification task failed: {e}");
                for job in fresh {
                    let _ = job.reply.send(Outcome::Unavailable(why.clone()));
                }
                return Vec::new();
            }
        };
        self.metrics.pairing_checks.increment(checks as u64);
        let valid: HashSet<usize> = valid.into_iter().collect();

        let mut accepted_jobs = Vec::new();
        for (i, job) in fresh.into_iter().enumerate() {
            if valid.contains(&i) {
                accepted_jobs.push(job);
            } else {
                // Also counted as rejected by the handler, with every other 4xx.
                self.metrics.verification_failures.increment(1);
                let _ = job.reply.send(Outcome::InvalidSignature);
            }
        }
        accepted_jobs
    }

    /// Writes verified jobs in one transaction, then answers them.
    async fn store_verified(&self, accepted_jobs: Vec<Job>) {
        let now = now_ms();
        let rows: Vec<StoredAttestation> = accepted_jobs
            .iter()
            .map(|j| StoredAttestation {
                attestation: j.attestation,
                digest: j.digest,
                received_at: now,
            })
            .collect();
        let existing = match self.store.insert_attestations(&rows).await {
            Ok(existing) => existing,
            Err(e) => {
                tracing::error!(target: "rampart::aggregator", error = %e, "storing attestations failed");
                let why = e.to_string();
                for job in accepted_jobs {
                    let _ = job.reply.send(Outcome::Unavailable(why.clone()));
                }
                return;
            }
        };
        let mut outcomes = Vec::with_capacity(accepted_jobs.len());
        {
            let mut seen = self.seen.lock().expect("seen lock");
            if seen.len() > CACHE_BATCHES {
                seen.clear();
            }
            for (job, existing) in accepted_jobs.iter().zip(&existing) {
                let a = job.attestation;
                let key = (a.checkpoint.rollup_id.0, a.checkpoint.batch_index);
                if existing.is_none_or(|e| e.digest == job.digest) {
                    seen.entry(key).or_default().insert(a.operator, job.digest);
                }
            }
        }
        for (job, existing) in accepted_jobs.into_iter().zip(existing) {
            let a = job.attestation;
            let key = (a.checkpoint.rollup_id.0, a.checkpoint.batch_index);
            let outcome = match existing {
                None => {
                    self.dirty.mark(key);
                    self.metrics.accepted.increment(1);
                    self.metrics.intake_seconds.record(job.started.elapsed().as_secs_f64());
                    Outcome::Accepted
                }
                Some(first) if first.digest == job.digest => {
                    self.metrics.duplicates.increment(1);
                    Outcome::Duplicate
                }
                Some(first) => self.equivocation(first.attestation, a).await,
            };
            outcomes.push((job.reply, outcome));
        }
        for (reply, outcome) in outcomes {
            let _ = reply.send(outcome);
        }
    }

    async fn equivocation(&self, first: SignedAttestation, second: SignedAttestation) -> Outcome {
        match self.store.insert_evidence(&first, &second).await {
            Ok(new) => {
                if new {
                    self.metrics.equivocations.increment(1);
                    tracing::warn!(target: "rampart::aggregator", operator = %first.operator,
                        rollup = first.checkpoint.rollup_id.0, batch = first.checkpoint.batch_index,
                        "equivocation: two signed checkpoints for one batch; evidence stored");
                }
                Outcome::Equivocation { first: Box::new(first) }
            }
            Err(e) => Outcome::Unavailable(e.to_string()),
        }
    }
}

/// The accepted digests the jobs' (batch, operator) pairs already have: only what this batch
/// needs, so the lock is held briefly.
fn seen_digests(
    seen: &HashMap<(u64, u64), HashMap<Address, B256>>,
    jobs: &[Job],
) -> HashMap<(u64, u64, Address), B256> {
    jobs.iter()
        .filter_map(|j| {
            let c = &j.attestation.checkpoint;
            let digest = seen.get(&(c.rollup_id.0, c.batch_index))?.get(&j.attestation.operator)?;
            Some(((c.rollup_id.0, c.batch_index, j.attestation.operator), *digest))
        })
        .collect()
}
