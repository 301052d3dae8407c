//! The L1 follower: `BatchCommitted` events of the attestation center, in order, from a
//! persisted cursor.
//!
//! The cursor (block number and hash of the last fully handled block) is written atomically
//! after every batch it covers has been signed and put in the outbox. On start, and on every
//! poll, the cursor block's hash is checked against the chain: a mismatch is a reorg, and the
//! follower rewinds [`REORG_REWIND`] blocks and re-processes. Re-processing is safe: signing
//! goes through slashing protection, which returns the stored signature for a checkpoint already
//! signed and refuses a different one.

use super::metrics::Metrics;
use crate::{Error, Result};
use alloy::primitives::{Address, B256};
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::Filter;
use alloy::sol_types::SolEvent;
use rampart_contracts::attestation_center::RampartAttestationCenter::BatchCommitted;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Instant;

/// How far to rewind after detecting a reorg.
pub(super) const REORG_REWIND: u64 = 128;
/// Largest block range per `eth_getLogs`.
const MAX_RANGE: u64 = 2_000;

/// A committed batch, as the attestation center announced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct CommittedBatch {
    /// The rollup.
    pub(super) rollup_id: u64,
    /// The batch.
    pub(super) batch_index: u64,
    /// The batch's last L2 block.
    pub l2_block_number: u64,
    /// The committed batch data commitment.
    pub(super) commitment: B256,
    /// The L1 block of the commit.
    pub l1_block: u64,
}

/// The persisted position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Cursor {
    /// Last fully handled L1 block.
    pub(super) block: u64,
    /// Its hash.
    pub(super) hash: B256,
}

/// Follows one attestation center.
#[derive(Debug)]
pub(super) struct Follower {
    provider: DynProvider,
    center: Address,
    path: PathBuf,
    start_block: u64,
    confirmations: u64,
    cursor: Option<Cursor>,
}

impl Follower {
    /// A follower resuming from `path` (or from `start_block` the first time).
    pub(super) fn new(
        provider: DynProvider,
        center: Address,
        path: PathBuf,
        start_block: u64,
        confirmations: u64,
    ) -> Result<Self> {
        let cursor =
            match std::fs::read(&path) {
                Ok(bytes) => Some(serde_json::from_slice(&bytes).map_err(|e| {
                    Error::io("read the L1 cursor", &path, std::io::Error::other(e))
                })?),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(Error::io("read the L1 cursor", &path, e)),
            };
        Ok(Self { provider, center, path, start_block, confirmations, cursor })
    }

    /// New batches after the cursor up to the confirmed head, with the range's end block (to
    /// pass to [`Follower::advance`] once they are all handled).
    pub(super) async fn poll(&mut self, metrics: &Metrics) -> Result<(Vec<CommittedBatch>, u64)> {
        self.check_reorg(metrics).await?;
        let started = Instant::now();
        let head = self.provider.get_block_number().await.map_err(|e| rpc("eth_blockNumber", e))?;
        metrics.rpc("l1", "eth_blockNumber", started.elapsed().as_secs_f64());
        let target = head.saturating_sub(self.confirmations);
        let from = self.cursor.map_or(self.start_block, |c| c.block + 1);
        metrics.l1_lag.set(head.saturating_sub(from.saturating_sub(1)) as f64);
        if from > target {
            return Ok((Vec::new(), target));
        }
        let to = target.min(from + MAX_RANGE - 1);
        let filter = Filter::new()
            .address(self.center)
            .event_signature(BatchCommitted::SIGNATURE_HASH)
            .from_block(from)
            .to_block(to);
        let started = Instant::now();
        let logs = self.provider.get_logs(&filter).await.map_err(|e| rpc("eth_getLogs", e))?;
        metrics.rpc("l1", "eth_getLogs", started.elapsed().as_secs_f64());
        let mut batches = Vec::new();
        for log in logs {
            let block = log.block_number.unwrap_or_default();
            let Ok(event) = BatchCommitted::decode_log_data(log.data()) else { continue };
            batches.push(CommittedBatch {
                rollup_id: event.rollupId,
                batch_index: event.batchIndex,
                l2_block_number: event.l2BlockNumber,
                commitment: event.commitment,
                l1_block: block,
            });
        }
        Ok((batches, to))
    }

    /// Records that everything up to `block` is handled (persisted atomically).
    pub(super) async fn advance(&mut self, block: u64, metrics: &Metrics) -> Result<()> {
        if self.cursor.is_some_and(|c| c.block >= block) {
            return Ok(());
        }
        let hash = self.block_hash(block).await?;
        let cursor = Cursor { block, hash };
        let tmp = self.path.with_extension("tmp");
        let fail = |e| Error::io("write the L1 cursor", &self.path, e);
        std::fs::write(&tmp, serde_json::to_vec(&cursor).expect("cursor serializes"))
            .map_err(fail)?;
        std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(fail)?;
        std::fs::rename(&tmp, &self.path).map_err(fail)?;
        self.cursor = Some(cursor);
        metrics.l1_processed.set(block as f64);
        Ok(())
    }

    async fn block_hash(&self, block: u64) -> Result<B256> {
        let header = self
            .provider
            .get_block_by_number(block.into())
            .await
            .map_err(|e| rpc("eth_getBlockByNumber", e))?;
        Ok(header.map(|b| b.header.hash).unwrap_or_default())
    }

    async fn check_reorg(&mut self, metrics: &Metrics) -> Result<()> {
        let Some(cursor) = self.cursor else { return Ok(()) };
        let started = Instant::now();
        let hash = self.block_hash(cursor.block).await?;
        metrics.rpc("l1", "eth_getBlockByNumber", started.elapsed().as_secs_f64());
        if hash != cursor.hash {
            let back = cursor.block.saturating_sub(REORG_REWIND).max(self.start_block);
            tracing::warn!(target: "rampart::l1", block = cursor.block, rewind_to = back,
                "L1 reorg detected at the cursor; re-processing");
            self.cursor = if back > self.start_block {
                Some(Cursor { block: back - 1, hash: self.block_hash(back - 1).await? })
            } else {
                None
            };
        }
        Ok(())
    }
}

fn rpc(method: &str, e: impl std::fmt::Display) -> Error {
    Error::Chain(rampart_chain::Error::Rpc {
        action: format!("L1 {method}"),
        message: e.to_string(),
    })
}
