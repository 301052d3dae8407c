//! `rampart slasher run`'s configuration file (TOML).
//!
//! Every option, with its default (options without one are required):
//!
//! ```toml
//! [chain]
//! # JSON-RPC endpoint of L1. Default "http://127.0.0.1:8545".
//! rpc_url = "http://127.0.0.1:8545"
//! # Deployment file (rampart_chain::Deployment) naming the contracts. Default "deployment.json".
//! deployment = "deployment.json"
//! # L1 blocks an event must be buried under before it is read. Default 0.
//! confirmations = 0
//! # How often L1 and the aggregators are polled, in milliseconds. Default 1000.
//! poll_interval_ms = 1000
//!
//! [slasher]
//! # Listen address of /health and /metrics. Default "127.0.0.1:9400".
//! listen = "127.0.0.1:9400"
//! # Database of fault records: a sqlite:// URL or a file path (default: "slasher.sqlite" next
//! # to this file), or a postgres:// URL.
//! database = "slasher.sqlite"
//! # The ECDSA key that pays for slashing transactions: a geth v3 keystore and its password
//! # file, or a file holding the 0x-hex private key. One of the two is required.
//! ecdsa_keystore = "keys/slasher.json"
//! ecdsa_password_file = "keys/slasher.pass"
//! # ecdsa_key_file = "keys/slasher.key"
//! # Aggregators whose equivocation evidence (GET /v1/evidence) is polled. Default none.
//! aggregators = ["http://aggregator:9300"]
//! # Store the draw of a proving job past its deadline when nobody did (assignJob), so a prover
//! # that skips its job entirely can be slashed. Costs gas only then. Default true.
//! assign_jobs = true
//! # Never pay more than this per gas, in gwei. Default 1000.
//! max_fee_gwei = 1000
//!
//! [telemetry]
//! # As the aggregator's: OTLP endpoint, sampling ratio, service name (default
//! # "rampart-slasher"), resource attributes; the OTEL_* variables override it.
//! ```
//!
//! Relative paths are relative to the directory of the configuration file; unknown options are
//! errors.

use crate::Error;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The whole file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `[chain]`.
    #[serde(default)]
    pub chain: ChainConfig,
    /// `[slasher]`.
    pub slasher: SlasherConfig,
    /// `[telemetry]`.
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
            poll_interval_ms: 1000,
        }
    }
}

/// `[slasher]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlasherConfig {
    /// Listen address of `/health` and `/metrics`.
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    /// Database URL or SQLite path.
    #[serde(default = "default_database")]
    pub database: String,
    /// geth keystore of the paying key.
    pub ecdsa_keystore: Option<PathBuf>,
    /// Its password file.
    pub ecdsa_password_file: Option<PathBuf>,
    /// Hex key file of the paying key.
    pub ecdsa_key_file: Option<PathBuf>,
    /// Aggregator base URLs polled for evidence.
    #[serde(default)]
    pub aggregators: Vec<String>,
    /// Store draws of late jobs nobody stored.
    #[serde(default = "yes")]
    pub assign_jobs: bool,
    /// Fee cap (gwei).
    #[serde(default = "default_max_fee")]
    pub max_fee_gwei: u64,
}

fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 9400))
}

fn default_database() -> String {
    "slasher.sqlite".into()
}

fn yes() -> bool {
    true
}

fn default_max_fee() -> u64 {
    1000
}

/// Checks that a key is named one way: keystore + password file, or key file (`purpose` says
/// what it pays for, in the message when none is named).
pub fn check_key_choice(
    section: &str,
    purpose: &str,
    keystore: &Option<PathBuf>,
    password: &Option<PathBuf>,
    key_file: &Option<PathBuf>,
    required: bool,
) -> Result<(), String> {
    match (keystore, password, key_file) {
        (Some(_), Some(_), None) | (None, None, Some(_)) => Ok(()),
        (None, None, None) if !required => Ok(()),
        (None, None, None) => Err(format!(
            "{section}: set ecdsa_keystore + ecdsa_password_file, or ecdsa_key_file (the key \
             that pays for {purpose})"
        )),
        (Some(_), None, None) => {
            Err(format!("{section}.ecdsa_keystore needs {section}.ecdsa_password_file"))
        }
        _ => Err(format!(
            "{section}: use either ecdsa_keystore + ecdsa_password_file or ecdsa_key_file, not both"
        )),
    }
}

