//! The reference rollup's sequencer (`rampart rollup sequencer`).
//!
//! - **Intake** ([`api`]): `POST /v1/transactions` takes a signed transfer, checks its
//!   signature, nonce and balance against the pending state (every transfer accepted so far, in
//!   order) and queues it; bad input is a 4xx with a JSON message.
//! - **Batching** ([`Sequencer`]): every `max_batch_txs` transfers or `batch_interval` after
//!   the first pending one, the queue is sealed into the next batch, which is written to disk
//!   ([`store`]) and then committed on L1 (`commitBatch` from the rollup's batcher key). On
//!   restart, stored batches L1 has not seen yet are committed.
//! - **Batch data**: `GET /v1/batches/{index}` serves each batch so anyone can re-derive the
//!   state; operators check it against the L1 commitment and never trust a claimed root.
//! - **Load** ([`generator`]): a transaction generator for the devnet and load tests.

pub mod api;
mod chain;
pub mod client;
pub mod config;
mod error;
pub mod generator;
pub mod store;

pub use config::Config;
pub use error::{Error, Result};

use alloy::primitives::B256;
use rampart_reference_rollup::field::to_b256;
use rampart_reference_rollup::{Batch, Genesis, SignedTransfer, State, TxError};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use store::BatchStore;
use tokio::sync::watch;

/// Why a transfer was not queued.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejected {
    /// Invalid against the pending state.
    #[error(transparent)]
    Invalid(#[from] TxError),
    /// The queue is full; retry later.
    #[error("the pending queue is full ({0} transfers); retry later")]
    Full(usize),
}

/// The sequencer's state: sealed batches, the pending queue and the state after each.
#[derive(Debug)]
pub struct Core {
    genesis: Genesis,
    store: BatchStore,
    batches: Vec<Batch>,
    sealed: State,
    pending_state: State,
    pending: Vec<SignedTransfer>,
    first_pending: Option<Instant>,
    committed: u64,
    max_pending: usize,
}

impl Core {
    /// Replays the stored batches on the genesis.
    pub fn open(genesis: Genesis, store: BatchStore, max_pending: usize) -> Result<Self> {
        genesis.validate()?;
        let mut sealed = State::new(&genesis);
        let batches = store.load_all()?;
        for batch in &batches {
            sealed.apply_batch(batch)?;
        }
        Ok(Self {
            pending_state: sealed.clone(),
            sealed,
            genesis,
            store,
            batches,
            pending: Vec::new(),
            first_pending: None,
            committed: 0,
            max_pending,
        })
    }

    /// Queues a transfer after checking it against the pending state.
    pub fn submit(&mut self, tx: SignedTransfer) -> Result<usize, Rejected> {
        if self.pending.len() >= self.max_pending {
            return Err(Rejected::Full(self.pending.len()));
        }
        self.pending_state.apply(&tx)?;
        self.pending.push(tx);
        self.first_pending.get_or_insert_with(Instant::now);
        Ok(self.pending.len())
    }

    /// Seals up to `max` pending transfers into the next batch if `max` are waiting or the
    /// oldest has waited `interval`; the batch is on disk when this returns it.
    pub fn seal_if_due(&mut self, max: usize, interval: Duration) -> Result<Option<Batch>> {
        let due = self.pending.len() >= max
            || self.first_pending.is_some_and(|t| t.elapsed() >= interval);
        if !due || self.pending.is_empty() {
            return Ok(None);
        }
        let take = self.pending.len().min(max);
        let batch = Batch {
            rollup_id: self.genesis.rollup_id,
            index: self.batches.len() as u64,
            transfers: self.pending[..take].to_vec(),
        };
        let mut next = self.sealed.clone();
        next.apply_batch(&batch)?;
        self.store.put(&batch)?;
        self.sealed = next;
        self.pending.drain(..take);
        self.first_pending = (!self.pending.is_empty()).then(Instant::now);
        self.batches.push(batch.clone());
        Ok(Some(batch))
    }

    /// A sealed batch.
    pub fn batch(&self, index: u64) -> Option<&Batch> {
        self.batches.get(usize::try_from(index).ok()?)
    }

    /// Sealed batches.
    pub fn sealed_batches(&self) -> u64 {
        self.batches.len() as u64
    }

    /// Batches known to be committed on L1.
    pub fn committed_batches(&self) -> u64 {
        self.committed
    }

    /// The state with every pending transfer applied (what new transfers are checked against).
    pub fn pending_state(&self) -> &State {
        &self.pending_state
    }

