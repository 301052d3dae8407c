//! The operator's configuration file (TOML).
//!
//! Every option, with its default (options without one are required):
//!
//! ```toml
//! [chain]
//! # JSON-RPC endpoint of L1. Default "http://127.0.0.1:8545".
//! rpc_url = "http://127.0.0.1:8545"
//! # Deployment file (rampart_chain::Deployment) naming the contracts. Default "deployment.json".
//! deployment = "deployment.json"
//!
//! [operator]
//! # The ECDSA key of the operator's EigenLayer address, which signs every transaction. Either a
//! # geth v3 JSON keystore and its password file...
//! ecdsa_keystore = "keys/ecdsa.json"
//! ecdsa_password_file = "keys/ecdsa.pass"
//! # ...or instead a file holding the 0x-hex private key (warned about when world-readable):
//! # ecdsa_key_file = "keys/ecdsa.key"
//! # EIP-2335 keystore of the BLS key registered with Rampart, and its password file. Required.
//! bls_keystore = "keys/bls.json"
//! bls_password_file = "keys/bls.pass"
//! # Where aggregators and peers reach this operator, stored in the registry. Required.
//! socket = "127.0.0.1:9100"
//! # EigenLayer operator metadata URI, set when first registering as an operator. Default "".
//! metadata_uri = "https://example.invalid/operator.json"
//! # Blocks between an allocation and its taking effect, set when first registering as an
//! # EigenLayer operator (later changes go through EigenLayer directly). Default 0.
//! allocation_delay = 0
//! # Share (WAD: 1e18 = all) of each of the set's strategies allocated to the Rampart operator
//! # set; allocations below it are raised, never lowered. Default "1000000000000000000".
//! allocation_magnitude = "1000000000000000000"
//!
//! # Optional, local devnets only: refused unless the chain id is 31337 or the deployment's
//! # token is mintable.
//! [devnet]
//! # Mint test tokens and deposit them as self-stake until the operator's deposit reaches this.
//! # Default "100000000000000000000" (100 tokens).
//! stake = "100000000000000000000"
//! # Pass EigenLayer's delays with anvil_mine instead of stopping to wait. Default true.
//! mine_blocks = true
//!
//! # The daemon (`rampart operator run`).
//! [daemon]
//! # Slashing-protection database, outbox and L1 cursor live here. Default "data".
//! data_dir = "data"
//! # Slashing-protection database: "" for a SQLite file `protection.sqlite` in data_dir, or a
//! # postgres:// URL. Default "".
//! protection_db = ""
//! # Aggregators that receive every signed attestation (base URLs). Default [].
//! aggregators = ["http://127.0.0.1:9300"]
//! # Listen address of the EigenLayer node API and Prometheus /metrics. Default "127.0.0.1:9101".
//! node_api = "127.0.0.1:9101"
//! # Further L1 endpoints, tried when chain.rpc_url fails. Default [].
//! l1_fallback_urls = []
//! # L1 blocks to stay behind the head (reorg safety; a reorg deeper than this is still
//! # detected and re-processed). Default 0.
//! confirmations = 0
//! # Poll interval for L1 and L2, in milliseconds. Default 1000.
//! poll_interval_ms = 1000
//! # Drop an undelivered attestation from the outbox after this many seconds. Default 3600.
//! delivery_ttl_secs = 3600
//! # Groth16 backend of the proving-job worker: "auto" (CUDA when a usable device exists,
//! # otherwise the CPU), "cpu" or "cuda" (an error without a device). Default "auto".
//! prover_backend = "auto"
//!
//! # One table per rollup this operator attests; batches of other rollups are ignored.
//! [[rollups]]
//! # The rollup id in the attestation center. Required.
//! id = 1
//! # How the state is re-derived: "evm-rpc" reads the operator's own L2 node; "reference"
//! # fetches the reference rollup's batches from its sequencer, checks them against the L1
//! # commitment and re-executes them on the operator's own copy of the state. Default "evm-rpc".
//! source = "evm-rpc"
//! # evm-rpc: the operator's own L2 node; reference: the sequencer. Required.
//! rpc_url = "http://127.0.0.1:9545"
//! # reference only: the rollup's genesis file. Required there.
//! # genesis = "genesis.json"
//! # reference only: the Groth16 proving key of the rollup's batch circuit. When set, the
//! # daemon takes the rollup's proving jobs: it proves the batches assigned to it and, after a
//! # job's deadline, any batch the set is waiting on. It must match the verifying key the
//! # rollup registered on L1 (checked at start). Default: none (attest only; an operator drawn
//! # for a job it does not prove misses it).
//! # proving_key = "rollup-2.pk"
//! # Attest only blocks at or below this L2 head: "latest", "safe" or "finalized". Default "safe".
//! finality = "safe"
//!
//! # DANGEROUS, for devnet tests and demonstrations of slashing only: the daemon misbehaves on
//! # purpose and its operator gets slashed. The daemon refuses to start with any of these on
//! # unless the L1 chain id is 31337 (anvil). All off by default.
//! [dangerous_fault_injection]
//! # On every Nth batch (batch index divisible by N), also sign a second, conflicting checkpoint
//! # behind slashing protection's back and deliver both (equivocation). 0: never.
//! equivocate_every = 0
//! # On every Nth batch, sign a wrong state root instead of the re-derived one (the same wrong
//! # root on every faulty operator, so enough of them get it certified). 0: never.
//! wrong_root_every = 0
//! # Never prove: jobs drawn for this operator are missed.
//! skip_proving_jobs = false
//!
//! [telemetry]
//! # OTLP/HTTP endpoint for traces; empty: no export. Default "". The OTEL_* variables
//! # (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_SAMPLER_ARG, OTEL_SERVICE_NAME,
//! # OTEL_RESOURCE_ATTRIBUTES) override this section.
//! otlp_endpoint = "http://otel-collector:4318"
//! # Fraction of batches traced (the same batches in every process). Default 1.
//! sampling_ratio = 1.0
//! # service.name. Default "rampart-operator".
//! # service_name = "rampart-operator"
//! # Extra resource attributes. Default none.
//! # resource_attributes = { "deployment.environment" = "mainnet" }
//! ```
//!
//! Relative paths are relative to the directory of the configuration file. Plain-text secrets
//! (a private key or a password inside the file) are refused, and unknown options are errors.

