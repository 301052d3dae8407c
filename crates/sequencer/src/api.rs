//! The sequencer's HTTP API. Errors are JSON `{"code", "message"}`; bad input is a 4xx.

use crate::{Core, Rejected, commitment_word};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use rampart_reference_rollup::SignedTransfer;
use rampart_reference_rollup::field::to_b256;
use serde_json::json;
use std::sync::{Arc, Mutex};

type Shared = Arc<Mutex<Core>>;

fn error(status: StatusCode, code: &str, message: impl ToString) -> Response {
    (status, Json(json!({ "code": code, "message": message.to_string() }))).into_response()
}

/// Every route, with the body limit.
pub fn router(core: Shared, max_body_bytes: usize) -> Router {
    Router::new()
        .route("/v1/transactions", post(post_transaction))
        .route("/v1/batches/{index}", get(get_batch))
        .route("/v1/accounts/{index}", get(get_account))
        .route("/v1/status", get(status))
        .route("/v1/genesis", get(genesis))
        .route("/health", get(|| async { "ok" }))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "not_found", "no such route") })
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .with_state(core)
}

/// `POST /v1/transactions`: 202 when queued; 400 malformed, 413 too large, 422 invalid against
/// the pending state (bad signature, nonce, balance, unknown account), 503 queue full.
async fn post_transaction(
    State(core): State<Shared>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(e) => return error(e.status(), "body", e.body_text()),
    };
    let tx: SignedTransfer = match serde_json::from_slice(&body) {
        Ok(tx) => tx,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                "malformed",
                format!("not a signed transfer: {e}"),
            );
        }
    };
    let mut core = core.lock().expect("core lock");
    match core.submit(tx) {
        Ok(pending) => (
            StatusCode::ACCEPTED,
            Json(json!({ "pending": pending, "next_batch": core.sealed_batches() })),
        )
            .into_response(),
        Err(Rejected::Invalid(e)) => {
            error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_transaction", e)
        }
        Err(e @ Rejected::Full(_)) => error(StatusCode::SERVICE_UNAVAILABLE, "queue_full", e),
    }
}

/// `GET /v1/batches/{index}`: the batch, its commitment, and whether L1 has it.
async fn get_batch(State(core): State<Shared>, Path(index): Path<String>) -> Response {
    let Ok(index) = index.parse::<u64>() else {
        return error(
            StatusCode::BAD_REQUEST,
            "malformed",
            "batch index must be an unsigned integer",
        );
    };
    let core = core.lock().expect("core lock");
    match core.batch(index) {
        Some(batch) => Json(json!({
            "batch": batch,
            "commitment": commitment_word(batch),
            "committed_on_l1": index < core.committed_batches(),
        }))
        .into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            "unknown_batch",
            format!("no batch {index} (sealed: {})", core.sealed_batches()),
        ),
    }
}

/// `GET /v1/accounts/{index}`: balance and next nonce including pending transfers.
async fn get_account(State(core): State<Shared>, Path(index): Path<String>) -> Response {
    let Ok(index) = index.parse::<u32>() else {
        return error(StatusCode::BAD_REQUEST, "malformed", "account index must be a u32");
    };
    let core = core.lock().expect("core lock");
    match core.pending_state().account(index) {
        Some(a) => {
            Json(json!({ "balance": a.balance, "nonce": a.nonce, "public_key": a.public_key }))
                .into_response()
        }
        None => error(StatusCode::NOT_FOUND, "unknown_account", format!("no account {index}")),
    }
}

/// `GET /v1/status`.
async fn status(State(core): State<Shared>) -> Response {
    let core = core.lock().expect("core lock");
    Json(json!({
        "rollup_id": core.genesis().rollup_id,
        "genesis_root": to_b256(&core.genesis().root()),
        "sealed_batches": core.sealed_batches(),
        "committed_batches": core.committed_batches(),
        "pending": core.pending(),
        "sealed_root": to_b256(&core.sealed_state().root()),
    }))
    .into_response()
}

/// `GET /v1/genesis`.
async fn genesis(State(core): State<Shared>) -> Response {
    Json(core.lock().expect("core lock").genesis().clone()).into_response()
}
