//! The daemon's metrics: the EigenLayer AVS node spec names plus `rampart_*`, rendered in the
//! Prometheus text format at `/metrics`.
//!
//! Each daemon owns its recorder (not the process-global one), so several daemons can run in one
//! process (tests) without sharing counters.

use metrics::{Counter, Gauge, Histogram, Key, Label, Level, Metadata, Recorder};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};

/// Latency buckets (seconds) of `eigen_rpc_request_duration_seconds`.
const RPC_BUCKETS: &[f64] =
    &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// Buckets (seconds) of `rampart_proving_seconds`: witness synthesis and Groth16 proving, from
/// small batches on a GPU to large ones on a CPU.
const PROVING_BUCKETS: &[f64] =
    &[0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 60.0, 120.0, 300.0, 600.0];

static METADATA: Metadata<'static> = Metadata::new("rampart_operator", Level::INFO, None);

/// Every metric the daemon exports.
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    /// `eigen_performance_score`: 0–100, the share of healthy services.
    pub performance_score: Gauge,
    /// `rampart_attestations_signed_total`.
    pub signed: Counter,
    /// `rampart_attestations_refused_total`: signing refused by slashing protection.
    pub refused: Counter,
    /// `rampart_attestations_delivered_total`.
    pub delivered: Counter,
    /// `rampart_delivery_failures_total`.
    pub delivery_failures: Counter,
    /// `rampart_outbox_pending`.
    pub outbox_pending: Gauge,
    /// `rampart_l1_lag_blocks`: L1 head minus the last processed block.
    pub l1_lag: Gauge,
    /// `rampart_l1_processed_block`.
    pub l1_processed: Gauge,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Metrics {
    /// A fresh set of metrics.
    pub fn new() -> Self {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("eigen_rpc_request_duration_seconds".into()),
                RPC_BUCKETS,
            )
            .expect("bucket list is non-empty")
            .set_buckets_for_metric(
                Matcher::Full("rampart_proving_seconds".into()),
                PROVING_BUCKETS,
            )
            .expect("bucket list is non-empty")
            .build_recorder();
        let handle = recorder.handle();
        let gauge =
            |name: &'static str| recorder.register_gauge(&Key::from_static_name(name), &METADATA);
        let counter =
            |name: &'static str| recorder.register_counter(&Key::from_static_name(name), &METADATA);
        let metrics = Self {
            performance_score: gauge("eigen_performance_score"),
            signed: counter("rampart_attestations_signed_total"),
            refused: counter("rampart_attestations_refused_total"),
            delivered: counter("rampart_attestations_delivered_total"),
            delivery_failures: counter("rampart_delivery_failures_total"),
            outbox_pending: gauge("rampart_outbox_pending"),
            l1_lag: gauge("rampart_l1_lag_blocks"),
            l1_processed: gauge("rampart_l1_processed_block"),
            recorder,
            handle,
        };
        metrics.performance_score.set(0.0);
        metrics
    }

    /// `eigen_rpc_request_duration_seconds{method, client_type}` (a histogram) and
    /// `eigen_rpc_request_total{method, client_type}`: one RPC call to a chain node.
    pub fn rpc(&self, client_type: &'static str, method: &'static str, seconds: f64) {
        let labels = vec![Label::new("method", method), Label::new("client_type", client_type)];
        let histogram: Histogram = self.recorder.register_histogram(
            &Key::from_parts("eigen_rpc_request_duration_seconds", labels.clone()),
            &METADATA,
        );
        histogram.record(seconds);
        self.recorder
            .register_counter(&Key::from_parts("eigen_rpc_request_total", labels), &METADATA)
            .increment(1);
    }

    /// `eigen_registered_stakes{quorum_number, quorum_name}`: the operator's counted stake.
    pub fn registered_stake(&self, operator_set: u32, stake: f64) {
        let labels = vec![
            Label::new("quorum_number", operator_set.to_string()),
            Label::new("quorum_name", format!("rampart-operator-set-{operator_set}")),
        ];
        self.recorder
            .register_gauge(&Key::from_parts("eigen_registered_stakes", labels), &METADATA)
            .set(stake);
    }

    /// `rampart_l2_lag_blocks{rollup}`: the L2 head minus the last attested L2 block.
    pub fn l2_lag(&self, rollup: u64, blocks: f64) {
        let labels = vec![Label::new("rollup", rollup.to_string())];
        self.recorder
            .register_gauge(&Key::from_parts("rampart_l2_lag_blocks", labels), &METADATA)
            .set(blocks);
    }

    fn rollup_counter(&self, name: &'static str, rollup: u64) -> Counter {
        let labels = vec![Label::new("rollup", rollup.to_string())];
        self.recorder.register_counter(&Key::from_parts(name, labels), &METADATA)
    }

    /// `rampart_proving_queue_depth{rollup}`: committed batches not yet proven on L1.
    pub fn proving_queue(&self, rollup: u64, batches: f64) {
        let labels = vec![Label::new("rollup", rollup.to_string())];
        self.recorder
            .register_gauge(&Key::from_parts("rampart_proving_queue_depth", labels), &METADATA)
            .set(batches);
    }

    /// `rampart_proving_seconds{rollup, backend, stage}` (a histogram): one proof's witness
    /// synthesis (`stage="witness"`) and Groth16 proving (`stage="prove"`).
    pub fn proving_time(&self, rollup: u64, backend: &'static str, witness: f64, prove: f64) {
        for (stage, seconds) in [("witness", witness), ("prove", prove)] {
            let labels = vec![
                Label::new("rollup", rollup.to_string()),
                Label::new("backend", backend),
                Label::new("stage", stage),
            ];
            self.recorder
                .register_histogram(&Key::from_parts("rampart_proving_seconds", labels), &METADATA)
                .record(seconds);
        }
    }

    /// `rampart_proving_jobs_assigned_total{rollup}`: jobs drawn for this operator.
    pub fn job_assigned(&self, rollup: u64) {
        self.rollup_counter("rampart_proving_jobs_assigned_total", rollup).increment(1);
    }

    /// `rampart_proofs_submitted_total{rollup}`: proofs this operator landed on L1.
    pub fn proof_submitted(&self, rollup: u64) {
        self.rollup_counter("rampart_proofs_submitted_total", rollup).increment(1);
    }

    /// `rampart_proving_jobs_missed_total{rollup}`: jobs drawn for this operator whose deadline
    /// passed before it proved them.
    pub fn job_missed(&self, rollup: u64) {
        self.rollup_counter("rampart_proving_jobs_missed_total", rollup).increment(1);
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        self.handle.render()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_spec_names_and_a_real_histogram() {
        let m = Metrics::new();
        m.signed.increment(2);
        m.rpc("l1", "eth_getLogs", 0.003);
        m.registered_stake(1, 100.0);
        m.proving_queue(2, 3.0);
        m.proving_time(2, "cpu", 0.5, 1.5);
        m.proof_submitted(2);
        m.job_missed(2);
        let text = m.render();
        assert!(text.contains("rampart_proving_queue_depth{rollup=\"2\"} 3"), "{text}");
        assert!(text.contains("rampart_proving_seconds_bucket{rollup=\"2\",backend=\"cpu\",stage=\"prove\",le=\"2\"} 1"), "{text}");
        assert!(text.contains("rampart_proofs_submitted_total{rollup=\"2\"} 1"), "{text}");
        assert!(text.contains("rampart_proving_jobs_missed_total{rollup=\"2\"} 1"), "{text}");
        assert!(text.contains("rampart_attestations_signed_total 2"), "{text}");
        assert!(text.contains("eigen_rpc_request_duration_seconds_bucket"), "{text}");
        assert!(text.contains("eigen_rpc_request_total{"), "{text}");
        assert!(text.contains("eigen_registered_stakes{"), "{text}");
        assert!(text.contains("eigen_performance_score 0"), "{text}");
    }
}