use crate::{Error, Result};
use alloy::primitives::U256;
use serde::{Deserialize, Deserializer};
use std::path::{Path, PathBuf};

/// EigenLayer's unit of magnitude: 1e18 is all of an operator's stake in a strategy.
pub const WAD: u64 = 1_000_000_000_000_000_000;

/// Keys under which people commonly put secrets; refused with a clear message.
const SECRET_KEYS: &[&str] = &[
    "private_key",
    "privatekey",
    "ecdsa_private_key",
    "ecdsa_key",
    "ecdsa_secret_key",
    "bls_private_key",
    "bls_secret_key",
    "bls_key",
    "secret_key",
    "secret",
    "mnemonic",
    "password",
    "ecdsa_password",
    "bls_password",
];

/// The whole configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where L1 and the contracts are.
    #[serde(default)]
    pub chain: ChainConfig,
    /// The operator's keys and registration details.
    pub operator: OperatorConfig,
    /// Devnet conveniences (test stake, mining past delays).
    #[serde(default)]
    pub devnet: Option<DevnetConfig>,
    /// The daemon's settings.
    #[serde(default)]
    pub daemon: DaemonConfig,
    /// The rollups this operator attests.
    #[serde(default)]
    pub rollups: Vec<RollupConfig>,
    /// Trace export (`[telemetry]`; off by default; `OTEL_*` variables override it).
    #[serde(default)]
    pub telemetry: rampart_telemetry::TelemetryConfig,
    /// Deliberate misbehaviour for devnet slashing tests (`[dangerous_fault_injection]`).
    #[serde(default)]
    pub dangerous_fault_injection: FaultInjection,
    /// The file this was read from (empty when parsed from a string).
    #[serde(skip)]
    pub source: PathBuf,
}

/// `[chain]`. `Debug` shows the endpoint without path, query or credentials, which often
/// carry a provider's API key.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainConfig {
    /// JSON-RPC endpoint. Default `http://127.0.0.1:8545`.
    #[serde(default = "default_rpc_url")]
    pub rpc_url: String,
    /// The deployment file. Default `deployment.json`.
    #[serde(default = "default_deployment")]
    pub deployment: PathBuf,
}

