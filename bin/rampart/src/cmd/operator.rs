//! `rampart operator …`: EigenLayer onboarding (see the rampart-operator crate).

use crate::cli::{OperatorCommand, OperatorConfigArgs};
use crate::output;
use anyhow::Context;
use rampart_operator::Config;

pub(crate) fn run(cmd: OperatorCommand) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    match cmd {
        OperatorCommand::Register(args) => {
            let config = load(&args)?;
            let report = runtime.block_on(rampart_operator::register(&config))?;
            output::line(report);
        }
        OperatorCommand::Status(args) => {
            let config = load(&args.config)?;
            let status = runtime.block_on(rampart_operator::status(&config))?;
            if args.json {
                output::json(&serde_json::to_value(&status)?);
            } else {
                output::line(status);
            }
        }
        OperatorCommand::Deregister(args) => {
            let config = load(&args)?;
            let report = runtime.block_on(rampart_operator::deregister(&config))?;
            output::line(report);
        }
    }
    Ok(())
}

fn load(args: &OperatorConfigArgs) -> anyhow::Result<Config> {
    Ok(Config::load(&args.config)?)
}
