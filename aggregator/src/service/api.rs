//! The HTTP API (axum on tower): attestation intake, batch status, equivocation evidence,
//! health and Prometheus metrics.
//!
//! Every error is JSON `{"code": "...", "message": "..."}` with a stable `code`. Bad input is
//! always a 4xx — malformed JSON, wrong lengths, points off the curve or outside the subgroup,
//! the identity, unknown operators or rollups, signatures for another chain, contract or
//! checkpoint, oversized bodies — never a panic or a 5xx. A 5xx means the aggregator itself
//! could not do its job (database down): the operator retries.

use super::chain::ChainState;
use super::follower::Follower;
use super::intake::{Job, Outcome};
use super::metrics::Metrics;
use super::store::Store;
use crate::config::HttpConfig;
use alloy_primitives::{Address, U256};
use axum::body::Bytes;
use axum::error_handling::HandleErrorLayer;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{BoxError, Json, Router};
use rampart_primitives::{Domain, SignedAttestation};
use rampart_telemetry::{TARGET as TRACE, context, spans};
use serde_json::json;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{RwLock, mpsc, oneshot};
use tracing::Instrument as _;

/// How far past the last committed batch an attestation may be (it may arrive before the
/// aggregator sees the commit; a bound keeps strangers from filling the database).
pub const MAX_BATCHES_AHEAD: u64 = 64;

/// An API error: status, stable code, message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code.
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "code": self.code, "message": self.message }))).into_response()
    }
}

/// Shared state of the handlers.
#[derive(Debug, Clone)]
pub struct Api {
    /// L1 state.
    pub chain: Arc<RwLock<ChainState>>,
    /// For on-demand syncs when an attestation names something not seen yet.
    pub follower: Arc<Follower>,
    /// The database.
    pub store: Store,
    /// The verification queue.
    pub intake: mpsc::Sender<Job>,
    /// The signing domain (chain id, attestation center).
    pub domain: Domain,
    /// Metrics.
    pub metrics: Arc<Metrics>,
    /// Per-(operator, client IP) token buckets.
    pub limiter: Arc<RateLimiter>,
    /// Whether this replica holds the submitter lease.
    pub leader: Arc<std::sync::atomic::AtomicBool>,
    /// Last on-demand sync.
    pub last_sync: Arc<Mutex<Option<Instant>>>,
}

/// Token buckets keyed by (operator, client IP): a sender cannot drain an honest operator's
/// bucket by claiming its address from elsewhere.
#[derive(Debug)]
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<(Address, IpAddr), (f64, Instant)>>,
}

impl RateLimiter {
    /// `rate` tokens per second, up to `burst`.
    pub fn new(rate: u32, burst: u32) -> Self {
        Self { rate: f64::from(rate), burst: f64::from(burst), buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes a token; `false` if the bucket is empty.
    pub fn allow(&self, operator: Address, ip: IpAddr) -> bool {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().expect("limiter lock");
        if buckets.len() > 100_000 {
            buckets.retain(|_, (_, at)| now.duration_since(*at) < Duration::from_secs(60));
        }
        let (tokens, at) = buckets.entry((operator, ip)).or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.rate).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The router with every route and layer.
pub fn router(api: Api, http: &HttpConfig) -> Router {
    let timeout = Duration::from_millis(http.request_timeout_ms);
    let layers = tower::ServiceBuilder::new()
        .layer(HandleErrorLayer::new(handle_layer_error))
        .load_shed()
        .concurrency_limit(http.max_in_flight)
        .timeout(timeout);
    Router::new()
        .route("/v1/attestations", post(post_attestation))
        .route("/v1/rollups/{rollup_id}/batches/{batch_index}", get(get_batch))
        .route("/v1/evidence", get(get_evidence))
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(http.max_body_bytes))
        .layer(layers)
        .with_state(api)
}

async fn handle_layer_error(e: BoxError) -> ApiError {
    if e.is::<tower::timeout::error::Elapsed>() {
        ApiError::new(StatusCode::REQUEST_TIMEOUT, "timeout", "the request took too long")
    } else if e.is::<tower::load_shed::error::Overloaded>() {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "overloaded", "too many requests in flight")
    } else {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
    }
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "method not allowed here")
}