impl ChainConfig {
    /// The endpoint as shown in messages: `scheme://host[:port]` only.
    pub fn endpoint_label(&self) -> String {
        endpoint_label(&self.rpc_url)
    }

    /// Replaces the full endpoint in `message` (transport errors quote it) by its label.
    pub(crate) fn redact(&self, message: &str) -> String {
        message.replace(self.rpc_url.trim(), &self.endpoint_label())
    }
}

impl std::fmt::Debug for ChainConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChainConfig")
            .field("rpc_url", &self.endpoint_label())
            .field("deployment", &self.deployment)
            .finish()
    }
}

impl Default for ChainConfig {
    fn default() -> Self {
        Self { rpc_url: default_rpc_url(), deployment: default_deployment() }
    }
}

/// `[operator]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperatorConfig {
    /// geth v3 JSON keystore of the ECDSA key (with `ecdsa_password_file`).
    #[serde(default)]
    pub ecdsa_keystore: Option<PathBuf>,
    /// Password file of `ecdsa_keystore` (one trailing newline is ignored).
    #[serde(default)]
    pub ecdsa_password_file: Option<PathBuf>,
    /// A file holding the 0x-hex ECDSA private key (instead of a keystore).
    #[serde(default)]
    pub ecdsa_key_file: Option<PathBuf>,
    /// EIP-2335 keystore of the BLS key.
    pub bls_keystore: PathBuf,
    /// Password file of `bls_keystore` (one trailing newline is ignored).
    pub bls_password_file: PathBuf,
    /// The operator's network address, stored in the registry.
    pub socket: String,
    /// EigenLayer operator metadata URI. Default empty.
    #[serde(default)]
    pub metadata_uri: String,
    /// Allocation delay (blocks) set when registering as an EigenLayer operator. Default 0.
    #[serde(default)]
    pub allocation_delay: u32,
    /// WAD share allocated to the Rampart set, in (0, 1e18]. Default 1e18 (all).
    #[serde(default = "default_magnitude", deserialize_with = "de_magnitude")]
    pub allocation_magnitude: u64,
}

/// Where the operator's ECDSA key comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EcdsaKeySource {
    /// An encrypted geth v3 JSON keystore and the file holding its password.
    Keystore {
        /// The keystore.
        keystore: PathBuf,
        /// Its password file.
        password_file: PathBuf,
    },
    /// A file holding the 0x-hex private key.
    KeyFile(PathBuf),
}

impl OperatorConfig {
    /// The configured ECDSA key source (exactly one must be given; checked at load).
    pub fn ecdsa_source(&self) -> Option<EcdsaKeySource> {
        match (&self.ecdsa_keystore, &self.ecdsa_password_file, &self.ecdsa_key_file) {
            (Some(keystore), Some(password_file), None) => Some(EcdsaKeySource::Keystore {
                keystore: keystore.clone(),
                password_file: password_file.clone(),
            }),
            (None, None, Some(file)) => Some(EcdsaKeySource::KeyFile(file.clone())),
            _ => None,
        }
    }
}

/// `[dangerous_fault_injection]`: deliberate faults, for devnet slashing tests and demos.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FaultInjection {
    /// Equivocate on batches whose index is divisible by this (0: never).
    pub equivocate_every: u64,
    /// Sign a wrong root on batches whose index is divisible by this (0: never).
    pub wrong_root_every: u64,
    /// Never prove.
    pub skip_proving_jobs: bool,
}

impl FaultInjection {
    /// Whether any fault is on.
    pub fn any(&self) -> bool {
        *self != Self::default()
    }

    /// Whether to equivocate on `batch`.
    pub fn equivocates(&self, batch: u64) -> bool {
        self.equivocate_every > 0 && batch.is_multiple_of(self.equivocate_every)
    }

    /// Whether to sign a wrong root for `batch`.
    pub fn lies(&self, batch: u64) -> bool {
        self.wrong_root_every > 0 && batch.is_multiple_of(self.wrong_root_every)
    }
}

