//! `rampart`: the one binary of the Rampart network. It parses arguments and hands off to the
//! library crates; each subcommand lives in `cmd/`.

mod cli;
mod cmd;
mod output;
mod signals;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    output::install_panic_hook();
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return output::clap_error(e),
    };
    match cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => output::error(&e),
    }
}