/// `POST /v1/attestations`.
async fn post_attestation(
    State(api): State<Api>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let started = Instant::now();
    let result = accept(&api, peer.ip(), &headers, body, started).await;
    if let Err(e) = &result
        && e.status.is_client_error()
        && e.code != "duplicate"
    {
        api.metrics.rejected.increment(1);
    }
    result
}

async fn accept(
    api: &Api,
    ip: IpAddr,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    started: Instant,
) -> Result<Response, ApiError> {
    if let Some(ct) = headers.get(header::CONTENT_TYPE)
        && !ct.to_str().unwrap_or("").to_ascii_lowercase().starts_with("application/json")
    {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the attestation as application/json",
        ));
    }
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", e.body_text())
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "unreadable_body", e.body_text())
        }
    })?;
    let a: SignedAttestation = serde_json::from_slice(&body).map_err(|e| {
        let code =
            if e.is_syntax() || e.is_eof() { "malformed_json" } else { "invalid_attestation" };
        ApiError::new(StatusCode::BAD_REQUEST, code, e.to_string())
    })?;
    let (rollup, batch) = (a.checkpoint.rollup_id.0, a.checkpoint.batch_index);
    let span = tracing::info_span!(target: TRACE, spans::AGGREGATOR_RECEIVE,
        rollup, batch, operator = %a.operator, http.status = tracing::field::Empty);
    // A child of the operator's delivery when it says so; in the batch's trace regardless.
    if !context::continue_from(&span, headers) {
        context::follow_batch(&span, &api.domain, rollup, batch);
    }
    let result = receive(api, ip, a, started).instrument(span.clone()).await;
    let status = match &result {
        Ok(r) => r.status(),
        Err(e) => e.status,
    };
    span.record("http.status", status.as_u16());
    result
}

/// A parsed attestation: checked against L1, rate-limited, verified and stored.
async fn receive(
    api: &Api,
    ip: IpAddr,
    a: SignedAttestation,
    started: Instant,
) -> Result<Response, ApiError> {
    let pubkey = match check_against_chain(api, &a).await? {
        Ok(pubkey) => pubkey,
        Err(done) => return Ok(done.into_response()),
    };
    if !api.limiter.allow(a.operator, ip) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("too many attestations from operator {}; slow down", a.operator),
        ));
    }
    let digest = a.checkpoint.digest(&api.domain);
    let (reply, outcome) = oneshot::channel();
    let job = Job { attestation: a, digest, pubkey, started, reply };
    api.intake.send(job).await.map_err(|_| stopping())?;
    let outcome = outcome.await.map_err(|_| stopping())?;
    let c = &a.checkpoint;
    match outcome {
        Outcome::Accepted => Ok((
            StatusCode::ACCEPTED,
            Json(json!({
                "status": "accepted",
                "rollupId": c.rollup_id.0,
                "batchIndex": c.batch_index,
                "digest": digest,
            })),
        )
            .into_response()),
        Outcome::Duplicate => Err(ApiError::new(
            StatusCode::CONFLICT,
            "duplicate",
            format!(
                "operator {} already attested this checkpoint of rollup {} batch {}",
                a.operator, c.rollup_id.0, c.batch_index
            ),
        )),
        Outcome::Equivocation { first } => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "equivocation",
            format!(
                "operator {} already signed a different checkpoint for rollup {} batch {} \
                 (state root {}); both are stored as equivocation evidence",
                a.operator, c.rollup_id.0, c.batch_index, first.checkpoint.state_root
            ),
        )),
        Outcome::InvalidSignature => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_signature",
            format!(
                "the signature does not verify under operator {}'s registered key for this \
                 checkpoint on chain {} with attestation center {}",
                a.operator, api.domain.chain_id, api.domain.verifying_contract
            ),
        )),
        Outcome::Unavailable(why) => {
            Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", why))
        }
    }
}

fn stopping() -> ApiError {
    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "stopping", "the aggregator is shutting down")
}

/// What L1 (as followed) says about an attestation.
enum Lookup {
    /// Known operator and rollup, a batch that may be attested: verify with this key.
    Ready(rampart_crypto::PublicKey),
    /// Nothing to do (already certified): answer this, with a 2xx status.
    Done(ApiError),
    /// Refused for good.
    Refused(ApiError),
    /// Refused because the rollup or the operator's key is not known (yet).
    Unknown(ApiError),
}