/// `[devnet]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DevnetConfig {
    /// Self-stake to top up to by minting the test token. Default 100e18.
    #[serde(default = "default_stake", deserialize_with = "de_amount")]
    pub stake: U256,
    /// Mine past EigenLayer's delays with `anvil_mine`. Default true.
    #[serde(default = "default_true")]
    pub mine_blocks: bool,
}

impl Default for DevnetConfig {
    fn default() -> Self {
        Self { stake: default_stake(), mine_blocks: true }
    }
}

/// `[daemon]`: the long-running operator (`rampart operator run`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DaemonConfig {
    /// Data directory. Default `data`.
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// Slashing-protection database URL; empty for SQLite in the data directory. Default "".
    #[serde(default)]
    pub protection_db: String,
    /// Aggregator base URLs. Default none.
    #[serde(default)]
    pub aggregators: Vec<String>,
    /// Node API listen address. Default `127.0.0.1:9101`.
    #[serde(default = "default_node_api")]
    pub node_api: String,
    /// Fallback L1 endpoints. Default none.
    #[serde(default)]
    pub l1_fallback_urls: Vec<String>,
    /// L1 blocks to stay behind the head. Default 0.
    #[serde(default)]
    pub confirmations: u64,
    /// Poll interval in milliseconds. Default 1000.
    #[serde(default = "default_poll_ms")]
    pub poll_interval_ms: u64,
    /// Outbox entry lifetime in seconds. Default 3600.
    #[serde(default = "default_delivery_ttl")]
    pub delivery_ttl_secs: u64,
    /// Backend of the proving-job worker. Default `auto`.
    #[serde(default)]
    pub prover_backend: rampart_gpu_prover::BackendChoice,
}

impl Default for DaemonConfig {
    fn default() -> Self {
        Self {
            data_dir: default_data_dir(),
            protection_db: String::new(),
            aggregators: Vec::new(),
            node_api: default_node_api(),
            l1_fallback_urls: Vec::new(),
            confirmations: 0,
            poll_interval_ms: default_poll_ms(),
            delivery_ttl_secs: default_delivery_ttl(),
            prover_backend: rampart_gpu_prover::BackendChoice::Auto,
        }
    }
}

/// `[[rollups]]`: how one rollup's state is re-derived.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RollupConfig {
    /// Rollup id in the attestation center.
    pub id: u64,
    /// State source kind. Default `evm-rpc`.
    #[serde(default)]
    pub source: SourceKind,
    /// `evm-rpc`: the operator's own L2 node. `reference`: the sequencer serving batch data
    /// (checked against L1 and re-executed; never trusted).
    pub rpc_url: String,
    /// Finality required of an attested L2 block (`evm-rpc`). Default `safe`.
    #[serde(default)]
    pub finality: Finality,
    /// `reference`: the rollup's genesis file (accounts and tree depth). Required there.
    #[serde(default)]
    pub genesis: Option<PathBuf>,
    /// `reference`: the proving key of the rollup's batch circuit; set to take proving jobs.
    #[serde(default)]
    pub proving_key: Option<PathBuf>,
}

/// How a rollup's state is re-derived.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// The operator's own EVM L2 node (`eth_getBlockByNumber`).
    #[default]
    EvmRpc,
    /// Rampart's reference rollup: batches fetched from the sequencer, checked against the L1
    /// commitment and re-executed on the operator's own copy of the state.
    Reference,
}

/// Which L2 head bounds the blocks an operator attests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Finality {
    /// Any block the node has (no reorg protection on L2).
    Latest,
    /// Blocks at or below the `safe` head.
    #[default]
    Safe,
    /// Blocks at or below the `finalized` head.
    Finalized,
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("data")
}
fn default_node_api() -> String {
    "127.0.0.1:9101".into()
}
fn default_poll_ms() -> u64 {
    1000
}
fn default_delivery_ttl() -> u64 {
    3600
}

fn default_rpc_url() -> String {
    "http://127.0.0.1:8545".into()
}
fn default_deployment() -> PathBuf {
    "deployment.json".into()
}
fn default_magnitude() -> u64 {
    WAD
}
fn default_stake() -> U256 {
    U256::from(100u64) * U256::from(WAD)
}
fn default_true() -> bool {
    true
}

