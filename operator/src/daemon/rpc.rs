//! Read-only chain clients for the daemon: a tower stack of alloy transport layers — retry with
//! backoff over a fallback across every configured endpoint, each HTTP call with a timeout.

use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::client::ClientBuilder;
use alloy::transports::http::{Http, reqwest};
use alloy::transports::layers::{FallbackLayer, RetryBackoffLayer};
use std::num::NonZeroUsize;
use std::time::Duration;
use tower::ServiceBuilder;

/// Per-request HTTP timeout.
pub(super) const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// A provider over `urls` (first is preferred): retried with backoff (up to 5 times from
/// 100 ms) and falling back across endpoints ranked by latency and success.
pub(super) fn resilient(urls: &[String]) -> Result<DynProvider, String> {
    let client = reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .map_err(|e| format!("HTTP client: {e}"))?;
    let mut transports = Vec::new();
    for url in urls {
        let parsed: reqwest::Url = url
            .parse()
            .map_err(|_| format!("invalid URL {:?}", crate::config::endpoint_label(url)))?;
        transports.push(Http::with_client(client.clone(), parsed));
    }
    if transports.is_empty() {
        return Err("no endpoint configured".into());
    }
    let local = urls.iter().all(|u| u.contains("127.0.0.1") || u.contains("localhost"));
    let fallback = ServiceBuilder::new()
        .layer(FallbackLayer::default().with_active_transport_count(NonZeroUsize::MIN))
        .service(transports);
    let client = ClientBuilder::default()
        .layer(RetryBackoffLayer::new(5, 100, u64::MAX))
        .transport(fallback, local);
    Ok(ProviderBuilder::new().connect_client(client).erased())
}