/// Checks the attestation against what L1 says, with one on-demand sync when the rollup or the
/// operator's key is not known yet. `Ok(Err(answer))` is a final non-error answer.
async fn check_against_chain(
    api: &Api,
    a: &SignedAttestation,
) -> Result<Result<rampart_crypto::PublicKey, ApiError>, ApiError> {
    let mut lookup = look_up(&*api.chain.read().await, a);
    if matches!(lookup, Lookup::Unknown(_)) && may_sync(api) {
        let _ = api.follower.sync().await;
        lookup = look_up(&*api.chain.read().await, a);
    }
    match lookup {
        Lookup::Ready(pubkey) => Ok(Ok(pubkey)),
        Lookup::Done(answer) => Ok(Err(answer)),
        Lookup::Refused(e) | Lookup::Unknown(e) => Err(e),
    }
}

fn look_up(chain: &ChainState, a: &SignedAttestation) -> Lookup {
    let c = &a.checkpoint;
    let (rollup, batch) = (c.rollup_id.0, c.batch_index);
    if !chain.rollups.contains_key(&rollup) {
        return Lookup::Unknown(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_rollup",
            format!("rollup {rollup} is not registered in the attestation center"),
        ));
    }
    let Some(pubkey) = chain.registry.key(&a.operator) else {
        return Lookup::Unknown(ApiError::new(
            StatusCode::FORBIDDEN,
            "unknown_operator",
            format!("{} has no BLS key registered with Rampart", a.operator),
        ));
    };
    match chain.batches.get(&(rollup, batch)) {
        Some(b) if b.l2_block_number != c.l2_block_number => Lookup::Refused(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "checkpoint_mismatch",
            format!(
                "batch {batch} of rollup {rollup} ends at L2 block {}, not {}",
                b.l2_block_number, c.l2_block_number
            ),
        )),
        Some(b) if b.certified.is_some() => Lookup::Done(ApiError::new(
            StatusCode::OK,
            "already_certified",
            "this batch is already certified on L1; nothing to do",
        )),
        Some(_) => Lookup::Ready(pubkey),
        None => {
            let next = chain
                .batches
                .range((rollup, 0)..=(rollup, u64::MAX))
                .next_back()
                .map_or(0, |((_, i), _)| i + 1);
            if batch >= next.saturating_add(MAX_BATCHES_AHEAD) {
                Lookup::Refused(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "batch_too_far_ahead",
                    format!(
                        "batch {batch} of rollup {rollup} is not committed and too far past the \
                         last committed one ({next} is next)"
                    ),
                ))
            } else {
                Lookup::Ready(pubkey)
            }
        }
    }
}

/// At most one on-demand sync per 250 ms, whatever strangers send.
fn may_sync(api: &Api) -> bool {
    let mut last = api.last_sync.lock().expect("sync lock");
    let now = Instant::now();
    if last.is_some_and(|t| now.duration_since(t) < Duration::from_millis(250)) {
        return false;
    }
    *last = Some(now);
    true
}

fn parse_u64(what: &str, text: &str) -> Result<u64, ApiError> {
    text.parse().map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_path",
            format!("{what} must be a u64, not {text:?}"),
        )
    })
}

