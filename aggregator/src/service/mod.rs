//! The aggregator service (`rampart aggregator run`): HTTP intake, L1 follower, verification
//! pipeline, persistence and certificate submission, wired together.
//!
//! ```text
//!  operators ──POST /v1/attestations──▶ api ──▶ intake (batch verify, one DB commit) ──▶ store
//!                                        ▲                                 │ dirty batches
//!  L1 events ──▶ follower ──▶ chain state┘                                 ▼
//!                                       └──────────────────────────▶ submitter ──▶ L1 tx
//! ```

pub mod api;
pub mod chain;
pub mod follower;
pub mod intake;
pub mod metrics;
pub mod store;
pub mod submit;

use crate::config::Config;
use alloy::network::EthereumWallet;
use alloy::providers::Provider;
use rampart_chain::Deployment;
use rampart_chain::secrets;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;
use tokio::sync::{RwLock, mpsc, watch};

/// Why the service could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The configuration is unusable.
    #[error("configuration: {0}")]
    Config(String),
    /// An L1 call failed.
    #[error("{0}")]
    Rpc(String),
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database holds something this version cannot read.
    #[error("database holds unexpected data: {0}")]
    Corrupt(String),
    /// The deployment file or an L1 connection failed.
    #[error(transparent)]
    Chain(#[from] rampart_chain::Error),
    /// The submitter key could not be loaded.
    #[error(transparent)]
    Key(#[from] secrets::SecretError),
    /// Binding or serving HTTP failed.
    #[error("{action}: {source}")]
    Io {
        /// What was being done.
        action: String,
        /// The error.
        source: std::io::Error,
    },
    /// A task of the service died.
    #[error("aggregator task failed: {0}")]
    Task(String),
}

/// A running aggregator.
#[derive(Debug)]
pub struct Aggregator {
    /// Where the HTTP API listens.
    pub addr: SocketAddr,
    /// The submitter's account.
    pub submitter: alloy_primitives::Address,
    stop: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    server: tokio::task::JoinHandle<Result<(), ServiceError>>,
}

impl Aggregator {
    /// Stops accepting requests, lets queued attestations finish, gives the lease up.
    pub async fn shutdown(self) -> Result<(), ServiceError> {
        let _ = self.stop.send(true);
        let served = self.server.await.map_err(|e| ServiceError::Task(e.to_string()))?;
        for task in self.tasks {
            task.await.map_err(|e| ServiceError::Task(e.to_string()))?;
        }
        served
    }

    /// Waits until the HTTP server ends (only on an error).
    pub async fn join(self) -> Result<(), ServiceError> {
        self.server.await.map_err(|e| ServiceError::Task(e.to_string()))?
    }
}

/// Starts the service: loads the key and deployment, opens the database, syncs L1, binds HTTP.
pub async fn start(config: Config) -> Result<Aggregator, ServiceError> {
    let deployment = Deployment::load(&config.chain.deployment)?;
    let a = &config.aggregator;
    let mut warnings = Vec::new();
    let signer = match (&a.ecdsa_keystore, &a.ecdsa_password_file, &a.ecdsa_key_file) {
        (Some(keystore), Some(password), _) => {
            secrets::decrypt_keystore(keystore, password, &mut warnings)?
        }
        (_, _, Some(file)) => secrets::read_key_file(file, &mut warnings)?,
        _ => return Err(ServiceError::Config("no submitter key configured".into())),
    };
    let sender = signer.address();
    let submitter_key = signer.clone();
    let provider = rampart_chain::provider::connect(&config.chain.rpc_url, None)?;
    let chain_id = provider.get_chain_id().await.map_err(|e| {
        ServiceError::Rpc(format!("L1 eth_chainId at {}: {e}", config.chain.rpc_url))
    })?;
    if chain_id != deployment.chain_id {
        return Err(ServiceError::Config(format!(
            "{} is chain {chain_id} but the deployment file is for chain {}",
            config.chain.rpc_url, deployment.chain_id
        )));
    }
    let store = store::Store::open(&a.database).await?;
    let metrics = Arc::new(metrics::Metrics::new());
    let chain = Arc::new(RwLock::new(chain::ChainState::default()));
    let follower = Arc::new(follower::Follower::new(
        provider.clone(),
        deployment.rampart.operator_registry,
        deployment.rampart.attestation_center,
        deployment.start_block,
        config.chain.confirmations,
        chain.clone(),
        metrics.clone(),
    ));
    follower.sync().await?;
    let dirty = Arc::new(intake::Dirty::default());
    let leader = Arc::new(AtomicBool::new(false));
    let (stop, stop_rx) = watch::channel(false);
    let mut tasks = Vec::new();

    let domain =
        rampart_primitives::Domain::new(deployment.chain_id, deployment.rampart.attestation_center);
    let (queue, rx) = mpsc::channel(config.http.max_in_flight.max(1));
    tasks.push(tokio::spawn(
        intake::Intake::new(store.clone(), domain, metrics.clone(), dirty.clone()).run(rx),
    ));

    let poll = Duration::from_millis(config.chain.poll_interval_ms.max(10));
    let (f, d, mut s) = (follower.clone(), dirty.clone(), stop_rx.clone());
    tasks.push(tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(poll) => {}
                _ = s.wait_for(|s| *s) => break,
            }
            match f.sync().await {
                Ok(true) => d.mark_all(),
                Ok(false) => {}
                Err(e) => tracing::warn!(target: "rampart::aggregator", error = %e, "L1 sync failed; retrying"),
            }
        }
    }));

    let submitter = submit::Submitter::new(
        provider.clone(),
        EthereumWallet::from(signer),
        sender,
        deployment.rampart.attestation_center,
        deployment.chain_id,
        chain.clone(),
        store.clone(),
        metrics.clone(),
        dirty.clone(),
        leader.clone(),
        config.submission.clone(),
        Duration::from_millis(a.wait_window_ms),
        config.instance(),
    );
    let account_lock = submitter.account_lock.clone();
    let (slasher_leader, slasher_metrics) = (leader.clone(), metrics.clone());

    let api = api::Api {
        chain,
        follower,
        store,
        intake: queue,
        domain,
        metrics,
        limiter: Arc::new(api::RateLimiter::new(
            config.http.operator_rate_per_s,
            config.http.operator_burst,
        )),
        leader,
        last_sync: Arc::default(),
    };
    let listener = tokio::net::TcpListener::bind(a.listen).await.map_err(|source| {
        ServiceError::Io { action: format!("binding the HTTP API to {}", a.listen), source }
    })?;
    let addr = listener.local_addr().map_err(|source| ServiceError::Io {
        action: "reading the HTTP API address".into(),
        source,
    })?;
    if config.slasher.enabled {
        let own = SocketAddr::new(
            if addr.ip().is_unspecified() { [127, 0, 0, 1].into() } else { addr.ip() },
            addr.port(),
        );
        let mut aggregators = vec![format!("http://{own}")];
        aggregators.extend(config.slasher.aggregators.iter().cloned());
        let watcher = embedded_slasher(
            &config,
            deployment.clone(),
            aggregators,
            submitter_key,
            account_lock,
            slasher_leader,
        )
        .await?;
        let _ = slasher_metrics.slasher.set(watcher.metrics());
        tasks.push(tokio::spawn(watcher.run(stop_rx.clone())));
    }
    tasks.push(tokio::spawn(submitter.run(stop_rx.clone())));
    let app = api::router(api, &config.http).into_make_service_with_connect_info::<SocketAddr>();
    let mut s = stop_rx;
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = s.wait_for(|s| *s).await;
            })
            .await
            .map_err(|source| ServiceError::Io { action: "serving HTTP".into(), source })
    });
    tracing::info!(target: "rampart::aggregator", %addr, submitter = %sender,
        chain_id, "aggregator listening");
    Ok(Aggregator { addr, submitter: sender, stop, tasks, server })
}

