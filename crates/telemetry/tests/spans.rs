//! The tracing layer against an in-memory exporter: batch traces, parents over `traceparent`,
//! the target filter and sampling.

#![allow(missing_docs)]

use alloy_primitives::Address;
use opentelemetry::trace::TraceId;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SpanData};
use proptest::prelude::*;
use rampart_primitives::Domain;
use rampart_telemetry::context::{self, TRACEPARENT};
use rampart_telemetry::{TARGET, TelemetryConfig, spans};
use tracing_subscriber::layer::SubscriberExt;

fn domain() -> Domain {
    Domain { chain_id: 31337, verifying_contract: Address::repeat_byte(0x42) }
}

/// Runs `f` under a subscriber exporting into memory; returns the finished spans.
fn recorded(ratio: f64, f: impl FnOnce()) -> Vec<SpanData> {
    let exporter = InMemorySpanExporter::default();
    let config = TelemetryConfig { sampling_ratio: ratio, ..Default::default() };
    let provider = rampart_telemetry::provider("test", &config, exporter.clone());
    let subscriber = tracing_subscriber::registry().with(rampart_telemetry::layer(&provider));
    tracing::subscriber::with_default(subscriber, f);
    provider.force_flush().unwrap();
    exporter.get_finished_spans().unwrap()
}

fn named<'a>(spans: &'a [SpanData], name: &str) -> &'a SpanData {
    spans.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("no span {name}"))
}

#[test]
fn a_batch_trace_joins_two_processes_over_traceparent() {
    let d = domain();
    let mut header = String::new();
    // "Operator": the attest span follows the batch; delivery names itself as the parent.
    let operator = recorded(1.0, || {
        let attest = tracing::info_span!(target: TARGET, spans::OPERATOR_ATTEST, batch = 4);
        context::follow_batch(&attest, &d, 1, 4);
        attest.in_scope(|| {
            let sign = tracing::info_span!(target: TARGET, spans::OPERATOR_SIGN);
            sign.in_scope(|| {});
        });
        drop(attest);
        let deliver = tracing::info_span!(target: TARGET, spans::OPERATOR_DELIVER);
        context::follow_batch(&deliver, &d, 1, 4);
        header = context::traceparent(&deliver, &d, 1, 4);
    });
    // "Aggregator": receive continues the header; submit follows the batch on its own.
    let aggregator = recorded(1.0, || {
        let mut headers = http::HeaderMap::new();
        headers.insert(TRACEPARENT, header.parse().unwrap());
        let receive = tracing::info_span!(target: TARGET, spans::AGGREGATOR_RECEIVE);
        assert!(context::continue_from(&receive, &headers));
        drop(receive);
        let submit = tracing::info_span!(target: TARGET, spans::AGGREGATOR_SUBMIT);
        context::follow_batch(&submit, &d, 1, 4);
    });

    let trace = context::batch_trace_id(&d, 1, 4);
    for s in operator.iter().chain(&aggregator) {
        assert_eq!(s.span_context.trace_id(), trace, "{}", s.name);
    }
    let attest = named(&operator, spans::OPERATOR_ATTEST);
    let sign = named(&operator, spans::OPERATOR_SIGN);
    assert_eq!(sign.parent_span_id, attest.span_context.span_id());
    let deliver = named(&operator, spans::OPERATOR_DELIVER);
    let receive = named(&aggregator, spans::AGGREGATOR_RECEIVE);
    assert_eq!(receive.parent_span_id, deliver.span_context.span_id(), "child over HTTP");
    assert!(header.contains(&deliver.span_context.span_id().to_string()), "{header}");
    let submit = named(&aggregator, spans::AGGREGATOR_SUBMIT);
    assert_eq!(submit.parent_span_id, attest.parent_span_id, "both under the batch root");
}

#[test]
fn only_rampart_spans_are_exported() {
    let exported = recorded(1.0, || {
        let _library = tracing::info_span!(target: "hyper::client", "connect").entered();
        let _ours = tracing::info_span!(target: TARGET, spans::AGGREGATOR_VERIFY).entered();
    });
    let names: Vec<_> = exported.iter().map(|s| s.name.to_string()).collect();
    assert_eq!(names, [spans::AGGREGATOR_VERIFY]);
}

#[test]
fn sampling_is_decided_by_the_batch_so_every_process_agrees() {
    let d = domain();
    let kept = |ratio: f64| -> Vec<u64> {
        let exported = recorded(ratio, || {
            for batch in 0..200u64 {
                let span = tracing::info_span!(target: TARGET, spans::OPERATOR_ATTEST, batch);
                context::follow_batch(&span, &d, 1, batch);
            }
        });
        let mut ids: Vec<u64> = (0..200)
            .filter(|b| {
                let trace: TraceId = context::batch_trace_id(&d, 1, *b);
                exported.iter().any(|s| s.span_context.trace_id() == trace)
            })
            .collect();
        ids.sort();
        ids
    };
    let half = kept(0.5);
    assert!(half.len() > 60 && half.len() < 140, "{}", half.len());
    assert_eq!(half, kept(0.5), "the same batches every time, in every process");
    assert!(kept(0.0).is_empty());
    assert_eq!(kept(1.0).len(), 200);
}

proptest! {
    /// Any header value is either a valid context or ignored; never a panic.
    #[test]
    fn any_traceparent_is_parsed_or_ignored(value in ".{0,80}") {
        if let Some(cx) = context::parse_traceparent(&value) {
            use opentelemetry::trace::TraceContextExt;
            prop_assert!(cx.span().span_context().is_valid());
        }
    }

    /// Well-formed headers round-trip their ids.
    #[test]
    fn well_formed_traceparents_round_trip(trace in any::<u128>(), span in any::<u64>()) {
        prop_assume!(trace != 0 && span != 0);
        use opentelemetry::trace::TraceContextExt;
        let header = format!("00-{trace:032x}-{span:016x}-01");
        let cx = context::parse_traceparent(&header).expect("valid");
        prop_assert_eq!(cx.span().span_context().trace_id(), TraceId::from(trace));
    }
}
