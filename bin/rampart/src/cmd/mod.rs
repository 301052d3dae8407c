//! Subcommands, one file each.

mod aggregator;
mod devnet;
mod keys;
mod operator;
mod prover;
mod rollup;
mod slasher;
mod slashing_protection;

use crate::cli::{Cli, Command};

/// Runs the parsed command line.
pub(crate) fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Keys(cmd) => keys::run(cmd),
        Command::Operator(cmd) => operator::run(cmd),
        Command::Aggregator(cmd) => aggregator::run(cmd),
        Command::Slasher(cmd) => slasher::run(cmd),
        Command::Devnet(args) => devnet::run(args),
        Command::SlashingProtection(cmd) => slashing_protection::run(cmd),
        Command::Prover(cmd) => prover::run(cmd),
        Command::Rollup(cmd) => rollup::run(cmd),
    }
}

/// Installs the logs (stderr, `RUST_LOG`) and, when configured, trace export for a
/// long-running command; the returned guard flushes the traces when dropped.
fn telemetry(
    service: &str,
    config: &rampart_telemetry::TelemetryConfig,
) -> anyhow::Result<rampart_telemetry::Telemetry> {
    let config = config.clone().with_env()?;
    Ok(rampart_telemetry::init(service, &config)?)
}