/// An integer given as a TOML integer or a decimal (or 0x-hex) string, `_` separators allowed.
fn de_amount<'de, D: Deserializer<'de>>(d: D) -> Result<U256, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(u64),
        Text(String),
    }
    match Raw::deserialize(d)? {
        Raw::Int(n) => Ok(U256::from(n)),
        Raw::Text(s) => {
            let s = s.trim().replace('_', "");
            s.parse::<U256>().map_err(|_| {
                serde::de::Error::custom("expected a non-negative integer (decimal or 0x-hex)")
            })
        }
    }
}

fn de_magnitude<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let value = de_amount(d)?;
    match u64::try_from(value) {
        Ok(m) if m > 0 && m <= WAD => Ok(m),
        _ => Err(serde::de::Error::custom(
            "allocation_magnitude must be in (0, 1000000000000000000] (WAD; 1e18 = all)",
        )),
    }
}

impl Config {
    /// Reads, checks and resolves a configuration file (relative paths become relative to its
    /// directory).
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::config(path, format!("cannot read: {e}")))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let mut config = Self::parse(&text, path, base)?;
        config.source = path.to_path_buf();
        Ok(config)
    }

    /// Parses configuration text; `path` names it in errors and `base` resolves relative paths.
    pub fn parse(text: &str, path: &Path, base: &Path) -> Result<Self> {
        // Syntax first, then a scan for secrets before any field is interpreted, so a key
        // pasted into the file is refused as such rather than reported as an unknown field.
        let table: toml::Table =
            toml::from_str(text).map_err(|e| Error::config(path, toml_message(&e, text)))?;
        if let Some(key) = find_secret(&table, "") {
            return Err(Error::PlaintextSecret { path: path.to_path_buf(), key });
        }
        let mut config: Self =
            toml::from_str(text).map_err(|e| Error::config(path, toml_message(&e, text)))?;
        config.check(path)?;
        config.resolve(base);
        config.source = path.to_path_buf();
        Ok(config)
    }

    fn check(&self, path: &Path) -> Result<()> {
        let op = &self.operator;
        if op.ecdsa_source().is_none() {
            let message = match (&op.ecdsa_keystore, &op.ecdsa_password_file, &op.ecdsa_key_file) {
                (None, None, None) => "no ECDSA key: set operator.ecdsa_keystore and \
                     operator.ecdsa_password_file, or operator.ecdsa_key_file"
                    .to_string(),
                (_, _, Some(_)) => "operator.ecdsa_key_file and operator.ecdsa_keystore / \
                     ecdsa_password_file are alternatives: set one"
                    .to_string(),
                (Some(_), None, None) => "operator.ecdsa_keystore needs \
                     operator.ecdsa_password_file"
                    .to_string(),
                _ => "operator.ecdsa_password_file needs operator.ecdsa_keystore".to_string(),
            };
            return Err(Error::config(path, message));
        }
        if op.socket.trim().is_empty() {
            return Err(Error::config(path, "operator.socket is empty"));
        }
        if self.chain.rpc_url.trim().is_empty() {
            return Err(Error::config(path, "chain.rpc_url is empty"));
        }
        self.telemetry.validate().map_err(|e| Error::config(path, e.to_string()))?;
        for rollup in &self.rollups {
            if rollup.source == SourceKind::Reference && rollup.genesis.is_none() {
                let message = format!("rollups.{}: source \"reference\" needs genesis", rollup.id);
                return Err(Error::config(path, message));
            }
            if rollup.source != SourceKind::Reference && rollup.proving_key.is_some() {
                let message = format!(
                    "rollups.{}: proving_key is for source \"reference\" (this rollup has no \
                     circuit Rampart proves)",
                    rollup.id
                );
                return Err(Error::config(path, message));
            }
        }
        Ok(())
    }

    fn resolve(&mut self, base: &Path) {
        let fix = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        fix(&mut self.chain.deployment);
        let op = &mut self.operator;
        for p in [&mut op.ecdsa_keystore, &mut op.ecdsa_password_file, &mut op.ecdsa_key_file]
            .into_iter()
            .flatten()
        {
            fix(p);
        }
        fix(&mut op.bls_keystore);
        fix(&mut op.bls_password_file);
        fix(&mut self.daemon.data_dir);
        for rollup in &mut self.rollups {
            for p in [&mut rollup.genesis, &mut rollup.proving_key].into_iter().flatten() {
                fix(p);
            }
        }
    }
}

