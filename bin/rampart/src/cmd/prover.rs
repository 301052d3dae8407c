//! `rampart prover`: the backend this machine gets, and benchmarks of the proving engine.

use anyhow::Context as _;
use rampart_gpu_prover::{BackendChoice, Engine, bench};

use crate::cli::{ProverBenchArgs, ProverCommand};
use crate::output;

pub(crate) fn run(cmd: ProverCommand) -> anyhow::Result<()> {
    let _logs = super::telemetry("rampart-prover", &Default::default())?;
    match cmd {
        ProverCommand::Backend { backend } => {
            let choice: BackendChoice = backend.parse().map_err(anyhow::Error::msg)?;
            let engine = Engine::new(choice)?;
            output::line(format_args!("{}: {}", engine.backend_name(), engine.reason()));
            Ok(())
        }
        ProverCommand::Bench(args) => bench_cmd(args),
    }
}

fn bench_cmd(args: ProverBenchArgs) -> anyhow::Result<()> {
    let spec = bench::Spec {
        msm_g1: args.msm,
        msm_g2: args.msm_g2,
        ntt: args.ntt,
        groth16: args.groth16,
        backend: args.backend.parse().map_err(anyhow::Error::msg)?,
        samples: args.samples,
    };
    let rows = bench::run(&spec, |row| {
        output::line(format_args!(
            "measured {} 2^{} {}: {:.3} ms",
            row.what, row.log_size, row.implementation, row.median_ms
        ))
    })?;
    output::line(bench::table(&rows));
    if let Some(path) = args.json {
        let json = serde_json::to_vec_pretty(&rows)?;
        std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
