//! Logs and traces of Rampart's long-running processes (`rampart operator run`,
//! `rampart aggregator run`, `rampart devnet`).
//!
//! - **Logs**: `tracing` events to stderr, filtered by `RUST_LOG` (default `info`).
//! - **Traces** (off by default): spans with stable names along the attestation path, exported
//!   over OTLP/HTTP (protobuf) when an endpoint is configured ([`TelemetryConfig`]).
//!
//! Every process derives a batch's trace id from the batch itself ([`context`]), so the
//! operators' spans for a batch and the aggregator's spans for its certificate land in one
//! trace without any coordination; W3C `traceparent` headers on the operator → aggregator
//! requests additionally make each aggregator `receive` span a child of the operator's
//! `deliver` span.
//!
//! [`endpoint_label`] is how every Rampart log names an endpoint without its credentials.
//!
//! The span names are part of the interface (dashboards and alerts query them); they are
//! listed in [`spans`].

pub mod config;
pub mod context;
pub mod spans;

pub use config::TelemetryConfig;

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::WithExportConfig as _;
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::{Sampler, SdkTracerProvider, SpanExporter};
use std::time::Duration;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// The `tracing` target of every span meant for export (and only those are exported).
pub const TARGET: &str = "rampart::trace";

/// How long an export request may take.
const EXPORT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why telemetry could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A configuration value is invalid.
    #[error("telemetry: {0}")]
    Config(String),
    /// The OTLP exporter could not be built.
    #[error("telemetry: cannot build the OTLP exporter for {endpoint}: {message}")]
    Exporter {
        /// The configured endpoint.
        endpoint: String,
        /// What went wrong.
        message: String,
    },
}

/// Installed telemetry. Dropping it (or [`Telemetry::shutdown`]) flushes the spans not yet
/// exported; keep it alive for the life of the process.
#[derive(Debug, Default)]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Flushes and stops the exporter.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(provider) = self.provider.take() {
            let _ = provider.force_flush();
            let _ = provider.shutdown();
        }
    }
}

impl Drop for Telemetry {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Installs the process-wide subscriber: logs to stderr and, when `config` names an endpoint,
/// span export for `service` (the `service.name` resource attribute unless the configuration
/// sets one). A second call in the same process keeps the first subscriber and returns an
/// inert [`Telemetry`].
pub fn init(service: &str, config: &TelemetryConfig) -> Result<Telemetry, Error> {
    config.validate()?;
    let provider = if config.otlp_endpoint.is_empty() {
        None
    } else {
        let url = config.traces_url();
        let exporter = opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .with_endpoint(url.clone())
            .with_timeout(EXPORT_TIMEOUT)
            .build()
            .map_err(|e| Error::Exporter { endpoint: url, message: e.to_string() })?;
        Some(provider(service, config, exporter))
    };
    let installed = install(provider.clone());
    match (installed, provider) {
        (true, Some(provider)) => {
            tracing::info!(target: "rampart::telemetry", endpoint = %endpoint_label(&config.otlp_endpoint),
                sampling_ratio = config.sampling_ratio, "exporting traces over OTLP/HTTP");
            Ok(Telemetry { provider: Some(provider) })
        }
        (false, Some(provider)) => {
            let _ = provider.shutdown();
            Ok(Telemetry::default())
        }
        (_, None) => Ok(Telemetry::default()),
    }
}

/// A tracer provider for `service` exporting through `exporter` in batches, sampling per
/// trace id (so every process makes the same decision for a batch).
pub fn provider(
    service: &str,
    config: &TelemetryConfig,
    exporter: impl SpanExporter + 'static,
) -> SdkTracerProvider {
    let mut attributes = vec![opentelemetry::KeyValue::new(
        "service.name",
        config.service_name.clone().unwrap_or_else(|| service.to_owned()),
    )];
    attributes.push(opentelemetry::KeyValue::new("service.version", env!("CARGO_PKG_VERSION")));
    for (key, value) in &config.resource_attributes {
        attributes.push(opentelemetry::KeyValue::new(key.clone(), value.clone()));
    }
    SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_sampler(Sampler::TraceIdRatioBased(config.sampling_ratio))
        .with_resource(Resource::builder_empty().with_attributes(attributes).build())
        .build()
}

/// The `tracing` layer that turns Rampart's spans (target [`TARGET`]) into OpenTelemetry spans
/// of `provider`; everything else (library spans, log events) stays out of the traces.
pub fn layer<S>(provider: &SdkTracerProvider) -> impl Layer<S> + Send + Sync + 'static
where
    S: tracing::Subscriber + Send + Sync + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    tracing_opentelemetry::layer().with_tracer(provider.tracer("rampart")).with_filter(
        tracing_subscriber::filter::Targets::new().with_target(TARGET, tracing::Level::TRACE),
    )
}

/// An endpoint as shown in messages and logs: `scheme://host[:port]`, with `/…` when a path,
/// query or credentials were dropped (they often carry a provider's API key).
pub fn endpoint_label(url: &str) -> String {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    let rest_hidden = authority.contains('@') || authority.len() + 1 < rest.len();
    let suffix = if rest_hidden { "/…" } else { "" };
    if scheme.is_empty() { format!("{host}{suffix}") } else { format!("{scheme}://{host}{suffix}") }
}

/// Off for arkworks' constraint-synthesis spans (target `r1cs`, at INFO): they record their
/// arguments (sponge parameters, constraint systems) with `Debug` on every gadget call, which
/// turns a sub-second proof's synthesis into minutes of formatting. Applied whatever `RUST_LOG`
/// says.
pub fn quiet_r1cs() -> tracing_subscriber::filter::Directive {
    "r1cs=off".parse().expect("a valid directive")
}

/// Installs the global subscriber; false when one was already installed.
fn install(provider: Option<SdkTracerProvider>) -> bool {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"))
        .add_directive(quiet_r1cs());
    let logs = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_filter(filter);
    let traces = provider.as_ref().map(layer);
    tracing_subscriber::registry().with(logs).with(traces).try_init().is_ok()
}

#[cfg(test)]
mod tests {
    use super::endpoint_label;

    #[test]
    fn labels_hide_paths_and_credentials() {
        let label = endpoint_label("https://user:key@agg.example/v1?token=x");
        assert_eq!(label, "https://agg.example/…");
        assert!(!label.contains("key") && !label.contains("token"), "{label}");
        assert_eq!(endpoint_label("http://127.0.0.1:8545"), "http://127.0.0.1:8545");
    }
}