pub use rampart_telemetry::endpoint_label;

/// The first key that holds a secret in plain text: a key named like one, or any string that
/// looks like a 32-byte hex private key.
fn find_secret(table: &toml::Table, prefix: &str) -> Option<String> {
    for (key, value) in table {
        let full = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        if SECRET_KEYS.contains(&key.to_ascii_lowercase().as_str()) {
            return Some(full);
        }
        match value {
            toml::Value::String(s) if looks_like_private_key(s) => return Some(full),
            toml::Value::Table(inner) => {
                if let Some(found) = find_secret(inner, &full) {
                    return Some(found);
                }
            }
            _ => {}
        }
    }
    None
}

fn looks_like_private_key(s: &str) -> bool {
    let hex = s.trim().trim_start_matches("0x").trim_start_matches("0X");
    hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A TOML error as `line N: message`, without quoting the source line (it could hold a secret).
fn toml_message(e: &toml::de::Error, text: &str) -> String {
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {}", e.message())
        }
        None => e.message().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[operator]
ecdsa_key_file = "keys/ecdsa.key"
bls_keystore = "keys/bls.json"
bls_password_file = "/abs/bls.pass"
socket = "127.0.0.1:9100"
"#;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(text, Path::new("/cfg/operator.toml"), Path::new("/cfg"))
    }

    #[test]
    fn defaults_and_relative_paths() {
        let c = parse(MINIMAL).unwrap();
        assert_eq!(c.chain.rpc_url, "http://127.0.0.1:8545");
        assert_eq!(c.chain.deployment, Path::new("/cfg/deployment.json"));
        assert_eq!(
            c.operator.ecdsa_source(),
            Some(EcdsaKeySource::KeyFile("/cfg/keys/ecdsa.key".into()))
        );
        assert_eq!(c.operator.bls_keystore, Path::new("/cfg/keys/bls.json"));
        assert_eq!(c.operator.bls_password_file, Path::new("/abs/bls.pass"));
        assert_eq!(c.operator.allocation_magnitude, WAD);
        assert_eq!(c.operator.allocation_delay, 0);
        assert!(c.devnet.is_none());
        assert!(!c.dangerous_fault_injection.any(), "no fault is injected by default");
    }

    #[test]
    fn injected_faults_pick_their_batches() {
        let text = format!(
            "{MINIMAL}\n[dangerous_fault_injection]\nequivocate_every = 3\nwrong_root_every = 2\n"
        );
        let f = parse(&text).unwrap().dangerous_fault_injection;
        assert!(f.any() && !f.skip_proving_jobs);
        assert_eq!((0..7).filter(|b| f.equivocates(*b)).collect::<Vec<_>>(), [0, 3, 6]);
        assert_eq!((0..7).filter(|b| f.lies(*b)).collect::<Vec<_>>(), [0, 2, 4, 6]);
        let never = FaultInjection { skip_proving_jobs: true, ..Default::default() };
        assert!(never.any() && !never.equivocates(0) && !never.lies(0));
        let typo = format!("{MINIMAL}\n[dangerous_fault_injection]\nequivocate = true\n");
        assert!(parse(&typo).unwrap_err().to_string().contains("unknown field"));
    }

    #[test]
    fn debug_hides_the_endpoint_path_and_credentials() {
        let text = MINIMAL.replace(
            "[operator]",
            "[chain]\nrpc_url = \"https://user:pw@eth.example/v3/APIKEY123\"\n[operator]",
        );
        let c = parse(&text).unwrap();
        assert_eq!(c.chain.endpoint_label(), "https://eth.example/…");
        let debug = format!("{c:?}");
        assert!(!debug.contains("APIKEY123") && !debug.contains("pw@"), "{debug}");
        assert!(debug.contains("bls_keystore"), "{debug}");
        let plain = parse(MINIMAL).unwrap();
        assert_eq!(plain.chain.endpoint_label(), "http://127.0.0.1:8545");
        let redacted = c
            .chain
            .redact("error sending request for url (https://user:pw@eth.example/v3/APIKEY123)");
        assert!(!redacted.contains("APIKEY123"), "{redacted}");
    }

    #[test]
    fn proving_keys_are_for_reference_rollups_and_resolve_relative_paths() {
        let text = format!(
            "{MINIMAL}\n[daemon]\nprover_backend = \"cpu\"\n\n[[rollups]]\nid = 2\nsource = \"reference\"\n\
             rpc_url = \"http://127.0.0.1:9302\"\ngenesis = \"genesis.json\"\nproving_key = \"keys/r2.pk\"\n"
        );
        let c = parse(&text).unwrap();
        assert_eq!(c.daemon.prover_backend, rampart_gpu_prover::BackendChoice::Cpu);
        assert_eq!(c.rollups[0].proving_key.as_deref(), Some(Path::new("/cfg/keys/r2.pk")));
        assert_eq!(c.rollups[0].genesis.as_deref(), Some(Path::new("/cfg/genesis.json")));
        assert_eq!(parse(MINIMAL).unwrap().daemon.prover_backend, Default::default());

        let evm = format!(
            "{MINIMAL}\n[[rollups]]\nid = 1\nrpc_url = \"http://127.0.0.1:9545\"\nproving_key = \"r.pk\"\n"
        );
        let err = parse(&evm).unwrap_err().to_string();
        assert!(err.contains("rollups.1: proving_key is for source \"reference\""), "{err}");
        let bad = format!("{MINIMAL}\n[daemon]\nprover_backend = \"tpu\"\n");
        let err = parse(&bad).unwrap_err().to_string();
        assert!(err.contains("prover_backend") || err.contains("tpu"), "{err}");
    }

    #[test]
    fn devnet_section_and_amounts() {
        let text = format!(
            "{MINIMAL}allocation_magnitude = 500_000_000_000_000_000\n[devnet]\nstake = \"2_000\"\n"
        );
        let c = parse(&text).unwrap();
        assert_eq!(c.operator.allocation_magnitude, WAD / 2);
        let devnet = c.devnet.unwrap();
        assert_eq!(devnet.stake, U256::from(2000));
        assert!(devnet.mine_blocks);
        let c = parse(&format!("{MINIMAL}[devnet]\n")).unwrap();
        assert_eq!(c.devnet.unwrap().stake, U256::from(100u64) * U256::from(WAD));
    }

    #[test]
    fn refuses_plaintext_secrets_without_echoing_them() {
        let secret = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
        for text in [
            format!("{MINIMAL}private_key = \"0x{secret}\"\n"),
            format!("{MINIMAL}metadata_uri = \"{secret}\"\n"),
            format!("{MINIMAL}bls_password = \"hunter2\"\n"),
        ] {
            let err = parse(&text).unwrap_err();
            assert!(matches!(err, Error::PlaintextSecret { .. }), "{err}");
            let message = err.to_string();
            assert!(!message.contains(secret) && !message.contains("hunter2"), "{message}");
            assert!(message.contains("plain text"), "{message}");
        }
    }

    #[test]
    fn refuses_unknown_fields_and_bad_values() {
        let err = parse(&format!("{MINIMAL}typo = 1\n")).unwrap_err().to_string();
        assert!(err.contains("unknown field `typo`"), "{err}");
        let err = parse(&format!("{MINIMAL}allocation_magnitude = \"2000000000000000000\"\n"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("allocation_magnitude must be in"), "{err}");
        let both = MINIMAL.replace(
            "ecdsa_key_file = \"keys/ecdsa.key\"",
            "ecdsa_key_file = \"a\"\necdsa_keystore = \"b\"\necdsa_password_file = \"c\"",
        );
        assert!(parse(&both).unwrap_err().to_string().contains("alternatives"));
        let none = MINIMAL.replace("ecdsa_key_file = \"keys/ecdsa.key\"", "");
        assert!(parse(&none).unwrap_err().to_string().contains("no ECDSA key"));
        let err = parse("[operator\n").unwrap_err().to_string();
        assert!(err.contains("line 1"), "{err}");
    }
}
