//! `[telemetry]`: where traces go, how many are kept, and what describes this process.
//!
//! The same section appears in the operator's and the aggregator's configuration files. The
//! standard OpenTelemetry environment variables override it (so a Helm chart or a systemd unit
//! can set them without touching the file):
//!
//! | variable | overrides |
//! |---|---|
//! | `OTEL_EXPORTER_OTLP_ENDPOINT` | `otlp_endpoint` |
//! | `OTEL_TRACES_SAMPLER_ARG` | `sampling_ratio` |
//! | `OTEL_SERVICE_NAME` | `service_name` |
//! | `OTEL_RESOURCE_ATTRIBUTES` (`k=v,k=v`) | adds to (and wins over) `resource_attributes` |

use crate::Error;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Trace export settings. The default exports nothing.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelemetryConfig {
    /// OTLP/HTTP base URL, such as `http://otel-collector:4318` (spans are POSTed to
    /// `<endpoint>/v1/traces`); empty: no export. Default empty.
    #[serde(default)]
    pub otlp_endpoint: String,
    /// Fraction of batches traced, in [0, 1]. The decision is a function of the batch's trace
    /// id, so every process keeps or drops the same batches. Default 1.
    #[serde(default = "one")]
    pub sampling_ratio: f64,
    /// `service.name`; default the process's role (`rampart-operator`, `rampart-aggregator`).
    #[serde(default)]
    pub service_name: Option<String>,
    /// Extra resource attributes, such as `deployment.environment = "holesky"`.
    #[serde(default)]
    pub resource_attributes: BTreeMap<String, String>,
}

fn one() -> f64 {
    1.0
}

impl Default for TelemetryConfig {
    fn default() -> Self {
        Self {
            otlp_endpoint: String::new(),
            sampling_ratio: 1.0,
            service_name: None,
            resource_attributes: BTreeMap::new(),
        }
    }
}

impl TelemetryConfig {
    /// This configuration with the process environment's `OTEL_*` overrides applied.
    pub fn with_env(self) -> Result<Self, Error> {
        self.with_overrides(|name| std::env::var(name).ok())
    }

    /// This configuration with the overrides `var` returns (by variable name) applied.
    pub fn with_overrides(mut self, var: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        if let Some(endpoint) = var("OTEL_EXPORTER_OTLP_ENDPOINT") {
            self.otlp_endpoint = endpoint.trim().to_owned();
        }
        if let Some(ratio) = var("OTEL_TRACES_SAMPLER_ARG").filter(|r| !r.trim().is_empty()) {
            self.sampling_ratio = ratio.trim().parse().map_err(|_| {
                Error::Config(format!("OTEL_TRACES_SAMPLER_ARG={ratio:?} is not a number"))
            })?;
        }
        if let Some(name) = var("OTEL_SERVICE_NAME").filter(|n| !n.trim().is_empty()) {
            self.service_name = Some(name.trim().to_owned());
        }
        if let Some(list) = var("OTEL_RESOURCE_ATTRIBUTES") {
            for pair in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let (key, value) = pair.split_once('=').ok_or_else(|| {
                    Error::Config(format!("OTEL_RESOURCE_ATTRIBUTES: {pair:?} is not key=value"))
                })?;
                self.resource_attributes.insert(key.trim().to_owned(), value.trim().to_owned());
            }
        }
        self.validate()?;
        Ok(self)
    }

    /// Checks the values.
    pub fn validate(&self) -> Result<(), Error> {
        if !(0.0..=1.0).contains(&self.sampling_ratio) {
            return Err(Error::Config(format!(
                "sampling_ratio must be between 0 and 1, not {}",
                self.sampling_ratio
            )));
        }
        let e = &self.otlp_endpoint;
        if !(e.is_empty() || e.starts_with("http://") || e.starts_with("https://")) {
            return Err(Error::Config(format!(
                "otlp_endpoint must be an http:// or https:// URL, not {:?}",
                crate::endpoint_label(e)
            )));
        }
        if self.resource_attributes.keys().any(|k| k.trim().is_empty()) {
            return Err(Error::Config("resource_attributes has an empty key".into()));
        }
        Ok(())
    }

    /// Where spans are POSTed.
    pub fn traces_url(&self) -> String {
        let base = self.otlp_endpoint.trim_end_matches('/');
        if base.ends_with("/v1/traces") { base.to_owned() } else { format!("{base}/v1/traces") }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn off_by_default() {
        let c: TelemetryConfig = toml::from_str("").unwrap();
        assert_eq!(c, TelemetryConfig::default());
        assert!(c.otlp_endpoint.is_empty());
        assert_eq!(c.sampling_ratio, 1.0);
    }

    #[test]
    fn environment_overrides_the_file() {
        let c: TelemetryConfig = toml::from_str(
            "otlp_endpoint = \"http://a:4318\"\nsampling_ratio = 0.5\n\
             [resource_attributes]\n\"deployment.environment\" = \"dev\"\nregion = \"eu\"\n",
        )
        .unwrap();
        let c = c
            .with_overrides(env(&[
                ("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318/"),
                ("OTEL_TRACES_SAMPLER_ARG", "0.25"),
                ("OTEL_SERVICE_NAME", "op-7"),
                ("OTEL_RESOURCE_ATTRIBUTES", "k8s.pod.name=op-7-0, region=us"),
            ]))
            .unwrap();
        assert_eq!(c.traces_url(), "https://collector:4318/v1/traces");
        assert_eq!(c.sampling_ratio, 0.25);
        assert_eq!(c.service_name.as_deref(), Some("op-7"));
        assert_eq!(c.resource_attributes["k8s.pod.name"], "op-7-0");
        assert_eq!(c.resource_attributes["region"], "us");
        assert_eq!(c.resource_attributes["deployment.environment"], "dev");
    }

    #[test]
    fn bad_values_are_refused_with_the_reason() {
        let base = TelemetryConfig::default;
        let e = base().with_overrides(env(&[("OTEL_TRACES_SAMPLER_ARG", "lots")])).unwrap_err();
        assert!(e.to_string().contains("not a number"), "{e}");
        let e = base().with_overrides(env(&[("OTEL_TRACES_SAMPLER_ARG", "1.5")])).unwrap_err();
        assert!(e.to_string().contains("between 0 and 1"), "{e}");
        let e = base()
            .with_overrides(env(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")]))
            .unwrap_err();
        assert!(e.to_string().contains("http://"), "{e}");
        let e = base().with_overrides(env(&[("OTEL_RESOURCE_ATTRIBUTES", "novalue")])).unwrap_err();
        assert!(e.to_string().contains("key=value"), "{e}");
        assert!(toml::from_str::<TelemetryConfig>("endpoint = \"x\"").is_err());
    }

    #[test]
    fn traces_url_appends_the_otlp_path_once() {
        let url = |e: &str| TelemetryConfig { otlp_endpoint: e.into(), ..Default::default() };
        assert_eq!(url("http://c:4318").traces_url(), "http://c:4318/v1/traces");
        assert_eq!(url("http://c:4318/v1/traces").traces_url(), "http://c:4318/v1/traces");
    }
}