/// `GET /v1/rollups/{rollupId}/batches/{batchIndex}`.
async fn get_batch(
    State(api): State<Api>,
    Path((rollup, batch)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let rollup = parse_u64("rollupId", &rollup)?;
    let batch = parse_u64("batchIndex", &batch)?;
    let attestations = api.store.attestations(rollup, batch).await.map_err(unavailable)?;
    let submissions = api.store.submissions(rollup, batch).await.map_err(unavailable)?;
    let chain = api.chain.read().await;
    let Some(r) = chain.rollups.get(&rollup).copied() else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_rollup",
            format!("no rollup {rollup}"),
        ));
    };
    let committed = chain.batches.get(&(rollup, batch)).copied();
    if committed.is_none() && attestations.is_empty() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_batch",
            format!("batch {batch} of rollup {rollup} is neither committed nor attested"),
        ));
    }
    let view = chain.registry.view_at(r.operator_set_id, chain.synced);
    let mut by_digest: Vec<(alloy_primitives::B256, Vec<&SignedAttestation>)> = Vec::new();
    for s in &attestations {
        match by_digest.iter_mut().find(|(d, _)| *d == s.digest) {
            Some((_, v)) => v.push(&s.attestation),
            None => by_digest.push((s.digest, vec![&s.attestation])),
        }
    }
    let checkpoints: Vec<_> = by_digest
        .iter()
        .map(|(digest, atts)| {
            let stake: U256 =
                atts.iter().filter_map(|a| view.operator(&a.operator)).map(|o| o.stake).sum();
            let reached = view.reaches(stake, r.threshold_bps);
            json!({
                "digest": digest,
                "checkpoint": atts[0].checkpoint,
                "signers": atts.iter().map(|a| a.operator).collect::<Vec<_>>(),
                "signedStake": stake.to_string(),
                "totalStake": view.total_stake.to_string(),
                "thresholdReached": reached,
            })
        })
        .collect();
    let certificate = committed.and_then(|b| b.certified).map(|c| {
        json!({
            "stateRoot": c.checkpoint.state_root,
            "referenceBlock": c.reference_block,
            "signedStake": c.signed_stake.to_string(),
            "totalStake": c.total_stake.to_string(),
            "nonSigners": c.non_signers,
            "submitter": c.submitter,
            "txHash": c.tx_hash,
            "block": c.block,
        })
    });
    let status = match (&committed, &certificate) {
        (None, _) => "not_committed",
        (Some(_), Some(_)) => "certified",
        (Some(_), None) if submissions.iter().any(|s| s.status.is_open()) => "submitting",
        (Some(_), None) => "collecting",
    };
    let submissions: Vec<_> = submissions
        .iter()
        .map(|s| {
            json!({
                "attempt": s.attempt,
                "txHash": s.tx_hash,
                "nonce": s.nonce,
                "status": s.status.to_string(),
                "referenceBlock": s.reference_block,
                "signers": s.signers,
                "nonSigners": s.non_signers,
                "maxFeePerGas": s.max_fee.to_string(),
                "instance": s.instance,
            })
        })
        .collect();
    Ok(Json(json!({
        "rollupId": rollup,
        "batchIndex": batch,
        "status": status,
        "thresholdBps": r.threshold_bps,
        "committed": committed.map(|b| json!({
            "l2BlockNumber": b.l2_block_number,
            "commitment": b.commitment,
            "l1Block": b.commit_block,
        })),
        "checkpoints": checkpoints,
        "certificate": certificate,
        "submissions": submissions,
    }))
    .into_response())
}

fn unavailable(e: super::ServiceError) -> ApiError {
    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", e.to_string())
}

/// `?after=&limit=` of `GET /v1/evidence`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct EvidenceQuery {
    #[serde(default)]
    after: i64,
    #[serde(default = "default_limit")]
    limit: i64,
}

fn default_limit() -> i64 {
    100
}

/// `GET /v1/evidence`: equivocation evidence for the slasher, oldest first.
async fn get_evidence(
    State(api): State<Api>,
    query: Result<Query<EvidenceQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", e.body_text()))?;
    if !(1..=1000).contains(&q.limit) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            "limit must be 1..=1000",
        ));
    }
    let evidence = api.store.evidence(q.after, q.limit).await.map_err(unavailable)?;
    Ok(Json(json!({ "evidence": evidence })).into_response())
}

/// `GET /health`: 200 when the database answers and L1 is synced, else 503.
async fn health(State(api): State<Api>) -> Response {
    let db = api.store.ping().await;
    let synced = api.chain.read().await.synced;
    let leader = api.leader.load(std::sync::atomic::Ordering::Relaxed);
    let ok = db.is_ok() && synced > 0;
    let status = if ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = json!({
        "status": if ok { "ok" } else { "unavailable" },
        "database": api.store.backend(),
        "databaseError": db.err().map(|e| e.to_string()),
        "l1SyncedBlock": synced,
        "leader": leader,
    });
    (status, Json(body)).into_response()
}

/// `GET /metrics`.
async fn metrics(State(api): State<Api>) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], api.metrics.render()).into_response()
}
