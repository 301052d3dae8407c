//! `rampart rollup`: the reference rollup's sequencer, transaction generator and genesis.

use crate::cli::RollupCommand;
use crate::output;
use anyhow::Context as _;
use rampart_reference_rollup::Genesis;
use rampart_reference_rollup::field::to_b256;

pub(crate) fn run(cmd: RollupCommand) -> anyhow::Result<()> {
    match cmd {
        RollupCommand::Sequencer { config } => {
            let config = rampart_sequencer::Config::load(&config)?;
            let _telemetry = crate::cmd::telemetry("rampart-sequencer", &Default::default())?;
            let runtime =
                tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
            runtime.block_on(async move {
                let mut stop = crate::signals::shutdown_channel();
                let sequencer = rampart_sequencer::start(config).await?;
                output::line(format_args!("sequencer listening on http://{}", sequencer.addr));
                let _ = stop.wait_for(|s| *s).await;
                sequencer.shutdown().await;
                Ok::<_, anyhow::Error>(())
            })
        }
        RollupCommand::Generate { sequencer, genesis, seed, rate, count } => {
            let genesis = Genesis::load(&genesis)?;
            let runtime =
                tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
            runtime.block_on(async move {
                let stop = crate::signals::shutdown_channel();
                let config = rampart_sequencer::generator::GeneratorConfig {
                    sequencer,
                    genesis,
                    seed,
                    rate_per_s: rate,
                    count,
                    max_amount: 1_000,
                };
                let stats = rampart_sequencer::generator::run(config, stop).await;
                output::line(format_args!(
                    "{} transfers accepted, {} refused, {} failed to send",
                    stats.accepted, stats.refused, stats.failed
                ));
                Ok(())
            })
        }
        RollupCommand::Genesis { rollup_id, depth, accounts, balance, seed, out } => {
            let genesis = Genesis::devnet(rollup_id, depth, accounts, balance, &seed);
            genesis.validate()?;
            std::fs::write(&out, serde_json::to_vec_pretty(&genesis)?)
                .with_context(|| format!("cannot write {}", out.display()))?;
            output::line(format_args!(
                "wrote {} ({} accounts, depth {depth}); genesis root {}",
                out.display(),
                accounts,
                to_b256(&genesis.root())
            ));
            Ok(())
        }
    }
}
