//! The aggregator's configuration file (TOML).
//!
//! Every option, with its default (options without one are required):
//!
//! ```toml
//! [chain]
//! # JSON-RPC endpoint of L1. Default "http://127.0.0.1:8545".
//! rpc_url = "http://127.0.0.1:8545"
//! # Deployment file (rampart_chain::Deployment) naming the contracts. Default "deployment.json".
//! deployment = "deployment.json"
//! # L1 blocks an event must be buried under before it counts (reorg safety). Default 0.
//! confirmations = 0
//! # L1 poll interval, in milliseconds. Default 200.
//! poll_interval_ms = 200
//!
//! [aggregator]
//! # Listen address of the HTTP API (attestations, batch status, evidence, health, /metrics).
//! # Default "127.0.0.1:9300".
//! listen = "127.0.0.1:9300"
//! # Database: a sqlite:// URL or a file path (default: "aggregator.sqlite" next to this file),
//! # or a postgres:// URL (replicas sharing one Postgres never double-submit).
//! database = "aggregator.sqlite"
//! # The ECDSA key that pays for certificate transactions: a geth v3 keystore and its password
//! # file, or a file holding the 0x-hex private key. One of the two is required.
//! ecdsa_keystore = "keys/submitter.json"
//! ecdsa_password_file = "keys/submitter.pass"
//! # ecdsa_key_file = "keys/submitter.key"
//! # Once a checkpoint's signers cross the threshold, wait this long for more signers (fewer
//! # non-signers make a cheaper certificate). Default 0: submit at once.
//! wait_window_ms = 0
//! # Name of this replica in the leader lease; unique per replica. Default: hostname, process id
//! # and a random suffix.
//! instance = "aggregator-0"
//!
//! [http]
//! # Largest accepted request body, in bytes. Default 16384.
//! max_body_bytes = 16384
//! # Requests taking longer are answered 408. Default 10000.
//! request_timeout_ms = 10000
//! # Per-operator token bucket: sustained attestations per second, and burst. Defaults 20, 200.
//! operator_rate_per_s = 20
//! operator_burst = 200
//! # Requests in flight beyond this are answered 503. Default 8192.
//! max_in_flight = 8192
//!
//! [submission]
//! # Blocks on top of a certificate's block before it counts as final. Default 1.
//! confirmations = 1
//! # Replace an unmined certificate transaction with a higher fee after this long. Default 6000.
//! bump_after_ms = 6000
//! # Fee increase of each replacement, in percent (nodes require at least 10). Default 25.
//! fee_bump_percent = 25
//! # Never pay more than this per gas, in gwei. Default 1000.
//! max_fee_gwei = 1000
//! # Leader lease duration, in milliseconds (renewed every third of it). Default 6000.
//! lease_ttl_ms = 6000
//!
//! [slasher]
//! # Run the slashing watcher (rampart_slasher) inside the aggregator: it reads this
//! # aggregator's equivocation evidence and L1, and submits every fault to RampartSlasher once.
//! # Only the replica holding the submitter lease sends. Default true.
//! enabled = true
//! # Other aggregators whose evidence to read too (this one's is always read). Default none.
//! aggregators = ["http://aggregator-b:9300"]
//! # Store the draw of a late proving job nobody stored, so a skipped job can be slashed.
//! # Default true.
//! assign_jobs = true
//! # A separate key paying for slashing transactions (keystore + password file, or key file).
//! # Default: the submitter key (certificates and slashes then share its nonces, serialized).
//! # ecdsa_key_file = "keys/slasher.key"
//!
//! [telemetry]
//! # OTLP/HTTP endpoint for traces; empty: no export. Default "". The OTEL_* variables
//! # (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_SAMPLER_ARG, OTEL_SERVICE_NAME,
//! # OTEL_RESOURCE_ATTRIBUTES) override this section.
//! otlp_endpoint = "http://otel-collector:4318"
//! # Fraction of batches traced (the same batches in every process). Default 1.
//! sampling_ratio = 1.0
//! # service.name. Default "rampart-aggregator".
//! # service_name = "rampart-aggregator"
//! # Extra resource attributes. Default none.
//! # resource_attributes = { "deployment.environment" = "mainnet" }
//! ```
//!
//! Relative paths are relative to the directory of the configuration file; unknown options are
//! errors.

