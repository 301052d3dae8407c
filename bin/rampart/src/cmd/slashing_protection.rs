//! `rampart slashing-protection export|import` (format: slashing/README.md).

use crate::cli::SlashingProtectionCommand;
use crate::output;
use anyhow::Context;
use rampart_operator::Config;
use rampart_slashing::Interchange;

pub(crate) fn run(cmd: SlashingProtectionCommand) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        match cmd {
            SlashingProtectionCommand::Export(args) => {
                let config = Config::load(&args.config.config)?;
                let db = rampart_operator::daemon::open_protection(&config).await?;
                let json = db.export().await?.to_json();
                db.close().await;
                match args.out {
                    Some(path) => std::fs::write(&path, json).with_context(|| format!("cannot write {}", path.display()))?,
                    None => output::line(json),
                }
            }
            SlashingProtectionCommand::Import(args) => {
                let config = Config::load(&args.config.config)?;
                let text = std::fs::read_to_string(&args.file)
                    .with_context(|| format!("cannot read {}", args.file.display()))?;
                let interchange = Interchange::from_json(&text).with_context(|| format!("interchange {}", args.file.display()))?;
                let db = rampart_operator::daemon::open_protection(&config).await?;
                let report = db.import(&interchange).await;
                db.close().await;
                let report = report?;
                output::line(format_args!(
                    "imported {}, already recorded {}, refused {} (a different checkpoint for the same batch is on record; protection kept)",
                    report.imported,
                    report.already_recorded,
                    report.conflicts.len()
                ));
                for c in &report.conflicts {
                    output::line(format_args!("  refused: {c:?}"));
                }
            }
        }
        Ok(())
    })
}
