//! `rampart slasher run`: the watcher on its own, with `GET /health` and `GET /metrics`.

use crate::watcher::{Progress, Setup, Watcher};
use crate::{Config, Error, Metrics, Result, Store};
use alloy::providers::Provider;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use rampart_chain::{Deployment, secrets};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::watch;

/// Loads the ECDSA key a configuration names (keystore + password file, or key file); `None`
/// when it names none. Warnings (a key file others can read) go to `warnings`.
pub fn load_signer(
    keystore: Option<&Path>,
    password_file: Option<&Path>,
    key_file: Option<&Path>,
    warnings: &mut Vec<String>,
) -> Result<Option<alloy_signer_local::PrivateKeySigner>> {
    Ok(match (keystore, password_file, key_file) {
        (Some(keystore), Some(password), _) => {
            Some(secrets::decrypt_keystore(keystore, password, warnings)?)
        }
        (_, _, Some(file)) => Some(secrets::read_key_file(file, warnings)?),
        _ => None,
    })
}

/// A running standalone slasher.
#[derive(Debug)]
pub struct Running {
    /// Where `/health` and `/metrics` listen.
    pub addr: SocketAddr,
    /// The account paying for slashing transactions.
    pub sender: alloy_primitives::Address,
    stop: watch::Sender<bool>,
    watcher: tokio::task::JoinHandle<()>,
    server: tokio::task::JoinHandle<Result<()>>,
}

impl Running {
    /// Stops after the current round and waits.
    pub async fn shutdown(self) -> Result<()> {
        let _ = self.stop.send(true);
        let _ = self.watcher.await;
        self.server.await.map_err(|e| Error::Config(format!("HTTP task: {e}")))?
    }
}

#[derive(Clone)]
struct Api {
    store: Store,
    metrics: Arc<Metrics>,
    progress: Arc<Progress>,
    stale_after_ms: i64,
}

/// Starts the watcher and the HTTP endpoints.
pub async fn start(config: Config) -> Result<Running> {
    let deployment = Deployment::load(&config.chain.deployment)?;
    let s = &config.slasher;
    let mut warnings = Vec::new();
    let signer = load_signer(
        s.ecdsa_keystore.as_deref(),
        s.ecdsa_password_file.as_deref(),
        s.ecdsa_key_file.as_deref(),
        &mut warnings,
    )?
    .ok_or_else(|| Error::Config("no key pays for slashing transactions".into()))?;
    for warning in warnings {
        tracing::warn!(target: "rampart::slasher", "{warning}");
    }
    let provider = rampart_chain::provider::connect(&config.chain.rpc_url, None)?;
    let chain_id = provider
        .get_chain_id()
        .await
        .map_err(|e| Error::Rpc(format!("L1 eth_chainId at {}: {e}", config.chain.rpc_url)))?;
    if chain_id != deployment.chain_id {
        return Err(Error::Config(format!(
            "{} is chain {chain_id} but the deployment file is for chain {}",
            config.chain.rpc_url, deployment.chain_id
        )));
    }
    let store = Store::open(&s.database).await?;
    let metrics = Arc::new(Metrics::new());
    let poll = Duration::from_millis(config.chain.poll_interval_ms.max(10));
    let watcher = Watcher::new(Setup {
        rpc_url: config.chain.rpc_url.clone(),
        deployment,
        signer,
        store: store.clone(),
        metrics: metrics.clone(),
        aggregators: s.aggregators.clone(),
        assign_jobs: s.assign_jobs,
        poll,
        confirmations: config.chain.confirmations,
        max_fee_gwei: s.max_fee_gwei,
        gate: None,
        account_lock: None,
    })?;
    let sender = watcher.sender();
    let api = Api {
        store,
        metrics,
        progress: watcher.progress(),
        // Unhealthy once no round completed for this long (rounds wait for receipts, ≤ 2 min).
        stale_after_ms: (poll.as_millis() as i64 * 10).max(180_000),
    };
    let listener = tokio::net::TcpListener::bind(s.listen)
        .await
        .map_err(|source| Error::Io { action: format!("binding {}", s.listen), source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| Error::Io { action: "reading the listen address".into(), source })?;
    let (stop, stop_rx) = watch::channel(false);
    let watcher = tokio::spawn(watcher.run(stop_rx.clone()));
    let app = Router::new()
        .route("/health", get(health))
        .route("/metrics", get(metrics_text))
        .with_state(api);
    let mut s = stop_rx;
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = s.wait_for(|s| *s).await;
            })
            .await
            .map_err(|source| Error::Io { action: "serving HTTP".into(), source })
    });
    tracing::info!(target: "rampart::slasher", %addr, %sender, chain_id, "slasher listening");
    Ok(Running { addr, sender, stop, watcher, server })
}

/// Runs until `shutdown` resolves, then stops cleanly.
pub async fn run(config: Config, shutdown: impl std::future::Future<Output = ()>) -> Result<()> {
    let running = start(config).await?;
    shutdown.await;
    running.shutdown().await
}

/// `GET /health`: 200 while rounds complete and the database answers, else 503.
async fn health(State(api): State<Api>) -> Response {
    let db = api.store.ping().await;
    let last = api.progress.last_round_ms.load(Ordering::Relaxed);
    let fresh = last > 0 && rampart_storage::now_ms() - last < api.stale_after_ms;
    let ok = db.is_ok() && fresh;
    let body = serde_json::json!({
        "status": if ok { "ok" } else { "unavailable" },
        "database": api.store.backend(),
        "databaseError": db.err().map(|e| e.to_string()),
        "l1SyncedBlock": api.progress.l1_synced.load(Ordering::Relaxed),
        "lastRoundMs": last,
        "lastError": api.progress.last_error.lock().expect("not poisoned").clone(),
    });
    let status = if ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(body)).into_response()
}

/// `GET /metrics`.
async fn metrics_text(State(api): State<Api>) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], api.metrics.render()).into_response()
}