use crate::service::ServiceError;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The whole file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `[chain]`.
    #[serde(default)]
    pub chain: ChainConfig,
    /// `[aggregator]`.
    pub aggregator: AggregatorConfig,
    /// `[http]`.
    #[serde(default)]
    pub http: HttpConfig,
    /// `[submission]`.
    #[serde(default)]
    pub submission: SubmissionConfig,
    /// `[slasher]`: the embedded slashing watcher.
    #[serde(default)]
    pub slasher: EmbeddedSlasherConfig,
    /// `[telemetry]`: trace export (off by default; `OTEL_*` variables override it).
    #[serde(default)]
    pub telemetry: rampart_telemetry::TelemetryConfig,
    /// The file this was loaded from (for messages).
    #[serde(skip)]
    pub source: PathBuf,
}

/// `[chain]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChainConfig {
    /// L1 JSON-RPC endpoint.
    pub rpc_url: String,
    /// Deployment file.
    pub deployment: PathBuf,
    /// Blocks an event must be buried under.
    pub confirmations: u64,
    /// Poll interval (ms).
    pub poll_interval_ms: u64,
}

impl Default for ChainConfig {
    fn default() -> Self {
        Self {
            rpc_url: "http://127.0.0.1:8545".into(),
            deployment: "deployment.json".into(),
            confirmations: 0,
            poll_interval_ms: 200,
        }
    }
}

/// `[aggregator]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AggregatorConfig {
    /// HTTP listen address.
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    /// Database URL or SQLite path.
    #[serde(default = "default_database")]
    pub database: String,
    /// geth keystore of the submitter key.
    pub ecdsa_keystore: Option<PathBuf>,
    /// Its password file.
    pub ecdsa_password_file: Option<PathBuf>,
    /// Hex key file of the submitter key.
    pub ecdsa_key_file: Option<PathBuf>,
    /// Wait after the threshold for more signers (ms).
    #[serde(default)]
    pub wait_window_ms: u64,
    /// Replica name in the leader lease.
    pub instance: Option<String>,
}

fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 9300))
}

fn default_database() -> String {
    "aggregator.sqlite".into()
}

/// `[http]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Largest body (bytes).
    pub max_body_bytes: usize,
    /// Request timeout (ms).
    pub request_timeout_ms: u64,
    /// Sustained per-operator rate (attestations/s).
    pub operator_rate_per_s: u32,
    /// Per-operator burst.
    pub operator_burst: u32,
    /// Requests in flight before 503.
    pub max_in_flight: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: 16 * 1024,
            request_timeout_ms: 10_000,
            operator_rate_per_s: 20,
            operator_burst: 200,
            max_in_flight: 8192,
        }
    }
}

/// `[submission]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SubmissionConfig {
    /// Blocks on top of a certificate before it is final.
    pub confirmations: u64,
    /// Replace an unmined transaction after this long (ms).
    pub bump_after_ms: u64,
    /// Fee increase per replacement (percent).
    pub fee_bump_percent: u64,
    /// Fee cap (gwei).
    pub max_fee_gwei: u64,
    /// Leader lease duration (ms).
    pub lease_ttl_ms: u64,
}

impl Default for SubmissionConfig {
    fn default() -> Self {
        Self {
            confirmations: 1,
            bump_after_ms: 6_000,
            fee_bump_percent: 25,
            max_fee_gwei: 1_000,
            lease_ttl_ms: 6_000,
        }
    }
}

/// `[slasher]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EmbeddedSlasherConfig {
    /// Run it.
    pub enabled: bool,
    /// Other aggregators' base URLs.
    pub aggregators: Vec<String>,
    /// Store draws of late jobs nobody stored.
    pub assign_jobs: bool,
    /// geth keystore of a separate paying key.
    pub ecdsa_keystore: Option<PathBuf>,
    /// Its password file.
    pub ecdsa_password_file: Option<PathBuf>,
    /// Hex key file of a separate paying key.
    pub ecdsa_key_file: Option<PathBuf>,
}

impl Default for EmbeddedSlasherConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            aggregators: Vec::new(),
            assign_jobs: true,
            ecdsa_keystore: None,
            ecdsa_password_file: None,
            ecdsa_key_file: None,
        }
    }
}

impl SubmissionConfig {
    /// The lease duration.
    pub fn lease_ttl(&self) -> Duration {
        Duration::from_millis(self.lease_ttl_ms)
    }
}

