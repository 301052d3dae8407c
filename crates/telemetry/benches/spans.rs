//! What tracing costs on the attestation path: one batch-trace span (created, parented on the
//! batch, entered, closed) with its `traceparent` header, under no subscriber, the log
//! subscriber only (traces off, the default), and the log subscriber plus OpenTelemetry export
//! (into an exporter that drops the spans, so only our side is measured).

#![allow(missing_docs)]

use alloy_primitives::Address;
use criterion::{Criterion, criterion_group, criterion_main};
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::trace::{SpanData, SpanExporter};
use rampart_primitives::Domain;
use rampart_telemetry::{TARGET, TelemetryConfig, context, spans};
use std::hint::black_box;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::SubscriberExt;

/// Accepts and drops every span.
#[derive(Debug)]
struct Discard;

impl SpanExporter for Discard {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        black_box(batch);
        Ok(())
    }
}

fn one_span(domain: &Domain, batch: u64) -> String {
    let span = tracing::info_span!(target: TARGET, spans::AGGREGATOR_RECEIVE,
        rollup = 1u64, batch, operator = "0x0000000000000000000000000000000000000001");
    context::follow_batch(&span, domain, 1, batch);
    let header = context::traceparent(&span, domain, 1, batch);
    span.in_scope(|| black_box(&header).len());
    header
}

fn bench(c: &mut Criterion) {
    let domain = Domain { chain_id: 1, verifying_contract: Address::repeat_byte(7) };
    let mut group = c.benchmark_group("batch_span");
    let mut batch = 0u64;

    group.bench_function("no_subscriber", |b| {
        b.iter(|| {
            batch += 1;
            one_span(&domain, batch)
        })
    });

    // Logs only (the default): stderr writer, but no event is logged here, only spans.
    let logs = || {
        tracing_subscriber::fmt::layer()
            .with_writer(std::io::sink)
            .with_filter(tracing_subscriber::EnvFilter::new("info"))
    };
    tracing::subscriber::with_default(tracing_subscriber::registry().with(logs()), || {
        group.bench_function("logs_only", |b| {
            b.iter(|| {
                batch += 1;
                one_span(&domain, batch)
            })
        });
    });

    let provider = rampart_telemetry::provider("bench", &TelemetryConfig::default(), Discard);
    let subscriber =
        tracing_subscriber::registry().with(logs()).with(rampart_telemetry::layer(&provider));
    tracing::subscriber::with_default(subscriber, || {
        group.bench_function("logs_and_otlp", |b| {
            b.iter(|| {
                batch += 1;
                one_span(&domain, batch)
            })
        });
    });
    let _ = provider.shutdown();
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
