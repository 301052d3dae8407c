//! L1: the batcher's view of the attestation center, and the loop that seals and commits.

use crate::config::SequencerConfig;
use crate::{Config, Core, Error, Result, commitment_word};
use alloy::primitives::Address;
use alloy::providers::DynProvider;
use rampart_chain::provider::{connect, read, send};
use rampart_contracts::attestation_center::RampartAttestationCenter::{
    self, RampartAttestationCenterInstance,
};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// The batcher's handle on L1.
pub(crate) struct L1 {
    center: RampartAttestationCenterInstance<DynProvider>,
    rollup_id: u64,
    batcher: Address,
}

impl L1 {
    /// Connects with the batcher key.
    pub(crate) async fn connect(config: &Config) -> Result<Self> {
        let deployment = rampart_chain::Deployment::load(&config.chain.deployment)?;
        let mut warnings = Vec::new();
        let signer = rampart_chain::secrets::read_key_file(
            &config.sequencer.batcher_key_file,
            &mut warnings,
        )
        .map_err(|e| Error::Storage {
            path: config.sequencer.batcher_key_file.display().to_string(),
            message: e.to_string(),
        })?;
        for warning in warnings {
            tracing::warn!(target: "rampart::sequencer", "{warning}");
        }
        let batcher = signer.address();
        let provider = connect(&config.chain.rpc_url, Some(signer))?;
        let genesis = rampart_reference_rollup::Genesis::load(&config.sequencer.genesis)?;
        Ok(Self {
            center: RampartAttestationCenter::new(deployment.rampart.attestation_center, provider),
            rollup_id: genesis.rollup_id,
            batcher,
        })
    }

    /// Checks the rollup's L1 record against the stored batches; returns how many L1 has.
    pub(crate) async fn reconcile(&self, core: &Core) -> Result<u64> {
        let rollup = read("AttestationCenter.rollup", self.center.rollup(self.rollup_id)).await?;
        if rollup.batcher != self.batcher {
            return Err(Error::Mismatch(format!(
                "rollup {} has batcher {}, this key is {}",
                self.rollup_id, rollup.batcher, self.batcher
            )));
        }
        let on_l1: u64 = rollup.nextBatchIndex.to();
        if on_l1 > core.sealed_batches() {
            return Err(Error::Mismatch(format!(
                "L1 has {on_l1} batches of rollup {} but the data directory only {}: \
                 refusing to sequence on top of batches whose data is lost",
                self.rollup_id,
                core.sealed_batches()
            )));
        }
        for index in 0..on_l1 {
            let stored = core.batch(index).map(commitment_word);
            let committed = read(
                "AttestationCenter.batchCommitment",
                self.center.batchCommitment(self.rollup_id, index),
            )
            .await?;
            if stored != Some(committed) {
                return Err(Error::Mismatch(format!(
                    "batch {index}: L1 commitment {committed} differs from the stored batch's"
                )));
            }
        }
        Ok(on_l1)
    }

    async fn committed_on_l1(&self) -> Result<u64> {
        let rollup = read("AttestationCenter.rollup", self.center.rollup(self.rollup_id)).await?;
        Ok(rollup.nextBatchIndex.to())
    }
}

/// Seals due batches and commits every sealed batch L1 has not seen, in order, until stopped.
pub(crate) async fn run_batcher(
    core: Arc<Mutex<Core>>,
    l1: L1,
    config: SequencerConfig,
    mut stop: watch::Receiver<bool>,
) {
    let interval = Duration::from_millis(config.batch_interval_ms);
    let tick = Duration::from_millis(config.poll_interval_ms.clamp(5, 50));
    loop {
        let sealed = core.lock().expect("core lock").seal_if_due(config.max_batch_txs, interval);
        match sealed {
            Ok(Some(batch)) => tracing::info!(
                target: "rampart::sequencer",
                batch = batch.index,
                transfers = batch.transfers.len(),
                "sealed batch"
            ),
            Ok(None) => {}
            Err(e) => tracing::error!(target: "rampart::sequencer", error = %e, "sealing failed"),
        }
        loop {
            let next = {
                let core = core.lock().expect("core lock");
                core.batch(core.committed).cloned()
            };
            let Some(batch) = next else { break };
            let call = l1.center.commitBatch(
                l1.rollup_id,
                batch.index,
                batch.index,
                commitment_word(&batch),
            );
            match send("commit batch", call).await {
                Ok(receipt) => {
                    tracing::info!(
                        target: "rampart::sequencer",
                        batch = batch.index,
                        l1_block = receipt.block_number.unwrap_or_default(),
                        "committed batch on L1"
                    );
                    core.lock().expect("core lock").committed = batch.index + 1;
                }
                Err(e) => {
                    tracing::warn!(target: "rampart::sequencer", batch = batch.index, error = %e, "commit failed; retrying");
                    // An earlier attempt may have landed after all.
                    if let Ok(on_l1) = l1.committed_on_l1().await {
                        let mut core = core.lock().expect("core lock");
                        core.committed = core.committed.max(on_l1.min(core.sealed_batches()));
                    }
                    break;
                }
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(tick) => {}
            _ = stop.wait_for(|s| *s) => return,
        }
    }
}