impl Config {
    /// Reads and checks `path`; relative paths become relative to its directory.
    pub fn load(path: &Path) -> Result<Self, ServiceError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ServiceError::Config(format!("{}: {e}", path.display())))?;
        let mut config = Self::parse(&text)
            .map_err(|e| ServiceError::Config(format!("{}: {e}", path.display())))?;
        config.source = path.to_owned();
        let base = path.parent().unwrap_or(Path::new("."));
        config.resolve(base);
        Ok(config)
    }

    /// Parses and checks a configuration (paths left as written).
    pub fn parse(text: &str) -> Result<Self, String> {
        let config: Self = toml::from_str(text).map_err(|e| e.message().to_string())?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), String> {
        let a = &self.aggregator;
        rampart_slasher::config::check_key_choice(
            "aggregator",
            "certificates",
            &a.ecdsa_keystore,
            &a.ecdsa_password_file,
            &a.ecdsa_key_file,
            true,
        )?;
        if self.http.max_body_bytes < 512 {
            return Err("http.max_body_bytes must be at least 512".into());
        }
        if self.http.operator_rate_per_s == 0 || self.http.operator_burst == 0 {
            return Err("http.operator_rate_per_s and http.operator_burst must be positive".into());
        }
        if self.submission.fee_bump_percent < 10 {
            return Err("submission.fee_bump_percent must be at least 10 (nodes refuse smaller \
                        replacements)"
                .into());
        }
        if self.submission.lease_ttl_ms < 300 {
            return Err("submission.lease_ttl_ms must be at least 300".into());
        }
        let sl = &self.slasher;
        rampart_slasher::config::check_key_choice(
            "slasher",
            "slashing transactions",
            &sl.ecdsa_keystore,
            &sl.ecdsa_password_file,
            &sl.ecdsa_key_file,
            false,
        )?;
        rampart_slasher::config::check_aggregators("slasher", &sl.aggregators)?;
        self.telemetry.validate().map_err(|e| e.to_string())?;
        Ok(())
    }

    fn resolve(&mut self, base: &Path) {
        let join = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        join(&mut self.chain.deployment);
        for p in [
            &mut self.aggregator.ecdsa_keystore,
            &mut self.aggregator.ecdsa_password_file,
            &mut self.aggregator.ecdsa_key_file,
            &mut self.slasher.ecdsa_keystore,
            &mut self.slasher.ecdsa_password_file,
            &mut self.slasher.ecdsa_key_file,
        ]
        .into_iter()
        .flatten()
        {
            join(p);
        }
        let db = &self.aggregator.database;
        if !db.contains(':') && Path::new(db).is_relative() {
            self.aggregator.database = base.join(db).display().to_string();
        }
    }

    /// This replica's name in the leader lease.
    pub fn instance(&self) -> String {
        self.aggregator.instance.clone().unwrap_or_else(|| {
            let host = std::fs::read_to_string("/etc/hostname")
                .map(|h| h.trim().to_string())
                .unwrap_or_else(|_| "localhost".into());
            // Two aggregators in one process (tests, the devnet) must not share a name.
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            format!("{host}-{}-{:05x}", std::process::id(), nanos & 0xfffff)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_config_takes_defaults() {
        let c = Config::parse("[aggregator]\necdsa_key_file = \"k\"\n").unwrap();
        assert_eq!(c.aggregator.listen.port(), 9300);
        assert_eq!(c.http.max_body_bytes, 16 * 1024);
        assert_eq!(c.submission.confirmations, 1);
        assert!(c.slasher.enabled && c.slasher.assign_jobs, "the slasher is on by default");
        assert!(c.slasher.ecdsa_key_file.is_none(), "and pays with the submitter key");
    }

    #[test]
    fn bad_configs_say_why() {
        for (text, needle) in [
            ("[aggregator]\n", "ecdsa_key_file"),
            ("[aggregator]\necdsa_keystore = \"a\"\n", "ecdsa_password_file"),
            ("[aggregator]\necdsa_key_file = \"k\"\nnope = 1\n", "unknown field"),
            (
                "[aggregator]\necdsa_key_file = \"k\"\n[submission]\nfee_bump_percent = 5\n",
                "at least 10",
            ),
            (
                "[aggregator]\necdsa_key_file = \"k\"\n[slasher]\necdsa_keystore = \"a\"\n",
                "slasher.ecdsa_keystore needs",
            ),
            (
                "[aggregator]\necdsa_key_file = \"k\"\n[slasher]\naggregators = [\"x\"]\n",
                "not a URL",
            ),
        ] {
            let err = Config::parse(text).unwrap_err();
            assert!(err.contains(needle), "{text:?}: {err}");
        }
    }

    #[test]
    fn relative_paths_follow_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agg.toml");
        std::fs::write(&path, "[aggregator]\necdsa_key_file = \"k\"\n").unwrap();
        let c = Config::load(&path).unwrap();
        assert_eq!(c.aggregator.ecdsa_key_file.unwrap(), dir.path().join("k"));
        assert_eq!(
            c.aggregator.database,
            dir.path().join("aggregator.sqlite").display().to_string()
        );
        assert_eq!(c.chain.deployment, dir.path().join("deployment.json"));
    }
}
