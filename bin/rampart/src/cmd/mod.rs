//! Subcommands, one file each.

mod keys;

use crate::cli::{Cli, Command};

/// Runs the parsed command line.
pub(crate) fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Keys(cmd) => keys::run(cmd),
    }
}
