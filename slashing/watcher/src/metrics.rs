//! The slasher's Prometheus metrics (`rampart_slasher_*`). Each slasher owns its recorder, so
//! one embedded in an aggregator adds its lines to the aggregator's `/metrics` and several can
//! run in one process (tests, the devnet) without sharing counters.

use crate::store::FaultKind;
use metrics::{Counter, Gauge, Key, Label, Level, Metadata, Recorder};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle, PrometheusRecorder};

static METADATA: Metadata<'static> = Metadata::new("rampart_slasher", Level::INFO, None);

/// Every metric the slasher exports.
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    /// `rampart_slasher_l1_synced_block`: the last L1 block read.
    pub l1_synced: Gauge,
    /// `rampart_slasher_open_faults`: faults found and not yet settled.
    pub open_faults: Gauge,
    /// `rampart_slasher_jobs_assigned_total`: draws of late proving jobs stored by the slasher.
    pub jobs_assigned: Counter,
    /// `rampart_slasher_evidence_malformed_total`: evidence from an aggregator that is not even
    /// a pair of conflicting attestations by one operator (never sent).
    pub evidence_malformed: Counter,
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

/// What happened to a fault, as counted by `rampart_slasher_faults_total{kind, outcome}`.
#[derive(Debug, Clone, Copy)]
pub enum Outcome {
    /// Found (a new row).
    Detected,
    /// Our transaction slashed it.
    Slashed,
    /// Someone else had slashed it.
    AlreadySlashed,
    /// The contract refuses the evidence.
    Rejected,
    /// Another row of the same fault was sent.
    Duplicate,
    /// A slashing transaction was broadcast.
    Sent,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Self::Detected => "detected",
            Self::Slashed => "slashed",
            Self::AlreadySlashed => "already_slashed",
            Self::Rejected => "rejected",
            Self::Duplicate => "duplicate",
            Self::Sent => "sent",
        }
    }
}

impl Metrics {
    /// A fresh set of metrics.
    pub fn new() -> Self {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        let key = Key::from_static_name;
        Self {
            l1_synced: recorder.register_gauge(&key("rampart_slasher_l1_synced_block"), &METADATA),
            open_faults: recorder.register_gauge(&key("rampart_slasher_open_faults"), &METADATA),
            jobs_assigned: recorder
                .register_counter(&key("rampart_slasher_jobs_assigned_total"), &METADATA),
            evidence_malformed: recorder
                .register_counter(&key("rampart_slasher_evidence_malformed_total"), &METADATA),
            recorder,
            handle,
        }
    }

    /// Counts one fault event.
    pub fn fault(&self, kind: FaultKind, outcome: Outcome) {
        let labels =
            vec![Label::new("kind", kind.as_str()), Label::new("outcome", outcome.as_str())];
        self.recorder
            .register_counter(&Key::from_parts("rampart_slasher_faults_total", labels), &METADATA)
            .increment(1);
    }

    /// Counts a failed poll of an aggregator's evidence.
    pub fn evidence_fetch_failed(&self, aggregator: &str) {
        let labels = vec![Label::new("aggregator", aggregator.to_string())];
        self.recorder
            .register_counter(
                &Key::from_parts("rampart_slasher_evidence_fetch_failures_total", labels),
                &METADATA,
            )
            .increment(1);
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        self.handle.render()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_counted_by_kind_and_outcome() {
        let m = Metrics::new();
        m.fault(FaultKind::MissedProof, Outcome::Slashed);
        m.fault(FaultKind::MissedProof, Outcome::Slashed);
        m.evidence_fetch_failed("http://a:9300");
        let text = m.render();
        assert!(
            text.contains(
                r#"rampart_slasher_faults_total{kind="missed_proof",outcome="slashed"} 2"#
            ),
            "{text}"
        );
        assert!(text.contains("rampart_slasher_evidence_fetch_failures_total"), "{text}");
    }
}
