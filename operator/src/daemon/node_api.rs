//! The EigenLayer AVS node API and Prometheus metrics, on their own port.
//!
//! - `GET /eigen/node` — node name, spec and software version;
//! - `GET /eigen/node/health` — 200 healthy, 206 partially healthy, 503 unhealthy;
//! - `GET /eigen/node/services` — every dependency and its status;
//! - `GET /eigen/node/services/{id}/health` — 200 up, 503 down, 404 unknown;
//! - `GET /metrics` — Prometheus text.

use super::health::{Health, Status};
use super::metrics::Metrics;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use std::sync::Arc;

/// What the handlers read.
#[derive(Debug, Clone)]
pub struct ApiState {
    /// Service health.
    pub health: Arc<Health>,
    /// Metrics.
    pub metrics: Arc<Metrics>,
}

/// The router (testable with `tower::ServiceExt::oneshot`).
pub fn app(state: ApiState) -> Router {
    Router::new()
        .route("/eigen/node", get(node))
        .route("/eigen/node/health", get(health))
        .route("/eigen/node/services", get(services))
        .route("/eigen/node/services/{id}/health", get(service_health))
        .route("/metrics", get(metrics))
        .with_state(state)
}

async fn node() -> Json<serde_json::Value> {
    Json(json!({
        "node_name": "rampart-operator",
        "spec_version": "v0.0.1",
        "node_version": env!("CARGO_PKG_VERSION"),
    }))
}

async fn health(State(state): State<ApiState>) -> StatusCode {
    StatusCode::from_u16(state.health.http_status()).unwrap_or(StatusCode::SERVICE_UNAVAILABLE)
}

async fn services(State(state): State<ApiState>) -> Json<serde_json::Value> {
    Json(json!({ "services": state.health.services() }))
}

async fn service_health(State(state): State<ApiState>, Path(id): Path<String>) -> Response {
    match state.health.service(&id) {
        Some(s) if s.status == Status::Up => StatusCode::OK.into_response(),
        Some(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        None => (StatusCode::NOT_FOUND, Json(json!({ "error": format!("no service {id:?}") })))
            .into_response(),
    }
}

async fn metrics(State(state): State<ApiState>) -> Response {
    state.metrics.performance_score.set(state.health.score());
    ([("content-type", "text/plain; version=0.0.4")], state.metrics.render()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    async fn get_status(app: Router, path: &str) -> (StatusCode, String) {
        let response = app.oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn routes_follow_the_node_spec() {
        let health = Arc::new(Health::default());
        health.declare("l1", "L1 RPC", "Ethereum JSON-RPC");
        health.declare("db", "Slashing protection", "database");
        let app = app(ApiState { health: health.clone(), metrics: Arc::new(Metrics::new()) });

        let (status, body) = get_status(app.clone(), "/eigen/node").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("rampart-operator"));
        assert_eq!(
            get_status(app.clone(), "/eigen/node/health").await.0,
            StatusCode::SERVICE_UNAVAILABLE
        );
        health.up("l1");
        assert_eq!(
            get_status(app.clone(), "/eigen/node/health").await.0,
            StatusCode::PARTIAL_CONTENT
        );
        health.up("db");
        assert_eq!(get_status(app.clone(), "/eigen/node/health").await.0, StatusCode::OK);
        assert_eq!(
            get_status(app.clone(), "/eigen/node/services/l1/health").await.0,
            StatusCode::OK
        );
        health.down("l1", "timeout");
        assert_eq!(
            get_status(app.clone(), "/eigen/node/services/l1/health").await.0,
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(
            get_status(app.clone(), "/eigen/node/services/nope/health").await.0,
            StatusCode::NOT_FOUND
        );
        let (_, services) = get_status(app.clone(), "/eigen/node/services").await;
        assert!(
            services.contains("\"id\":\"l1\"") && services.contains("\"status\":\"Down\""),
            "{services}"
        );
        let (status, metrics) = get_status(app, "/metrics").await;
        assert_eq!(status, StatusCode::OK);
        assert!(metrics.contains("eigen_performance_score 50"), "{metrics}");
    }
}
