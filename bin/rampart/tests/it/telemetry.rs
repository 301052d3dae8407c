//! One trace across processes: a devnet whose two operator daemons and aggregator run as
//! separate `rampart` processes exporting OTLP/HTTP into a receiver in this test. Each batch's
//! spans, from every process, must form one trace: the operator's steps, its deliveries, the
//! aggregator's receipt of each (a child of that delivery, over `traceparent`), verification,
//! aggregation, submission and confirmation.

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use prost::Message as _;
use rampart_devnet::{ChildProcesses, Network, NetworkConfig, Services, ServicesConfig};
use rampart_primitives::Domain;
use rampart_telemetry::{context, spans};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A span as received, with the `service.name` and resource attributes of its process.
#[derive(Debug, Clone)]
struct Received {
    service: String,
    resource: HashMap<String, String>,
    name: String,
    trace_id: Vec<u8>,
    span_id: Vec<u8>,
    parent_span_id: Vec<u8>,
}

type Sink = Arc<Mutex<Vec<Received>>>;

/// `POST /v1/traces`: OTLP/HTTP protobuf, as a collector receives it.
async fn receive(State(sink): State<Sink>, body: Bytes) -> Vec<u8> {
    let request = ExportTraceServiceRequest::decode(body).expect("valid OTLP protobuf");
    let mut sink = sink.lock().unwrap();
    for rs in request.resource_spans {
        let resource: HashMap<String, String> = rs
            .resource
            .map(|r| r.attributes)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|kv| match kv.value?.value? {
                Value::StringValue(s) => Some((kv.key, s)),
                _ => None,
            })
            .collect();
        let service = resource.get("service.name").cloned().unwrap_or_default();
        for s in rs.scope_spans.into_iter().flat_map(|ss| ss.spans) {
            sink.push(Received {
                service: service.clone(),
                resource: resource.clone(),
                name: s.name,
                trace_id: s.trace_id,
                span_id: s.span_id,
                parent_span_id: s.parent_span_id,
            });
        }
    }
    Vec::new() // an empty ExportTraceServiceResponse
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_trace_follows_a_batch_from_the_operators_to_its_certificate() {
    let sink: Sink = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let collector = listener.local_addr().unwrap();
    let app = axum::Router::new().route("/v1/traces", post(receive)).with_state(sink.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let dir = tempfile::tempdir().unwrap();
    let config = NetworkConfig {
        operators: 2,
        data_dir: dir.path().to_path_buf(),
        port: 0,
        ..Default::default()
    };
    let network = Network::start(&config, &mut |_| {}).await.unwrap();
    let env = [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", format!("http://{collector}")),
        ("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=trace-test".to_string()),
        ("OTEL_BSP_SCHEDULE_DELAY", "100".to_string()),
    ];
    let services_config = ServicesConfig {
        batch_interval: Duration::from_millis(400),
        base_port: None,
        batches: Some(3),
        processes: Some(ChildProcesses {
            binary: env!("CARGO_BIN_EXE_rampart").into(),
            env: env.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
        }),
        ..Default::default()
    };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let services = Services::start(&network, dir.path(), &services_config, tx).await.unwrap();
    for _ in 0..3 {
        tokio::time::timeout(Duration::from_secs(60), rx.recv())
            .await
            .expect("certificates land")
            .expect("watcher running");
    }
    // SIGTERM: each process flushes its spans before exiting (an unclean exit fails here).
    let rollup = services.rollup_id;
    services.shutdown().await.unwrap();

    let received = sink.lock().unwrap().clone();
    let domain =
        Domain::new(network.deployment.chain_id, network.deployment.rampart.attestation_center);
    let trace = context::batch_trace_id(&domain, rollup, 0).to_bytes().to_vec();
    let batch: Vec<&Received> = received.iter().filter(|s| s.trace_id == trace).collect();
    let names = |service: &str| -> HashSet<&str> {
        batch.iter().filter(|s| s.service == service).map(|s| s.name.as_str()).collect()
    };
    let operator = names("rampart-operator");
    let aggregator = names("rampart-aggregator");
    for name in &spans::ALL[..6] {
        assert!(operator.contains(name), "operator span {name} missing: {operator:?}");
    }
    for name in &spans::ALL[6..] {
        assert!(aggregator.contains(name), "aggregator span {name} missing: {aggregator:?}");
    }
    let count = |name: &str| batch.iter().filter(|s| s.name == name).count();
    assert_eq!(count(spans::OPERATOR_ATTEST), 2, "one attest span per operator process");
    assert_eq!(count(spans::AGGREGATOR_CONFIRM), 1, "one confirmation");

    // Parents: within the operator, and across the HTTP hop.
    let by_id: HashMap<&[u8], &Received> =
        batch.iter().map(|s| (s.span_id.as_slice(), *s)).collect();
    let parent = |s: &Received| by_id.get(s.parent_span_id.as_slice()).map(|p| p.name.as_str());
    for s in &batch {
        match s.name.as_str() {
            n if n == spans::OPERATOR_SIGN => {
                assert_eq!(parent(s), Some(spans::OPERATOR_PROTECT))
            }
            n if n == spans::OPERATOR_PROTECT || n == spans::OPERATOR_DERIVE => {
                assert_eq!(parent(s), Some(spans::OPERATOR_ATTEST))
            }
            n if n == spans::AGGREGATOR_RECEIVE => {
                assert_eq!(
                    parent(s),
                    Some(spans::OPERATOR_DELIVER),
                    "receive is a child of delivery"
                )
            }
            _ => {}
        }
    }
    let receives = batch.iter().filter(|s| s.name == spans::AGGREGATOR_RECEIVE).count();
    assert!(receives >= 2, "both operators' attestations received: {receives}");
    // The configured resource attributes reach the collector from every process.
    for s in &batch {
        assert_eq!(
            s.resource.get("deployment.environment").map(String::as_str),
            Some("trace-test")
        );
    }
    // Other batches have traces of their own.
    let other = context::batch_trace_id(&domain, rollup, 1).to_bytes().to_vec();
    assert!(received.iter().any(|s| s.trace_id == other));
    drop(network);
}
