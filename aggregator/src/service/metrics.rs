//! The aggregator's Prometheus metrics (`rampart_aggregator_*`), served at `/metrics`.
//!
//! Each service owns its recorder (not the process-global one), so several aggregators can run
//! in one process (tests, the devnet) without sharing counters.

use metrics::{Counter, Gauge, Histogram, Key, Level, Metadata, Recorder};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};

static METADATA: Metadata<'static> = Metadata::new("rampart_aggregator", Level::INFO, None);

const LATENCY_BUCKETS: &[f64] =
    &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5];

/// Every metric the aggregator exports.
pub struct Metrics {
    _recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    /// `rampart_aggregator_attestations_accepted_total`.
    pub accepted: Counter,
    /// `rampart_aggregator_attestations_rejected_total`: every 4xx answer to an attestation.
    pub rejected: Counter,
    /// `rampart_aggregator_attestations_duplicate_total`.
    pub duplicates: Counter,
    /// `rampart_aggregator_verification_failures_total`: signatures that did not verify.
    pub verification_failures: Counter,
    /// `rampart_aggregator_equivocations_total`: evidence records stored.
    pub equivocations: Counter,
    /// `rampart_aggregator_pairing_checks_total`: aggregate and single checks spent.
    pub pairing_checks: Counter,
    /// `rampart_aggregator_verify_batch_size`: attestations verified together.
    pub batch_size: Histogram,
    /// `rampart_aggregator_intake_seconds`: parse to durable accept.
    pub intake_seconds: Histogram,
    /// `rampart_aggregator_certificates_sent_total`: new certificate transactions.
    pub certificates_sent: Counter,
    /// `rampart_aggregator_fee_bumps_total`: replacements with a higher fee.
    pub fee_bumps: Counter,
    /// `rampart_aggregator_certificates_confirmed_total`.
    pub certificates_confirmed: Counter,
    /// `rampart_aggregator_time_to_certificate_seconds`: from a batch's first stored
    /// attestation to its certificate being mined.
    pub time_to_certificate: Histogram,
    /// `rampart_aggregator_certificate_gas_used`: gas of each mined certificate transaction.
    pub certificate_gas: Histogram,
    /// `rampart_aggregator_leader`: 1 while this replica holds the submitter lease.
    pub leader: Gauge,
    /// `rampart_aggregator_l1_synced_block`.
    pub l1_synced: Gauge,
    /// `rampart_aggregator_l1_lag_blocks`.
    pub l1_lag: Gauge,
    /// The embedded slasher's metrics (`rampart_slasher_*`), served with these.
    pub slasher: std::sync::OnceLock<std::sync::Arc<rampart_slasher::Metrics>>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A fresh set of metrics.
    pub fn new() -> Self {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("rampart_aggregator_intake_seconds".into()),
                LATENCY_BUCKETS,
            )
            .and_then(|b| {
                b.set_buckets_for_metric(
                    Matcher::Full("rampart_aggregator_verify_batch_size".into()),
                    &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0],
                )
            })
            .and_then(|b| {
                b.set_buckets_for_metric(
                    Matcher::Full("rampart_aggregator_time_to_certificate_seconds".into()),
                    &[0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0, 120.0, 300.0],
                )
            })
            .and_then(|b| {
                b.set_buckets_for_metric(
                    Matcher::Full("rampart_aggregator_certificate_gas_used".into()),
                    &[1e5, 1.5e5, 2e5, 2.5e5, 3e5, 4e5, 5e5, 7.5e5, 1e6, 2e6],
                )
            })
            .expect("bucket lists are non-empty")
            .build_recorder();
        let handle = recorder.handle();
        let key = Key::from_static_name;
        let counter = |name: &'static str| recorder.register_counter(&key(name), &METADATA);
        let gauge = |name: &'static str| recorder.register_gauge(&key(name), &METADATA);
        let histogram = |name: &'static str| recorder.register_histogram(&key(name), &METADATA);
        Self {
            accepted: counter("rampart_aggregator_attestations_accepted_total"),
            rejected: counter("rampart_aggregator_attestations_rejected_total"),
            duplicates: counter("rampart_aggregator_attestations_duplicate_total"),
            verification_failures: counter("rampart_aggregator_verification_failures_total"),
            equivocations: counter("rampart_aggregator_equivocations_total"),
            pairing_checks: counter("rampart_aggregator_pairing_checks_total"),
            batch_size: histogram("rampart_aggregator_verify_batch_size"),
            intake_seconds: histogram("rampart_aggregator_intake_seconds"),
            certificates_sent: counter("rampart_aggregator_certificates_sent_total"),
            fee_bumps: counter("rampart_aggregator_fee_bumps_total"),
            certificates_confirmed: counter("rampart_aggregator_certificates_confirmed_total"),
            time_to_certificate: histogram("rampart_aggregator_time_to_certificate_seconds"),
            certificate_gas: histogram("rampart_aggregator_certificate_gas_used"),
            leader: gauge("rampart_aggregator_leader"),
            l1_synced: gauge("rampart_aggregator_l1_synced_block"),
            l1_lag: gauge("rampart_aggregator_l1_lag_blocks"),
            slasher: std::sync::OnceLock::new(),
            _recorder: recorder,
            handle,
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut text = self.handle.render();
        if let Some(slasher) = self.slasher.get() {
            text.push_str(&slasher.render());
        }
        text
    }
}
