//! State sources: how an operator re-derives a rollup's state for a committed batch.
//!
//! `evm-rpc` reads the operator's *own* L2 node: the block at the batch's last L2 block number,
//! attested only when that block is at or below the configured finality head. A node that does
//! not have the block yet means "not yet", never an error.
//!
//! `reference` re-executes Rampart's reference rollup: it fetches each batch from the
//! sequencer, recomputes its commitment and compares it with the one committed on L1, applies
//! it to the operator's *own* copy of the state (persisted in the data directory after every
//! batch), and attests the root it computed. The sequencer's claimed root is never used; a
//! batch that does not match L1 or does not execute is never attested.

use super::l1::CommittedBatch;
use super::metrics::Metrics;
use crate::config::{Finality, RollupConfig};
use crate::{Error, Result};
use alloy::eips::BlockNumberOrTag;
use alloy::primitives::B256;
use alloy::providers::{DynProvider, Provider};
use rampart_contracts::attestation_center::RampartAttestationCenter::RampartAttestationCenterInstance;
use rampart_primitives::{Checkpoint, RollupId};
use rampart_reference_rollup::field::to_b256;
use rampart_reference_rollup::{Genesis, State};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Instant;
use tokio::sync::Mutex;

/// What a source says about a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Derived {
    /// The re-derived checkpoint, ready to sign.
    Ready(Checkpoint),
    /// The L2 block is not there or not final yet (the L2 head, if known).
    NotYet(Option<u64>),
}

/// A rollup's state source.
#[derive(Debug)]
pub(super) enum StateSource {
    /// The reference rollup, re-executed here.
    Reference(Box<Reference>),
    /// The operator's own EVM L2 node.
    EvmRpc {
        /// The rollup.
        rollup: u64,
        /// The node.
        provider: DynProvider,
        /// Its endpoint, for messages.
        endpoint: String,
        /// Which head bounds attestable blocks.
        finality: Finality,
    },
}

impl StateSource {
    /// Builds the source a `[[rollups]]` entry describes.
    pub(super) fn new(
        config: &RollupConfig,
        data_dir: &Path,
        center: RampartAttestationCenterInstance<DynProvider>,
    ) -> Result<Self> {
        let endpoint = crate::config::endpoint_label(&config.rpc_url);
        if config.source == crate::config::SourceKind::Reference {
            return Reference::open(config, data_dir, center, endpoint)
                .map(|r| Self::Reference(Box::new(r)));
        }
        let provider =
            super::rpc::resilient(std::slice::from_ref(&config.rpc_url)).map_err(|message| {
                Error::L2 { rollup: config.id, endpoint: endpoint.clone(), message }
            })?;
        Ok(Self::EvmRpc { rollup: config.id, provider, endpoint, finality: config.finality })
    }

    /// Re-derives the checkpoint of `batch`.
    pub(super) async fn derive(
        &self,
        batch: &CommittedBatch,
        metrics: &Metrics,
    ) -> Result<Derived> {
        let (rollup, provider, endpoint, finality) = match self {
            Self::Reference(source) => return source.derive(batch, metrics).await,
            Self::EvmRpc { rollup, provider, endpoint, finality } => {
                (rollup, provider, endpoint, finality)
            }
        };
        let fail =
            |message: String| Error::L2 { rollup: *rollup, endpoint: endpoint.clone(), message };
        let tag = match finality {
            Finality::Latest => BlockNumberOrTag::Latest,
            Finality::Safe => BlockNumberOrTag::Safe,
            Finality::Finalized => BlockNumberOrTag::Finalized,
        };
        let started = Instant::now();
        let head = provider.get_block_by_number(tag).await.map_err(|e| fail(e.to_string()))?;
        metrics.rpc("l2", "eth_getBlockByNumber", started.elapsed().as_secs_f64());
        let head = head.map(|b| b.header.number);
        match head {
            Some(h) if h >= batch.l2_block_number => {
                metrics.l2_lag(*rollup, (h - batch.l2_block_number) as f64);
            }
            _ => return Ok(Derived::NotYet(head)),
        }
        let started = Instant::now();
        let block = provider
            .get_block_by_number(BlockNumberOrTag::Number(batch.l2_block_number))
            .await
            .map_err(|e| fail(e.to_string()))?;
        metrics.rpc("l2", "eth_getBlockByNumber", started.elapsed().as_secs_f64());
        let Some(block) = block else { return Ok(Derived::NotYet(head)) };
        Ok(Derived::Ready(Checkpoint {
            rollup_id: RollupId(batch.rollup_id),
            batch_index: batch.batch_index,
            l2_block_number: batch.l2_block_number,
            l2_block_hash: block.header.hash,
            state_root: block.header.state_root,
        }))
    }
}

/// What the reference source persists: its state and, per applied batch, the commitment it
/// matched and the root it computed.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Persisted {
    snapshot: rampart_reference_rollup::Snapshot,
    commitments: Vec<B256>,
    roots: Vec<B256>,
}

/// Where reference-rollup batches come from: the sequencer's data, accepted only when it hashes
/// to the commitment on L1.
#[derive(Debug, Clone)]
pub(super) struct BatchFeed {
    rollup: u64,
    endpoint: String,
    client: rampart_sequencer::client::Client,
    center: RampartAttestationCenterInstance<DynProvider>,
}

impl BatchFeed {
    /// The feed of rollup `rollup` from the sequencer at `url`.
    pub(super) fn new(
        rollup: u64,
        url: &str,
        center: RampartAttestationCenterInstance<DynProvider>,
    ) -> Self {
        Self {
            rollup,
            endpoint: crate::config::endpoint_label(url),
            client: rampart_sequencer::client::Client::new(url),
            center,
        }
    }

