//! `rampart operator …`: EigenLayer onboarding (see the rampart-operator crate).

use crate::cli::{OperatorCommand, OperatorConfigArgs, OperatorRunArgs};
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
        OperatorCommand::Run(args) => {
            let config = overridden(args)?;
            let _telemetry = crate::cmd::telemetry("rampart-operator", &config.telemetry)?;
            runtime.block_on(async move {
                let stop = crate::signals::shutdown_channel();
                rampart_operator::daemon::run(config, crate::signals::stopped(stop)).await
            })?;
        }
    }
    Ok(())
}

/// The config file with the command line's (and environment's) overrides applied.
fn overridden(args: OperatorRunArgs) -> anyhow::Result<Config> {
    let mut config = load(&args.config)?;
    if let Some(url) = args.l1_rpc_url {
        config.chain.rpc_url = url;
    }
    if let Some(dir) = args.data_dir {
        config.daemon.data_dir = dir;
    }
    if let Some(addr) = args.node_api {
        config.daemon.node_api = addr;
    }
    if let Some(url) = args.protection_db {
        config.daemon.protection_db = url;
    }
    if !args.aggregators.is_empty() {
        config.daemon.aggregators = args.aggregators;
    }
    Ok(config)
}

fn load(args: &OperatorConfigArgs) -> anyhow::Result<Config> {
    Ok(Config::load(&args.config)?)
}
