//! `rampart rollup`: the reference rollup's sequencer, transaction generator, genesis and
//! development key setup.

use crate::cli::RollupCommand;
use crate::output;
use anyhow::Context as _;
use rampart_reference_rollup::field::to_b256;
use rampart_reference_rollup::{Genesis, RollupKey, Shape};

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
        RollupCommand::Setup { genesis, batch_size, out } => {
            let genesis = Genesis::load(&genesis)?;
            anyhow::ensure!(batch_size > 0, "--batch-size must be at least 1");
            let shape = Shape { rollup_id: genesis.rollup_id, depth: genesis.depth, batch_size };
            let started = std::time::Instant::now();
            let key = RollupKey::setup(shape, &mut rand08::rngs::OsRng)?;
            key.save(&out)?;
            let vk_file = out.with_extension("vk.json");
            let vk = key.solidity_verifying_key();
            std::fs::write(&vk_file, serde_json::to_vec_pretty(&verifying_key_json(&vk)?)?)
                .with_context(|| format!("cannot write {}", vk_file.display()))?;
            output::line(format_args!(
                "wrote {} and {} (rollup {}, depth {}, {batch_size} transfers per proof; \
                 {} constraints) in {:.1} s; genesis root {}",
                out.display(),
                vk_file.display(),
                shape.rollup_id,
                shape.depth,
                key.prover_key().r1cs.num_constraints(),
                started.elapsed().as_secs_f64(),
                to_b256(&genesis.root())
            ));
            Ok(())
        }
    }
}

/// The verifying key as decimal strings, in the layout `registerProofConfig` takes
/// (`alpha[2]`, `beta[4]`, `gamma[4]`, `delta[4]`, `ic[4][2]`; G2 imaginary part first).
fn verifying_key_json(
    vk: &rampart_gpu_prover::SolidityVerifyingKey,
) -> anyhow::Result<serde_json::Value> {
    let key = rampart_contracts::groth16_key::from_points(
        vk.alpha, &vk.beta, &vk.gamma, &vk.delta, &vk.ic,
    )
    .context("the verifying key is not for a three-input circuit")?;
    let words = |w: &[alloy::primitives::U256]| w.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    Ok(serde_json::json!({
        "alpha": words(&key.alpha),
        "beta": words(&key.beta),
        "gamma": words(&key.gamma),
        "delta": words(&key.delta),
        "ic": key.ic.iter().map(|p| words(p)).collect::<Vec<_>>(),
    }))
}
