//! `rampart devnet`: the whole system on one machine (see the rampart-devnet crate).

use crate::cli::DevnetArgs;
use crate::output;
use alloy::primitives::U256;
use rampart_devnet::{Network, NetworkConfig, Progress};

pub(crate) fn run(args: DevnetArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let config = NetworkConfig {
            operators: args.operators,
            data_dir: args.data_dir,
            port: args.port,
            ..Default::default()
        };
        let mut stop = crate::signals::shutdown_channel();
        let mut progress = |p: Progress| match p {
            Progress::Step { index, total, label } => {
                output::line(format_args!("[{index}/{total}] {label} ..."))
            }
            Progress::Done { elapsed, detail } => {
                output::line(format_args!("      ok in {:.2} s: {detail}", elapsed.as_secs_f64()))
            }
        };
        let network = tokio::select! {
            network = Network::start(&config, &mut progress) => network?,
            _ = stop.wait_for(|stopped| *stopped) => {
                output::line("interrupted while starting; stopped");
                return Ok(());
            }
        };
        summary(&network);
        output::line(format_args!(
            "ready: {} operators registered on {} in {:.1} s (Ctrl-C to stop)",
            network.operators.len(),
            network.rpc_url(),
            network.startup.as_secs_f64()
        ));
        if args.exit_when_ready {
            return Ok(());
        }
        let _ = stop.wait_for(|stopped| *stopped).await;
        output::line("stopping: anvil and every devnet process");
        drop(network);
        Ok(())
    })
}

fn summary(network: &Network) {
    let d = &network.deployment;
    let ether = |wei: U256| {
        let unit = U256::from(10u64).pow(U256::from(18));
        format!("{}.{:02}", wei / unit, (wei % unit) * U256::from(100u64) / unit)
    };
    output::line("");
    output::line("Rampart devnet");
    output::line(format_args!(
        "  L1 RPC            {} (chain id {}, anvil pid {})",
        network.rpc_url(),
        d.chain_id,
        network.anvil_pid()
    ));
    output::line(format_args!(
        "  deployment file   {} ({:.1}M gas)",
        network.deployment_file.display(),
        network.deployment_gas as f64 / 1e6
    ));
    output::line(format_args!("  AllocationManager {}", d.eigenlayer.allocation_manager));
    output::line(format_args!("  DelegationManager {}", d.eigenlayer.delegation_manager));
    output::line(format_args!("  StrategyManager   {}", d.eigenlayer.strategy_manager));
    output::line(format_args!("  service manager   {} (the AVS)", d.rampart.service_manager));
    output::line(format_args!("  registry          {}", d.rampart.operator_registry));
    output::line(format_args!("  attestation ctr   {}", d.rampart.attestation_center));
    output::line(format_args!("  slasher           {}", d.rampart.slasher));
    for s in &d.strategies {
        output::line(format_args!(
            "  operator set {}    strategy {} ({})",
            d.operator_set_id, s.address, s.name
        ));
    }
    output::line("  operators");
    for (i, op) in network.operators.iter().enumerate() {
        let short = op.pubkey.get(..18).unwrap_or(&op.pubkey);
        output::line(format_args!(
            "    {i:>3}  {}  stake {} RDT  BLS {short}…  {}",
            op.address,
            ether(op.stake),
            op.config.display()
        ));
    }
    output::line("");
}
