//! Follows L1: applies the registry's and the attestation center's events to [`ChainState`].
//!
//! Events count once buried under `confirmations` blocks. Each poll first checks that the last
//! applied block is still canonical; if a reorg replaced it, the state is rebuilt from the
//! deployment's start block (events are the only input, so a rebuild is exact).

use super::chain::{Batch, Certified, ChainState, Rollup};
use super::metrics::Metrics;
use super::{ServiceError, rpc_error as rpc};
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::{Filter, Log};
use alloy::sol_types::SolEvent;
use alloy_primitives::{Address, B256, U256};
use rampart_contracts::attestation_center::RampartAttestationCenter as Center;
use rampart_contracts::operator_registry::RampartOperatorRegistry as Registry;
use std::sync::Arc;
use tokio::sync::{Mutex, RwLock};

/// Most blocks asked for in one `eth_getLogs`.
const MAX_RANGE: u64 = 5_000;

/// The L1 follower.
#[derive(Debug)]
pub struct Follower {
    provider: DynProvider,
    registry: Address,
    center: Address,
    start_block: u64,
    confirmations: u64,
    state: Arc<RwLock<ChainState>>,
    metrics: Arc<Metrics>,
    /// One sync at a time (the loop and on-demand syncs from the intake).
    busy: Mutex<()>,
}

impl Follower {
    /// A follower writing into `state`.
    pub fn new(
        provider: DynProvider,
        registry: Address,
        center: Address,
        start_block: u64,
        confirmations: u64,
        state: Arc<RwLock<ChainState>>,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            provider,
            registry,
            center,
            start_block,
            confirmations,
            state,
            metrics,
            busy: Mutex::new(()),
        }
    }

    /// Applies every event up to the confirmed head. Returns whether anything new was applied.
    pub async fn sync(&self) -> Result<bool, ServiceError> {
        let _one = self.busy.lock().await;
        let (synced, synced_hash) = {
            let s = self.state.read().await;
            (s.synced, s.synced_hash)
        };
        let started = synced_hash != B256::ZERO;
        if started && self.block_hash(synced).await? != synced_hash {
            tracing::warn!(target: "rampart::aggregator", block = synced,
                "L1 reorg below the synced block; rebuilding from the start block");
            *self.state.write().await = ChainState::default();
            drop(_one);
            return Box::pin(self.sync()).await;
        }
        let head = self.provider.get_block_number().await.map_err(rpc("eth_blockNumber"))?;
        let target = head.saturating_sub(self.confirmations);
        let mut from = if started { synced + 1 } else { self.start_block };
        self.metrics.l1_lag.set(target.saturating_sub(from.saturating_sub(1)) as f64);
        if from > target {
            return Ok(false);
        }
        while from <= target {
            let to = target.min(from + MAX_RANGE - 1);
            let filter = Filter::new()
                .address(vec![self.registry, self.center])
                .from_block(from)
                .to_block(to);
            let logs = self.provider.get_logs(&filter).await.map_err(rpc("eth_getLogs"))?;
            let hash = self.block_hash(to).await?;
            let mut state = self.state.write().await;
            for log in &logs {
                apply(&mut state, log, self.registry, self.center);
            }
            state.synced = to;
            state.synced_hash = hash;
            drop(state);
            self.metrics.l1_synced.set(to as f64);
            from = to + 1;
        }
        Ok(true)
    }

    async fn block_hash(&self, block: u64) -> Result<B256, ServiceError> {
        let b = self
            .provider
            .get_block_by_number(block.into())
            .await
            .map_err(rpc("eth_getBlockByNumber"))?;
        Ok(b.map(|b| b.header.hash).unwrap_or_default())
    }
}

/// Applies one log to the state (unknown or undecodable logs are ignored).
fn apply(state: &mut ChainState, log: &Log, registry: Address, center: Address) {
    let block = log.block_number.unwrap_or_default();
    let Some(topic) = log.topic0() else { return };
    let data = log.data();
    if log.address() == registry {
        match *topic {
            Registry::KeyRegistered::SIGNATURE_HASH => {
                if let Ok(e) = Registry::KeyRegistered::decode_log_data(data)
                    && let Some(pk) = e.pubkey.to_public_key()
                {
                    state.registry.key_registered(e.operator, pk);
                }
            }
            Registry::OperatorRegistered::SIGNATURE_HASH => {
                if let Ok(e) = Registry::OperatorRegistered::decode_log_data(data) {
                    let stake = U256::from(e.stake);
                    state.registry.stake(e.operatorSetId, e.operator, block, stake, true);
                }
            }
            Registry::StakeUpdated::SIGNATURE_HASH => {
                if let Ok(e) = Registry::StakeUpdated::decode_log_data(data) {
                    let stake = U256::from(e.stake);
                    state.registry.stake(e.operatorSetId, e.operator, block, stake, true);
                }
            }
            Registry::OperatorDeregistered::SIGNATURE_HASH => {
                if let Ok(e) = Registry::OperatorDeregistered::decode_log_data(data) {
                    state.registry.stake(e.operatorSetId, e.operator, block, U256::ZERO, false);
                }
            }
            _ => {}
        }
    } else if log.address() == center {
        match *topic {
            Center::RollupRegistered::SIGNATURE_HASH => {
                if let Ok(e) = Center::RollupRegistered::decode_log_data(data) {
                    state.rollups.insert(
                        e.rollupId,
                        Rollup {
                            operator_set_id: e.params.operatorSetId,
                            threshold_bps: e.params.thresholdBps,
                        },
                    );
                }
            }
            Center::BatchCommitted::SIGNATURE_HASH => {
                if let Ok(e) = Center::BatchCommitted::decode_log_data(data) {
                    state.batches.insert(
                        (e.rollupId, e.batchIndex),
                        Batch {
                            l2_block_number: e.l2BlockNumber,
                            commitment: e.commitment,
                            commit_block: block,
                            certified: None,
                        },
                    );
                }
            }
            Center::CertificateSubmitted::SIGNATURE_HASH => {
                if let Ok(e) = Center::CertificateSubmitted::decode_log_data(data)
                    && let Some(batch) = state.batches.get_mut(&(e.rollupId, e.batchIndex))
                {
                    batch.certified = Some(Certified {
                        checkpoint: (&e.checkpoint).into(),
                        reference_block: e.referenceBlock,
                        signed_stake: U256::from(e.signedStake),
                        total_stake: U256::from(e.totalStake),
                        non_signers: e.nonSignerKeyHashes.len(),
                        submitter: e.submitter,
                        tx_hash: log.transaction_hash.unwrap_or_default(),
                        block,
                    });
                }
            }
            _ => {}
        }
    }
}
