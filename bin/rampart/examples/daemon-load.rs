//! Measures `rampart operator run` while it attests: a 1-operator devnet, an anvil L2, and a
//! batch committed every 100 ms for 20 s; samples the daemon's RSS and CPU time from /proc.
//!
//! Run: `cargo run -p rampart --example daemon-load` (after `eval "$(scripts/toolchain env)"`).
#![allow(clippy::print_stdout)]

use alloy::primitives::{B256, U256};
use alloy::providers::Provider;
use alloy_signer_local::PrivateKeySigner;
use rampart_chain::anvil::{Anvil, AnvilOptions};
use rampart_chain::provider::{connect, send};
use rampart_contracts::attestation_center::RampartAttestationCenter;
use rampart_devnet::{Network, NetworkConfig};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// (RSS in kB, utime + stime in clock ticks) of a process.
fn sample(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rss = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = fields.get(11).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
        + fields.get(12).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    (rss, ticks)
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let config = NetworkConfig {
        operators: 1,
        data_dir: dir.path().to_path_buf(),
        port: 0,
        ..Default::default()
    };
    let network = Network::start(&config, &mut |_| {}).await.unwrap();
    let l2 = Anvil::spawn(&AnvilOptions { chain_id: 903, ..Default::default() }).unwrap();
    let l2p = connect(&l2.endpoint(), None).unwrap();
    network.register_rollup(6667, U256::from(10u64).pow(U256::from(17))).await.unwrap();
    let key = network.deployer_key();
    let deployer =
        connect(&network.rpc_url(), Some(PrivateKeySigner::from_bytes(&key).unwrap())).unwrap();
    let center =
        RampartAttestationCenter::new(network.deployment.rampart.attestation_center, deployer);

    let cfg = network.operators[0].config.clone();
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str(&format!(
        "\n[daemon]\ndata_dir = \"data\"\nnode_api = \"127.0.0.1:0\"\npoll_interval_ms = 100\n\n[[rollups]]\nid = 1\nrpc_url = \"{}\"\nfinality = \"latest\"\n",
        l2.endpoint()
    ));
    std::fs::write(&cfg, text).unwrap();
    let exe = std::env::current_exe().unwrap().parent().unwrap().parent().unwrap().join("rampart");
    let mut child = Command::new(exe)
        .args(["operator", "run", "--config"])
        .arg(&cfg)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("build the binary first: cargo build -p rampart");
    let pid = child.id();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (idle_rss, t0) = sample(pid);
    tokio::time::sleep(Duration::from_secs(10)).await;
    let (_, t1) = sample(pid);

    let started = Instant::now();
    let mut batch = 0u64;
    let mut peak = 0;
    while started.elapsed() < Duration::from_secs(20) {
        l2p.raw_request::<_, ()>("anvil_mine".into(), (U256::from(1),)).await.unwrap();
        let head = l2p.get_block_number().await.unwrap();
        send("commit", center.commitBatch(1, batch, head, B256::repeat_byte(1))).await.unwrap();
        batch += 1;
        peak = peak.max(sample(pid).0);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (busy_rss, t2) = sample(pid);
    let busy_secs = started.elapsed().as_secs_f64();
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "idle:      RSS {:.1} MB, CPU {:.2}% of a core (10 s)",
        idle_rss as f64 / 1024.0,
        (t1 - t0) as f64 / 10.0
    );
    println!(
        "attesting: {batch} batches in {busy_secs:.0} s; RSS {:.1} MB (peak {:.1} MB), CPU {:.2}% of a core",
        busy_rss as f64 / 1024.0,
        peak as f64 / 1024.0,
        (t2 - t1) as f64 / busy_secs
    );
}