/// Checks aggregator base URLs (http or https, no query).
pub fn check_aggregators(section: &str, urls: &[String]) -> Result<(), String> {
    for url in urls {
        let parsed = reqwest::Url::parse(url)
            .map_err(|e| format!("{section}.aggregators: {url:?} is not a URL: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.query().is_some() {
            return Err(format!(
                "{section}.aggregators: {url:?} must be an http(s) base URL without a query"
            ));
        }
    }
    Ok(())
}

impl Config {
    /// Reads and checks `path`; relative paths become relative to its directory.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Config(format!("{}: {e}", path.display())))?;
        let mut config =
            Self::parse(&text).map_err(|e| Error::Config(format!("{}: {e}", path.display())))?;
        config.source = path.to_owned();
        config.resolve(path.parent().unwrap_or(Path::new(".")));
        Ok(config)
    }

    /// Parses and checks a configuration (paths left as written).
    pub fn parse(text: &str) -> Result<Self, String> {
        let config: Self = toml::from_str(text).map_err(|e| e.message().to_string())?;
        let s = &config.slasher;
        check_key_choice(
            "slasher",
            "slashing transactions",
            &s.ecdsa_keystore,
            &s.ecdsa_password_file,
            &s.ecdsa_key_file,
            true,
        )?;
        check_aggregators("slasher", &s.aggregators)?;
        if s.max_fee_gwei == 0 {
            return Err("slasher.max_fee_gwei must be positive".into());
        }
        config.telemetry.validate().map_err(|e| e.to_string())?;
        Ok(config)
    }

    fn resolve(&mut self, base: &Path) {
        let join = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        join(&mut self.chain.deployment);
        let s = &mut self.slasher;
        for p in [&mut s.ecdsa_keystore, &mut s.ecdsa_password_file, &mut s.ecdsa_key_file]
            .into_iter()
            .flatten()
        {
            join(p);
        }
        if !s.database.contains(':') && Path::new(&s.database).is_relative() {
            s.database = base.join(&s.database).display().to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_config_takes_defaults() {
        let c = Config::parse("[slasher]\necdsa_key_file = \"k\"\n").unwrap();
        assert_eq!(c.slasher.listen.port(), 9400);
        assert!(c.slasher.assign_jobs);
        assert!(c.slasher.aggregators.is_empty());
        assert_eq!(c.chain.poll_interval_ms, 1000);
    }

    #[test]
    fn bad_configs_say_why() {
        for (text, needle) in [
            ("[slasher]\n", "ecdsa_key_file"),
            ("[slasher]\necdsa_keystore = \"a\"\n", "ecdsa_password_file"),
            (
                "[slasher]\necdsa_key_file = \"k\"\necdsa_keystore = \"a\"\n\
                 ecdsa_password_file = \"p\"\n",
                "not both",
            ),
            ("[slasher]\necdsa_key_file = \"k\"\nnope = 1\n", "unknown field"),
            ("[slasher]\necdsa_key_file = \"k\"\naggregators = [\"ftp://a\"]\n", "http(s)"),
            ("[slasher]\necdsa_key_file = \"k\"\naggregators = [\"not a url\"]\n", "not a URL"),
        ] {
            let err = Config::parse(text).unwrap_err();
            assert!(err.contains(needle), "{text:?}: {err}");
        }
    }

    #[test]
    fn relative_paths_follow_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("slasher.toml");
        std::fs::write(&path, "[slasher]\necdsa_key_file = \"k\"\n").unwrap();
        let c = Config::load(&path).unwrap();
        assert_eq!(c.slasher.ecdsa_key_file.unwrap(), dir.path().join("k"));
        assert_eq!(c.slasher.database, dir.path().join("slasher.sqlite").display().to_string());
        assert_eq!(c.chain.deployment, dir.path().join("deployment.json"));
    }
}
