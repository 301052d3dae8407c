//! `rampart aggregator run`.

use crate::cli::AggregatorCommand;
use anyhow::Context;
use rampart_aggregator::config::Config;

pub(crate) fn run(cmd: AggregatorCommand) -> anyhow::Result<()> {
    let AggregatorCommand::Run(args) = cmd;
    let mut config = Config::load(&args.config)?;
    if let Some(url) = args.l1_rpc_url {
        config.chain.rpc_url = url;
    }
    if let Some(db) = args.database {
        config.aggregator.database = db;
    }
    if let Some(listen) = args.listen {
        config.aggregator.listen = listen;
    }
    let _telemetry = crate::cmd::telemetry("rampart-aggregator", &config.telemetry)?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let stop = crate::signals::shutdown_channel();
        rampart_aggregator::service::run(config, crate::signals::stopped(stop)).await
    })?;
    Ok(())
}
