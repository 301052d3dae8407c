//! Delivery of signed attestations to every configured aggregator over HTTP.
//!
//! Each (attestation, aggregator) pair is retried with exponential backoff and jitter until the
//! aggregator accepts it (2xx, or 409 for one it already has), refuses it for good (another
//! 4xx: retrying cannot help; logged and counted), or the entry expires. Each attempt is a
//! `rampart.operator.deliver` span in the batch's trace, and its request carries a W3C
//! `traceparent` naming that span, so the aggregator's handling joins the same trace.

use super::health::Health;
use super::metrics::Metrics;
use super::outbox::{Entry, Outbox};
use rampart_primitives::{Domain, SignedAttestation};
use rampart_telemetry::{TARGET as TRACE, context, spans};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::Instrument as _;

const INITIAL_BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// The delivery loop's state.
#[derive(Debug)]
pub(super) struct Delivery {
    client: reqwest::Client,
    aggregators: Vec<String>,
    outbox: Arc<Outbox>,
    metrics: Arc<Metrics>,
    health: Arc<Health>,
    domain: Domain,
    ttl: Duration,
    /// Per (rollup, batch, aggregator): attempts so far and when to try next.
    backoff: HashMap<(u64, u64, String), (u32, Instant)>,
}

/// Outcome of one POST.
enum Sent {
    Accepted,
    Refused(String),
    Failed(String),
}

impl Delivery {
    /// A delivery loop over `outbox` to `aggregators` (base URLs).
    pub(super) fn new(
        aggregators: Vec<String>,
        outbox: Arc<Outbox>,
        metrics: Arc<Metrics>,
        health: Arc<Health>,
        domain: Domain,
        ttl: Duration,
    ) -> Self {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("a plain reqwest client builds");
        Self { client, aggregators, outbox, metrics, health, domain, ttl, backoff: HashMap::new() }
    }

    /// One pass over the outbox: tries every due (attestation, aggregator) pair.
    pub(super) async fn pass(&mut self) -> crate::Result<()> {
        let entries = self.outbox.entries()?;
        self.metrics.outbox_pending.set(entries.len() as f64);
        let now_unix = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        for entry in entries {
            if now_unix.saturating_sub(entry.created_unix) > self.ttl.as_secs() {
                tracing::warn!(target: "rampart::delivery", rollup = entry.attestation.checkpoint.rollup_id.0,
                    batch = entry.attestation.checkpoint.batch_index, "attestation expired undelivered");
                self.outbox.remove(&entry.attestation)?;
                continue;
            }
            self.deliver(&entry).await?;
        }
        Ok(())
    }

    async fn deliver(&mut self, entry: &Entry) -> crate::Result<()> {
        let a = entry.attestation;
        for (index, aggregator) in self.aggregators.clone().iter().enumerate() {
            if entry.done.contains(aggregator) {
                continue;
            }
            let key = (a.checkpoint.rollup_id.0, a.checkpoint.batch_index, aggregator.clone());
            if let Some((_, next)) = self.backoff.get(&key)
                && Instant::now() < *next
            {
                continue;
            }
            let service = format!("aggregator-{index}");
            match self.post(aggregator, &a).await {
                Sent::Accepted => {
                    self.metrics.delivered.increment(1);
                    self.health.up(&service);
                    self.backoff.remove(&key);
                    self.outbox.mark_done(&a, aggregator, &self.aggregators)?;
                }
                Sent::Refused(why) => {
                    self.metrics.delivery_failures.increment(1);
                    self.health.up(&service); // reachable; it just refused this one
                    tracing::error!(target: "rampart::delivery", aggregator = %crate::config::endpoint_label(aggregator), reason = %why,
                        rollup = a.checkpoint.rollup_id.0, batch = a.checkpoint.batch_index,
                        "aggregator refused the attestation; not retrying");
                    self.backoff.remove(&key);
                    self.outbox.mark_done(&a, aggregator, &self.aggregators)?;
                }
                Sent::Failed(why) => {
                    self.metrics.delivery_failures.increment(1);
                    self.health.down(&service, why.clone());
                    let attempts = self.backoff.get(&key).map_or(0, |(n, _)| *n) + 1;
                    let delay = backoff(attempts);
                    tracing::warn!(target: "rampart::delivery", aggregator = %crate::config::endpoint_label(aggregator), error = %why,
                        retry_in_ms = delay.as_millis() as u64, "delivery failed; will retry");
                    self.backoff.insert(key, (attempts, Instant::now() + delay));
                }
            }
        }
        Ok(())
    }

    async fn post(&self, aggregator: &str, a: &SignedAttestation) -> Sent {
        let (rollup, batch) = (a.checkpoint.rollup_id.0, a.checkpoint.batch_index);
        let span = tracing::info_span!(target: TRACE, spans::OPERATOR_DELIVER,
            aggregator = %crate::config::endpoint_label(aggregator), http.status = tracing::field::Empty);
        context::follow_batch(&span, &self.domain, rollup, batch);
        let url = format!("{}/v1/attestations", aggregator.trim_end_matches('/'));
        let request = self
            .client
            .post(&url)
            .header(context::TRACEPARENT, context::traceparent(&span, &self.domain, rollup, batch))
            .json(a);
        let response = request.send().instrument(span.clone()).await;
        if let Ok(r) = &response {
            span.record("http.status", r.status().as_u16());
        }
        match response {
            Ok(r) if r.status().is_success() || r.status() == reqwest::StatusCode::CONFLICT => {
                Sent::Accepted
            }
            Ok(r) if r.status().is_client_error() => {
                let status = r.status();
                let body = r.text().await.unwrap_or_default();
                Sent::Refused(format!("{status}: {}", body.chars().take(200).collect::<String>()))
            }
            Ok(r) => Sent::Failed(format!("HTTP {}", r.status())),
            Err(e) => Sent::Failed(e.without_url().to_string()),
        }
    }
}

/// Exponential backoff from 200 ms, capped at 30 s, with ±50% jitter.
fn backoff(attempts: u32) -> Duration {
    let base = INITIAL_BACKOFF.saturating_mul(1 << attempts.min(8)).min(MAX_BACKOFF);
    let mut byte = [0u8; 1];
    let _ = getrandom::fill(&mut byte);
    let factor = 0.5 + f64::from(byte[0]) / 255.0; // 0.5 ..= 1.5
    base.mul_f64(factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped_and_jittered() {
        for attempts in 1..20 {
            let d = backoff(attempts);
            assert!(d >= INITIAL_BACKOFF / 2, "{d:?}");
            assert!(d <= MAX_BACKOFF.mul_f64(1.5), "{d:?}");
        }
        assert!(backoff(8) > backoff(1).mul_f64(3.0) || backoff(8) >= MAX_BACKOFF / 2);
    }
}
