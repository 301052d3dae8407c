//! `rampart devnet`: the whole system on one machine (see the rampart-devnet crate).

use crate::cli::DevnetArgs;
use crate::output;
use alloy::primitives::U256;
use anyhow::Context as _;
use rampart_devnet::{
    CertificateLanded, ChildProcesses, Network, NetworkConfig, Progress, ProofLanded, Services,
    ServicesConfig, SlashKind, SlashLanded,
};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

pub(crate) fn run(args: DevnetArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.byzantine <= args.operators,
        "--byzantine {} is more than the {} operators",
        args.byzantine,
        args.operators
    );
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let config = NetworkConfig {
            operators: args.operators,
            data_dir: args.data_dir.clone(),
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

        let started = Instant::now();
        output::line(format_args!(
            "[5/5] starting the L2, the aggregator and {} operator daemons ...",
            network.operators.len()
        ));
        let processes = if args.in_process {
            None
        } else {
            let binary = std::env::current_exe().context("cannot locate the rampart binary")?;
            Some(ChildProcesses { binary, env: Vec::new() })
        };
        let byzantine: Vec<usize> =
            (network.operators.len() - args.byzantine as usize..network.operators.len()).collect();
        let mut magnitudes_before = BTreeMap::new();
        for &i in &byzantine {
            output::line(format_args!(
                "  operator {i:>3} is BYZANTINE: it equivocates on every 3rd batch, signs a wrong \
                 root on every 2nd, and skips its proving jobs"
            ));
        }
        for op in &network.operators {
            magnitudes_before.insert(op.address, network.allocated_magnitudes(op.address).await?);
        }
        let services_config = ServicesConfig {
            batch_interval: Duration::from_millis(args.batch_interval_ms),
            base_port: (args.port != 0).then_some(args.services_port),
            processes,
            reference: (!args.no_reference_rollup).then(|| rampart_devnet::ReferenceRollupConfig {
                max_batch_txs: args.rollup_batch_txs as usize,
                batch_interval: Duration::from_millis(args.rollup_batch_interval_ms),
                tx_rate: args.rollup_tx_rate,
                proving: (!args.no_proofs).then(|| rampart_devnet::ProvingConfig {
                    // Byzantine provers skip their jobs: a short window keeps the demo moving.
                    // (50 blocks are still tens of seconds of devnet traffic: time enough for an
                    // honest prover on a busy machine; one that misses it is slashed too.)
                    window_blocks: if byzantine.is_empty() { 100 } else { 50 },
                    ..Default::default()
                }),
                ..Default::default()
            }),
            faults: byzantine.iter().map(|&i| (i, rampart_devnet::services::byzantine())).collect(),
            ..Default::default()
        };
        let (tx, mut certificates) = tokio::sync::mpsc::unbounded_channel();
        let mut services = tokio::select! {
            services = Services::start(&network, &args.data_dir, &services_config, tx) => services?,
            _ = stop.wait_for(|stopped| *stopped) => {
                output::line("interrupted while starting; stopped");
                return Ok(());
            }
        };
        output::line(format_args!("      ok in {:.2} s", started.elapsed().as_secs_f64()));
        services_summary(&services);
        output::line(format_args!(
            "ready: {} operators registered on {} in {:.1} s (Ctrl-C to stop)",
            network.operators.len(),
            network.rpc_url(),
            (network.startup + started.elapsed()).as_secs_f64()
        ));
        let mut proofs = services.take_proofs().expect("proofs not taken yet");
        let mut slashes = services.take_slashes().expect("slashes not taken yet");
        let mut latencies = Vec::new();
        let mut proof_latencies = Vec::new();
        let mut slashed: Vec<SlashLanded> = Vec::new();
        let done = |certificates: usize, proofs: usize, slashes: usize| {
            (args.exit_after_certificates.is_some()
                || args.exit_after_proofs.is_some()
                || args.exit_after_slashes.is_some())
                && args.exit_after_certificates.is_none_or(|n| certificates >= n)
                && args.exit_after_proofs.is_none_or(|n| proofs >= n)
                && args.exit_after_slashes.is_none_or(|n| slashes >= n)
        };
        if !args.exit_when_ready {
            loop {
                tokio::select! {
                    landed = certificates.recv() => {
                        let Some(landed) = landed else { break };
                        certificate_line(&landed);
                        latencies.push(landed.latency);
                    }
                    Some(landed) = proofs.recv() => {
                        proof_line(&landed);
                        proof_latencies.push(landed.latency);
                    }
                    Some(landed) = slashes.recv() => {
                        slash_line(&landed);
                        slashed.push(landed);
                    }
                    _ = stop.wait_for(|stopped| *stopped) => break,
                }
                if done(latencies.len(), proof_latencies.len(), slashed.len()) {
                    break;
                }
            }
        }
        if !latencies.is_empty() {
            latency_line("certificates; commit to certificate", &mut latencies);
        }
        if !proof_latencies.is_empty() {
            latency_line("proofs; commit to proof", &mut proof_latencies);
        }
        if !byzantine.is_empty() || !slashed.is_empty() {
            output::line(
                "slashing, per operator (allocated magnitude to the Rampart set, 1e18 = all):",
            );
            for (i, op) in network.operators.iter().enumerate() {
                let mut counts: BTreeMap<SlashKind, usize> = BTreeMap::new();
                for s in slashed.iter().filter(|s| s.operator == op.address) {
                    *counts.entry(s.kind).or_default() += 1;
                }
                let faults = if counts.is_empty() {
                    "never slashed".to_string()
                } else {
                    counts
                        .iter()
                        .map(|(k, n)| format!("{n} × {}", k.as_str()))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let before = magnitudes_before.get(&op.address).cloned().unwrap_or_default();
                let now = network.allocated_magnitudes(op.address).await.unwrap_or_default();
                let magnitude = before
                    .iter()
                    .zip(&now)
                    .map(|((_, b), (_, n))| format!("{b} → {n}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let role = if byzantine.contains(&i) { "byzantine" } else { "honest   " };
                output::line(format_args!(
                    "  operator {i:>3} {role} {}: {faults}; magnitude {magnitude}",
                    op.address
                ));
            }
        }
        output::line("stopping: daemons, aggregator, L2, anvil");
        services.shutdown().await?;
        drop(network);
        Ok(())
    })
}

fn certificate_line(c: &CertificateLanded) {
    let share = if c.total_stake.is_zero() {
        0.0
    } else {
        (c.signed_stake * U256::from(10_000u32) / c.total_stake).to::<u64>() as f64 / 100.0
    };
    output::line(format_args!(
        "rollup {} certified batch {:>4}: state root {}  signed {share:.1}% of stake ({} non-signers)  \
         tx {} in block {}  {:.2} s after commit",
        c.rollup_id,
        c.batch_index,
        c.state_root,
        c.non_signers,
        c.tx_hash,
        c.block,
        c.latency.as_secs_f64()
    ));
}

fn proof_line(p: &ProofLanded) {
    let by = if p.prover == p.assigned_prover {
        format!("by its drawn prover {}", p.prover)
    } else {
        format!("by {} (drawn: {}; deadline passed)", p.prover, p.assigned_prover)
    };
    output::line(format_args!(
        "rollup {} proved    batch {:>4}: state root {}  {by}  tx {} in block {}  {:.2} s after commit",
        p.rollup_id,
        p.batch_index,
        p.state_root,
        p.tx_hash,
        p.block,
        p.latency.as_secs_f64()
    ));
}

fn slash_line(s: &SlashLanded) {
    let percent = (s.wad * U256::from(10_000u32) / U256::from(10u64).pow(U256::from(18)))
        .to::<u64>() as f64
        / 100.0;
    output::line(format_args!(
        "rollup {} SLASHED   batch {:>4}: operator {} for {}: {percent:.2}% of its stake  by {}  tx {} in block {}",
        s.rollup_id,
        s.batch_index,
        s.operator,
        s.kind.as_str(),
        s.sender,
        s.tx_hash,
        s.block
    ));
}

fn latency_line(what: &str, latencies: &mut [Duration]) {
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    output::line(format_args!(
        "{} {what} on L1: p50 {:.3} s, p90 {:.3} s, max {:.3} s",
        latencies.len(),
        at(0.5).as_secs_f64(),
        at(0.9).as_secs_f64(),
        at(1.0).as_secs_f64()
    ));
}

fn services_summary(services: &Services) {
    output::line(format_args!(
        "  L2 RPC            {} (chain id 901, rollup {})",
        services.l2_rpc_url(),
        services.rollup_id
    ));
    output::line(format_args!(
        "  aggregator        {}  (config {})",
        services.aggregator_url,
        services.aggregator_config.display()
    ));
    output::line(format_args!(
        "  batch status      {}/v1/rollups/{}/batches/<index>",
        services.aggregator_url, services.rollup_id
    ));
    if let (Some(id), Some(url)) = (services.reference_rollup_id, &services.sequencer_url) {
        output::line(format_args!(
            "  reference rollup  {id}: sequencer {url}/v1/status, batch data {url}/v1/batches/<index>"
        ));
    }
    for (i, api) in services.node_apis.iter().enumerate() {
        output::line(format_args!("  operator {i:>3} node {api}/eigen/node/health  {api}/metrics"));
    }
    for log in services.logs() {
        output::line(format_args!("  log               {}", log.display()));
    }
    output::line("");
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
    output::line(format_args!("  proof center      {}", d.rampart.proof_center));
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