    /// The attestation center the commitments are read from.
    pub(super) fn center(&self) -> &RampartAttestationCenterInstance<DynProvider> {
        &self.center
    }

    /// An error about this rollup's sequencer or its data.
    pub(super) fn fail(&self, message: impl ToString) -> Error {
        Error::L2 {
            rollup: self.rollup,
            endpoint: self.endpoint.clone(),
            message: message.to_string(),
        }
    }

    /// The commitment of batch `index` on L1.
    pub(super) async fn committed(&self, index: u64) -> Result<B256> {
        Ok(rampart_chain::provider::read(
            "AttestationCenter.batchCommitment",
            self.center.batchCommitment(self.rollup, index),
        )
        .await?)
    }

    /// Batch `index`, checked against `committed` (its L1 commitment); `None` while the
    /// sequencer does not serve it yet.
    pub(super) async fn fetch(
        &self,
        index: u64,
        committed: B256,
        metrics: &Metrics,
    ) -> Result<Option<rampart_reference_rollup::Batch>> {
        let started = Instant::now();
        let data = self.client.batch(index).await.map_err(|e| self.fail(e))?;
        metrics.rpc("l2", "GET /v1/batches", started.elapsed().as_secs_f64());
        let Some(data) = data else { return Ok(None) };
        if data.batch.index != index || data.batch.rollup_id != self.rollup {
            return Err(self.fail(format!(
                "asked for batch {index}, got batch {} of rollup {}",
                data.batch.index, data.batch.rollup_id
            )));
        }
        let commitment = to_b256(&data.batch.commitment());
        if commitment != committed {
            return Err(self.fail(format!(
                "batch {index}: the served data hashes to {commitment}, L1 committed {committed}; not using it"
            )));
        }
        Ok(Some(data.batch))
    }
}

/// The reference-rollup source.
#[derive(Debug)]
pub(super) struct Reference {
    feed: BatchFeed,
    path: PathBuf,
    state: Mutex<(State, Vec<B256>, Vec<B256>)>,
}

impl Reference {
    fn open(
        config: &RollupConfig,
        data_dir: &Path,
        center: RampartAttestationCenterInstance<DynProvider>,
        endpoint: String,
    ) -> Result<Self> {
        let fail =
            |message: String| Error::L2 { rollup: config.id, endpoint: endpoint.clone(), message };
        let Some(genesis_path) = config.genesis.as_deref() else {
            return Err(fail("source \"reference\" needs genesis".into()));
        };
        let genesis = Genesis::load(genesis_path).map_err(|e| fail(e.to_string()))?;
        if genesis.rollup_id != config.id {
            return Err(fail(format!(
                "{} is the genesis of rollup {}, not {}",
                genesis_path.display(),
                genesis.rollup_id,
                config.id
            )));
        }
        let path = data_dir.join(format!("rollup-{}-state.json", config.id));
        let state = match std::fs::read(&path) {
            Ok(bytes) => {
                let p: Persisted = serde_json::from_slice(&bytes)
                    .map_err(|e| fail(format!("{}: {e}", path.display())))?;
                if p.snapshot.genesis.rollup_id != config.id
                    || p.roots.len() as u64 != p.snapshot.next_batch
                    || p.commitments.len() != p.roots.len()
                {
                    return Err(fail(format!(
                        "{}: not a state of rollup {}",
                        path.display(),
                        config.id
                    )));
                }
                let state = State::from_snapshot(&p.snapshot).map_err(|e| fail(e.to_string()))?;
                (state, p.commitments, p.roots)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                (State::new(&genesis), Vec::new(), Vec::new())
            }
            Err(e) => return Err(Error::io("read the rollup state", &path, e)),
        };
        Ok(Self {
            feed: BatchFeed::new(config.id, &config.rpc_url, center),
            path,
            state: Mutex::new(state),
        })
    }

    async fn derive(&self, batch: &CommittedBatch, metrics: &Metrics) -> Result<Derived> {
        let mut guard = self.state.lock().await;
        let (state, commitments, roots) = &mut *guard;
        while state.next_batch() <= batch.batch_index {
            let index = state.next_batch();
            let commitment = if index == batch.batch_index {
                batch.commitment
            } else {
                self.feed.committed(index).await?
            };
            let Some(data) = self.feed.fetch(index, commitment, metrics).await? else {
                return Ok(Derived::NotYet(None));
            };
            let mut next = state.clone();
            next.apply_batch(&data).map_err(|e| {
                self.feed.fail(format!("committed batch {index} is invalid, not attesting: {e}"))
            })?;
            commitments.push(commitment);
            roots.push(to_b256(&next.root()));
            let persisted = Persisted {
                snapshot: next.snapshot(),
                commitments: commitments.clone(),
                roots: roots.clone(),
            };
            if let Err(e) = write_atomic(&self.path, &persisted) {
                commitments.pop();
                roots.pop();
                return Err(Error::io("persist the rollup state", &self.path, e));
            }
            *state = next;
        }
        let index = batch.batch_index as usize;
        if commitments[index] != batch.commitment {
            return Err(self.feed.fail(format!(
                "batch {index}: L1 now commits {} but {} was executed (an L1 reorg replaced the batch); \
                 not attesting",
                batch.commitment, commitments[index]
            )));
        }
        Ok(Derived::Ready(Checkpoint {
            rollup_id: RollupId(batch.rollup_id),
            batch_index: batch.batch_index,
            l2_block_number: batch.l2_block_number,
            l2_block_hash: commitments[index],
            state_root: roots[index],
        }))
    }
}

/// Writes `value` as JSON to `path` atomically: a temporary file, synced, renamed into place.
pub(super) fn write_atomic<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    use std::io::Write as _;
    let tmp = path.with_extension("tmp");
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(&serde_json::to_vec(value).map_err(std::io::Error::other)?)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}