/// The slashing watcher inside the aggregator: its own tables in the aggregator's database, this
/// aggregator's evidence (and the configured others'), sending only while this replica leads.
/// It pays with `[slasher]`'s key if one is set, else with the submitter key, sharing its nonce
/// lock.
async fn embedded_slasher(
    config: &Config,
    deployment: Deployment,
    aggregators: Vec<String>,
    submitter_key: alloy_signer_local::PrivateKeySigner,
    account_lock: Arc<tokio::sync::Mutex<()>>,
    leader: Arc<AtomicBool>,
) -> Result<rampart_slasher::Watcher, ServiceError> {
    let s = &config.slasher;
    let mut warnings = Vec::new();
    let own_key = rampart_slasher::service::load_signer(
        s.ecdsa_keystore.as_deref(),
        s.ecdsa_password_file.as_deref(),
        s.ecdsa_key_file.as_deref(),
        &mut warnings,
    )
    .map_err(slasher_error)?;
    for warning in warnings {
        tracing::warn!(target: "rampart::slasher", "{warning}");
    }
    let shared = own_key.as_ref().is_none_or(|k| k.address() == submitter_key.address());
    let store =
        rampart_slasher::Store::open(&config.aggregator.database).await.map_err(slasher_error)?;
    rampart_slasher::Watcher::new(rampart_slasher::Setup {
        rpc_url: config.chain.rpc_url.clone(),
        deployment,
        signer: own_key.unwrap_or(submitter_key),
        store,
        metrics: Arc::new(rampart_slasher::Metrics::new()),
        aggregators,
        assign_jobs: s.assign_jobs,
        poll: Duration::from_millis(config.chain.poll_interval_ms.max(100)),
        confirmations: config.chain.confirmations,
        max_fee_gwei: config.submission.max_fee_gwei,
        gate: Some(leader),
        account_lock: shared.then_some(account_lock),
    })
    .map_err(slasher_error)
}

fn slasher_error(e: rampart_slasher::Error) -> ServiceError {
    ServiceError::Config(format!("slasher: {e}"))
}

/// Runs until `shutdown` resolves (or the server fails), then stops cleanly.
pub async fn run(
    config: Config,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), ServiceError> {
    let mut aggregator = start(config).await?;
    tokio::pin!(shutdown);
    let served = tokio::select! {
        _ = &mut shutdown => None,
        served = &mut aggregator.server => Some(served),
    };
    match served {
        None => aggregator.shutdown().await,
        // The server ended by itself (an error): stop the other tasks and report it.
        Some(served) => {
            let _ = aggregator.stop.send(true);
            for task in aggregator.tasks {
                let _ = task.await;
            }
            served.map_err(|e| ServiceError::Task(e.to_string()))?
        }
    }
}

/// Maps a failed L1 call to [`ServiceError::Rpc`], naming the method.
pub(crate) fn rpc_error(
    method: &'static str,
) -> impl Fn(alloy::transports::TransportError) -> ServiceError {
    move |e| ServiceError::Rpc(format!("L1 {method}: {e}"))
}
