//! State sources: how an operator re-derives a rollup's state for a committed batch.
//!
//! `evm-rpc` reads the operator's *own* L2 node: the block at the batch's last L2 block number,
//! attested only when that block is at or below the configured finality head. A node that does
//! not have the block yet means "not yet", never an error.

use super::l1::CommittedBatch;
use super::metrics::Metrics;
use crate::config::{Finality, RollupConfig};
use crate::{Error, Result};
use alloy::eips::BlockNumberOrTag;
use alloy::providers::{DynProvider, Provider};
use rampart_primitives::{Checkpoint, RollupId};
use std::time::Instant;

/// What a source says about a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Derived {
    /// The re-derived checkpoint, ready to sign.
    Ready(Checkpoint),
    /// The L2 block is not there or not final yet (the L2 head, if known).
    NotYet(Option<u64>),
}

/// A rollup's state source (real implementations only; the reference-rollup source arrives
/// with the reference rollup).
#[derive(Debug)]
pub(super) enum StateSource {
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
    pub(super) fn new(config: &RollupConfig) -> Result<Self> {
        let endpoint = crate::config::endpoint_label(&config.rpc_url);
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
        let Self::EvmRpc { rollup, provider, endpoint, finality } = self;
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