    /// The state after the sealed batches.
    pub fn sealed_state(&self) -> &State {
        &self.sealed
    }

    /// Pending transfers.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// The genesis.
    pub fn genesis(&self) -> &Genesis {
        &self.genesis
    }
}

/// A batch's L1 commitment word.
pub fn commitment_word(batch: &Batch) -> B256 {
    to_b256(&batch.commitment())
}

/// A running sequencer.
#[derive(Debug)]
pub struct Sequencer {
    /// Where the API listens.
    pub addr: SocketAddr,
    /// The shared core.
    pub core: Arc<Mutex<Core>>,
    stop: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

/// Starts the sequencer: replays the stored batches, checks them against L1, serves the API
/// and runs the batcher.
pub async fn start(config: Config) -> Result<Sequencer> {
    let genesis = Genesis::load(&config.sequencer.genesis)?;
    let store = BatchStore::open(&config.sequencer.data_dir.join("batches"))?;
    let core = Core::open(genesis, store, config.sequencer.max_pending)?;
    let l1 = chain::L1::connect(&config).await?;
    let committed = l1.reconcile(&core).await?;
    let core = Arc::new(Mutex::new(core));
    core.lock().expect("core lock").committed = committed;
    let listener = tokio::net::TcpListener::bind(config.sequencer.listen).await.map_err(|e| {
        Error::Listen { addr: config.sequencer.listen.to_string(), message: e.to_string() }
    })?;
    let addr = listener.local_addr().map_err(|e| Error::Listen {
        addr: config.sequencer.listen.to_string(),
        message: e.to_string(),
    })?;
    let (stop, stop_rx) = watch::channel(false);
    let router = api::router(core.clone(), config.sequencer.max_body_bytes);
    let mut server_stop = stop_rx.clone();
    let server = tokio::spawn(async move {
        let shutdown = async move {
            let _ = server_stop.wait_for(|s| *s).await;
        };
        if let Err(e) = axum::serve(listener, router).with_graceful_shutdown(shutdown).await {
            tracing::error!(target: "rampart::sequencer", error = %e, "API server failed");
        }
    });
    let batcher =
        tokio::spawn(chain::run_batcher(core.clone(), l1, config.sequencer.clone(), stop_rx));
    tracing::info!(target: "rampart::sequencer", %addr, committed, "sequencer started");
    Ok(Sequencer { addr, core, stop, tasks: vec![server, batcher] })
}

impl Sequencer {
    /// Stops the batcher and the API.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_reference_rollup::Transfer;

    fn core(dir: &std::path::Path) -> Core {
        let genesis = Genesis::devnet(3, 4, 4, 100, "seq");
        Core::open(genesis, BatchStore::open(dir).unwrap(), 3).unwrap()
    }

    fn tx(from: u32, to: u32, amount: u64, nonce: u64) -> SignedTransfer {
        Transfer { from, to, amount, nonce }.sign(&Genesis::devnet_key("seq", from), 3)
    }

    #[test]
    fn queue_seal_and_replay_after_restart() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = core(dir.path());
        assert_eq!(c.submit(tx(0, 1, 10, 0)), Ok(1));
        // The second transfer of the same sender needs the next nonce: checked against pending.
        assert_eq!(
            c.submit(tx(0, 1, 10, 0)),
            Err(Rejected::Invalid(TxError::WrongNonce { account: 0, expected: 1, got: 0 }))
        );
        assert_eq!(c.submit(tx(0, 1, 10, 1)), Ok(2));
        assert!(c.seal_if_due(2, Duration::from_secs(60)).unwrap().is_some());
        assert_eq!(c.submit(tx(1, 2, 5, 0)), Ok(1));
        assert!(c.seal_if_due(2, Duration::from_secs(60)).unwrap().is_none(), "not due yet");
        let batch = c.seal_if_due(2, Duration::ZERO).unwrap().unwrap();
        assert_eq!((batch.index, batch.transfers.len()), (1, 1));
        // Full queue.
        for n in 0..3 {
            c.submit(tx(2, 3, 1, n)).unwrap();
        }
        assert_eq!(c.submit(tx(3, 0, 1, 0)), Err(Rejected::Full(3)));
        let root = c.sealed_state().root();
        let reopened = core(dir.path());
        assert_eq!((reopened.sealed_batches(), reopened.sealed_state().root()), (2, root));
        assert_eq!(reopened.batch(1), Some(&batch));
    }
}
