//! Command-line arguments.

use alloy_primitives::Address;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Rampart: restaked attestation and proving network for rollups (EigenLayer AVS).
#[derive(Debug, Parser)]
#[command(name = "rampart", version, about, propagate_version = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create and use BLS keys (EIP-2335 keystores).
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Onboard an operator through EigenLayer into Rampart, and inspect or undo it.
    #[command(subcommand)]
    Operator(OperatorCommand),
    /// Run the aggregator: verify and aggregate attestations, certify batches on L1.
    #[command(subcommand)]
    Aggregator(AggregatorCommand),
    /// Watch L1 and aggregators' evidence and slash every objective fault (also runs inside
    /// the aggregator by default).
    #[command(subcommand)]
    Slasher(SlasherCommand),
    /// Run a complete local network: anvil, real EigenLayer core, Rampart, operators.
    Devnet(DevnetArgs),
    /// Move slashing-protection history between databases (EIP-3076-style interchange JSON).
    #[command(subcommand)]
    SlashingProtection(SlashingProtectionCommand),
    /// The Groth16 proving engine: which backend this machine gets, and benchmarks.
    #[command(subcommand)]
    Prover(ProverCommand),
    /// Rampart's reference rollup: sequencer, transaction generator, genesis files.
    #[command(subcommand)]
    Rollup(RollupCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum RollupCommand {
    /// Run the sequencer: transaction intake, batching, commits on L1, batch data.
    Sequencer {
        /// Configuration file (see the rampart-sequencer crate's `config` docs).
        #[arg(long, value_name = "FILE")]
        config: PathBuf,
    },
    /// Send random transfers between devnet accounts to a sequencer.
    Generate {
        /// The sequencer's API.
        #[arg(long, default_value = "http://127.0.0.1:9302")]
        sequencer: String,
        /// The rollup's genesis file (devnet accounts).
        #[arg(long, value_name = "FILE")]
        genesis: PathBuf,
        /// Seed the genesis account keys were derived from.
        #[arg(long, default_value = "rampart-devnet")]
        seed: String,
        /// Transfers per second.
        #[arg(long, default_value_t = 10.0)]
        rate: f64,
        /// Stop after this many accepted transfers.
        #[arg(long)]
        count: Option<u64>,
    },
    /// Write a devnet genesis: funded accounts with keys derived from a seed (test keys).
    Genesis {
        /// The rollup id it is registered under.
        #[arg(long)]
        rollup_id: u64,
        /// Account tree depth.
        #[arg(long, default_value_t = 8)]
        depth: usize,
        /// Number of accounts.
        #[arg(long, default_value_t = 16)]
        accounts: u32,
        /// Balance of each.
        #[arg(long, default_value_t = 1_000_000_000)]
        balance: u64,
        /// Key seed.
        #[arg(long, default_value = "rampart-devnet")]
        seed: String,
        /// Output file.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Development key setup for the rollup's batch circuit: writes the proving key (operators
    /// set `proving_key` to it) and the verifying key as JSON (for `registerProofConfig`).
    /// Whoever runs it can forge proofs: devnets and tests only.
    Setup {
        /// The rollup's genesis file (rollup id and tree depth).
        #[arg(long, value_name = "FILE")]
        genesis: PathBuf,
        /// Transfer slots per proof: the sequencer's max_batch_txs must not exceed it.
        #[arg(long)]
        batch_size: usize,
        /// Proving key output file.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ProverCommand {
    /// Print the backend `--backend` resolves to on this machine, and why.
    Backend {
        /// auto, cpu or cuda.
        #[arg(long, default_value = "auto")]
        backend: String,
    },
    /// Measure MSMs, NTTs and whole proofs against arkworks in the same run.
    Bench(ProverBenchArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ProverBenchArgs {
    /// log2 sizes of G1 MSMs (comma-separated; empty for none).
    #[arg(long, value_delimiter = ',', default_value = "16")]
    pub(crate) msm: Vec<u32>,
    /// log2 sizes of G2 MSMs.
    #[arg(long, value_delimiter = ',', default_value = "14")]
    pub(crate) msm_g2: Vec<u32>,
    /// log2 sizes of NTTs.
    #[arg(long, value_delimiter = ',', default_value = "16")]
    pub(crate) ntt: Vec<u32>,
    /// log2 domain sizes of whole Groth16 proofs (2^k - 3 constraints each).
    #[arg(long, value_delimiter = ',', default_value = "14")]
    pub(crate) groth16: Vec<u32>,
    /// auto (CPU, plus CUDA when usable), cpu or cuda.
    #[arg(long, default_value = "auto")]
    pub(crate) backend: String,
    /// Timed runs per row after one warm-up (the median is reported).
    #[arg(long, default_value_t = 5)]
    pub(crate) samples: usize,
    /// Also write the rows as JSON here.
    #[arg(long, value_name = "FILE")]
    pub(crate) json: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum AggregatorCommand {
    /// Serve the HTTP API, follow L1 and submit certificates until Ctrl-C or SIGTERM.
    Run(AggregatorRunArgs),
}

#[derive(Debug, Args)]
pub(crate) struct AggregatorRunArgs {
    /// Aggregator configuration (TOML).
    #[arg(long, env = "RAMPART_AGGREGATOR_CONFIG")]
    pub(crate) config: PathBuf,
    /// Override `chain.rpc_url`.
    #[arg(long, env = "RAMPART_L1_RPC_URL")]
    pub(crate) l1_rpc_url: Option<String>,
    /// Override `aggregator.database` (sqlite path or URL, or postgres:// URL).
    #[arg(long, env = "RAMPART_AGGREGATOR_DATABASE")]
    pub(crate) database: Option<String>,
    /// Override `aggregator.listen`.
    #[arg(long, env = "RAMPART_AGGREGATOR_LISTEN")]
    pub(crate) listen: Option<std::net::SocketAddr>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum SlasherCommand {
    /// Find faults and submit them to RampartSlasher (each once) until Ctrl-C or SIGTERM;
    /// serves /health and /metrics.
    Run(SlasherArgs),
    /// Print every fault the slasher recorded and what became of it (JSON lines).
    Faults(SlasherArgs),
}

#[derive(Debug, Args)]
pub(crate) struct SlasherArgs {
    /// Slasher configuration (TOML; see the rampart-slasher crate's `config` docs).
    #[arg(long, env = "RAMPART_SLASHER_CONFIG")]
    pub(crate) config: PathBuf,
    /// Override `chain.rpc_url`.
    #[arg(long, env = "RAMPART_L1_RPC_URL")]
    pub(crate) l1_rpc_url: Option<String>,
    /// Override `slasher.database` (sqlite path or URL, or postgres:// URL).
    #[arg(long, env = "RAMPART_SLASHER_DATABASE")]
    pub(crate) database: Option<String>,
    /// Override `slasher.listen`.
    #[arg(long, env = "RAMPART_SLASHER_LISTEN")]
    pub(crate) listen: Option<std::net::SocketAddr>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum SlashingProtectionCommand {
    /// Write every checkpoint this operator's key signed as interchange JSON.
    Export(ProtectionExportArgs),
    /// Merge an interchange file into the database (never lowers protection).
    Import(ProtectionImportArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ProtectionExportArgs {
    #[command(flatten)]
    pub(crate) config: OperatorConfigArgs,
    /// Write here instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct ProtectionImportArgs {
    #[command(flatten)]
    pub(crate) config: OperatorConfigArgs,
    /// The interchange file.
    #[arg(long, value_name = "FILE")]
    pub(crate) file: PathBuf,
}

#[derive(Debug, Subcommand)]
pub(crate) enum OperatorCommand {
    /// Register in EigenLayer (if needed), allocate to the Rampart operator set and register
    /// the BLS key with a proof of possession. Idempotent: re-running reports the state.
    Register(OperatorConfigArgs),
    /// Show registration, key, stake and operator set.
    Status(OperatorStatusArgs),
    /// Leave the Rampart operator set.
    Deregister(OperatorConfigArgs),
    /// Run the operator daemon: follow L1, attest committed batches, deliver to aggregators,
    /// serve the EigenLayer node API and metrics. Stops on Ctrl-C / SIGTERM.
    Run(OperatorRunArgs),
}

/// `rampart operator run`. Flags (or their environment variables) override the config file.
#[derive(Debug, Args)]
pub(crate) struct OperatorRunArgs {
    #[command(flatten)]
    pub(crate) config: OperatorConfigArgs,
    /// Override `chain.rpc_url`.
    #[arg(long, env = "RAMPART_L1_RPC_URL", value_name = "URL", help_heading = "Overrides")]
    pub(crate) l1_rpc_url: Option<String>,
    /// Override `daemon.data_dir`.
    #[arg(long, env = "RAMPART_DATA_DIR", value_name = "DIR", help_heading = "Overrides")]
    pub(crate) data_dir: Option<PathBuf>,
    /// Override `daemon.node_api` (listen address of the node API and /metrics).
    #[arg(long, env = "RAMPART_NODE_API", value_name = "ADDR", help_heading = "Overrides")]
    pub(crate) node_api: Option<String>,
    /// Override `daemon.protection_db` (slashing-protection database URL).
    #[arg(long, env = "RAMPART_PROTECTION_DB", value_name = "URL", help_heading = "Overrides")]
    pub(crate) protection_db: Option<String>,
    /// Add an aggregator (repeatable; replaces `daemon.aggregators` when given).
    #[arg(
        long = "aggregator",
        env = "RAMPART_AGGREGATORS",
        value_delimiter = ',',
        value_name = "URL",
        help_heading = "Overrides"
    )]
    pub(crate) aggregators: Vec<String>,
}

/// The operator's configuration file.
#[derive(Debug, Args)]
pub(crate) struct OperatorConfigArgs {
    /// Operator configuration (TOML).
    #[arg(long, value_name = "FILE")]
    pub(crate) config: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct OperatorStatusArgs {
    #[command(flatten)]
    pub(crate) config: OperatorConfigArgs,
    /// Print the status as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct DevnetArgs {
    /// Number of operators to create and register.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=128))]
    pub(crate) operators: u32,
    /// Directory for keys, configs and the deployment file (created; reused if it exists).
    #[arg(long, value_name = "DIR", default_value = ".devnet")]
    pub(crate) data_dir: PathBuf,
    /// L1 (anvil) RPC port.
    #[arg(long, default_value_t = 8545)]
    pub(crate) port: u16,
    /// First port of the services: aggregator on it, L2 RPC on +1, operator node APIs from
    /// +100 (with `--port 0`, every port is picked by the OS).
    #[arg(long, default_value_t = 9300)]
    pub(crate) services_port: u16,
    /// Time between L2 batches committed to L1, in milliseconds.
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(100..))]
    pub(crate) batch_interval_ms: u64,
    /// Run the operator daemons and the aggregator as tasks of this process instead of as
    /// child processes (`rampart operator run`, `rampart aggregator run`, logging to files in
    /// the data directory).
    #[arg(long)]
    pub(crate) in_process: bool,
    /// Do not run the reference rollup (sequencer, transaction generator) beside the EVM L2.
    #[arg(long)]
    pub(crate) no_reference_rollup: bool,
    /// Transfers per reference-rollup batch (the batch circuit's size: a proving key per size
    /// is set up once and cached in the data directory's `keys/`).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub(crate) rollup_batch_txs: u64,
    /// Longest a reference-rollup batch waits for more transfers after its first one, in
    /// milliseconds (a batch is sealed earlier when full).
    #[arg(long, default_value_t = 4000, value_parser = clap::value_parser!(u64).range(100..))]
    pub(crate) rollup_batch_interval_ms: u64,
    /// Transfers per second the devnet's generator sends to the reference rollup. The default
    /// keeps CPU proving on a two-core machine abreast of the batches.
    #[arg(long, default_value_t = 0.75)]
    pub(crate) rollup_tx_rate: f64,
    /// Run the reference rollup without validity proofs (no proof configuration, no proving
    /// jobs): certificates only.
    #[arg(long)]
    pub(crate) no_proofs: bool,
    /// Make the last N operators byzantine (DANGEROUS fault injection, devnet only): they
    /// equivocate on every third batch, sign a wrong state root on every second, and skip their
    /// proving jobs. The aggregator's slasher catches them; the summary shows each slash.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub(crate) byzantine: u32,
    /// Start, print the summary and `ready`, then stop instead of running until Ctrl-C.
    #[arg(long, hide = true)]
    pub(crate) exit_when_ready: bool,
    /// Stop after this many certificates have landed, printing latency figures.
    #[arg(long, hide = true)]
    pub(crate) exit_after_certificates: Option<usize>,
    /// Stop after this many proofs have landed (and the certificates asked for), printing
    /// latency figures.
    #[arg(long, hide = true)]
    pub(crate) exit_after_proofs: Option<usize>,
    /// Exit after this many slashes (tests and benchmarks).
    #[arg(long, hide = true)]
    pub(crate) exit_after_slashes: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum KeysCommand {
    /// Generate new BLS keys, each written to an encrypted keystore file.
    New(KeysNewArgs),
    /// Decrypt a keystore and show its public key and derivation path.
    Inspect(KeysInspectArgs),
    /// Produce the proof of possession that registers a key for an operator.
    Pop(KeysPopArgs),
}

/// The key-derivation function of new keystores.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum KdfArg {
    /// scrypt, n = 2^18, r = 8, p = 1 (~256 MiB, about a second).
    Scrypt,
    /// PBKDF2-HMAC-SHA256, c = 2^18.
    Pbkdf2,
}

#[derive(Debug, Args)]
pub(crate) struct KeysNewArgs {
    /// Directory for the keystore files (created if missing).
    #[arg(long, value_name = "DIR")]
    pub(crate) out_dir: PathBuf,
    /// File holding the keystore password (one trailing newline is ignored).
    #[arg(long, value_name = "FILE")]
    pub(crate) password_file: PathBuf,
    /// Number of keys to create.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub(crate) count: u32,
    /// Key-derivation function protecting the keystores.
    #[arg(long, value_enum, default_value_t = KdfArg::Scrypt)]
    pub(crate) kdf: KdfArg,
    /// Print a JSON array of {pubkey, keystore} instead of one public key per line.
    #[arg(long)]
    pub(crate) json: bool,
}

/// A keystore and its password.
#[derive(Debug, Args)]
pub(crate) struct KeystoreArgs {
    /// EIP-2335 keystore file.
    #[arg(long, value_name = "FILE")]
    pub(crate) keystore: PathBuf,
    /// File holding the keystore password (one trailing newline is ignored).
    #[arg(long, value_name = "FILE")]
    pub(crate) password_file: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct KeysInspectArgs {
    #[command(flatten)]
    pub(crate) keystore: KeystoreArgs,
    /// Print `{"pubkey", "path"}` as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct KeysPopArgs {
    #[command(flatten)]
    pub(crate) keystore: KeystoreArgs,
    /// The operator's EigenLayer (ECDSA) address the key is registered for.
    #[arg(long, value_name = "0xADDR")]
    pub(crate) operator: Address,
    /// Chain id of the registry's chain (EIP-712 domain).
    #[arg(long, value_name = "N")]
    pub(crate) chain_id: u64,
    /// The Rampart operator registry contract (EIP-712 verifying contract).
    #[arg(long, value_name = "0xADDR")]
    pub(crate) registry: Address,
    /// Print `{"pubkey", "pubkey_eip2537", "message", "signature", "signature_eip2537"}` as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
