//! `rampart slasher run|faults`.

use crate::cli::{SlasherArgs, SlasherCommand};
use anyhow::Context;
use rampart_slasher::Config;

fn load(args: &SlasherArgs) -> anyhow::Result<Config> {
    let mut config = Config::load(&args.config)?;
    if let Some(url) = &args.l1_rpc_url {
        config.chain.rpc_url = url.clone();
    }
    if let Some(db) = &args.database {
        config.slasher.database = db.clone();
    }
    if let Some(listen) = args.listen {
        config.slasher.listen = listen;
    }
    Ok(config)
}

pub(crate) fn run(cmd: SlasherCommand) -> anyhow::Result<()> {
    let runtime = || tokio::runtime::Runtime::new().context("cannot start the async runtime");
    match cmd {
        SlasherCommand::Run(args) => {
            let config = load(&args)?;
            let _telemetry = crate::cmd::telemetry("rampart-slasher", &config.telemetry)?;
            runtime()?.block_on(async move {
                let stop = crate::signals::shutdown_channel();
                rampart_slasher::service::run(config, crate::signals::stopped(stop)).await
            })?;
        }
        SlasherCommand::Faults(args) => {
            let config = load(&args)?;
            let records = runtime()?.block_on(async move {
                let store = rampart_slasher::Store::open(&config.slasher.database).await?;
                let records = store.records().await;
                store.close().await;
                records
            })?;
            for r in records {
                let line = serde_json::json!({
                    "kind": r.fault.kind.as_str(),
                    "operator": r.fault.operator,
                    "rollupId": r.fault.rollup_id,
                    "batchIndex": r.fault.batch_index,
                    "faultId": r.fault.fault_id,
                    "source": r.fault.source,
                    "status": r.status.as_str(),
                    "detail": r.detail,
                    "txHash": r.tx_hash,
                    "attempts": r.attempts,
                    "foundAtMs": r.created_at,
                });
                crate::output::line(line);
            }
        }
    }
    Ok(())
}
