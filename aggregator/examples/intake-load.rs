//! A bounded loopback load test of the aggregator's HTTP intake.
//!
//! Starts a devnet (anvil L1, EigenLayer, Rampart) with `OPERATORS` registered operators and a
//! rollup, an aggregator on SQLite, then POSTs `OPERATORS × BATCHES` distinct signed
//! attestations (pre-signed, pre-serialized) from `CONCURRENCY` keep-alive connections, and
//! reports the sustained rate and the latency distribution of the 202 answers. Every batch is
//! committed first, so certificates are built and submitted while the load runs.
//!
//! With `CERTIFY` = 0 the rollup's threshold is 100% and operator 0 never signs, so no
//! certificate is built during the load: the figure is the intake alone (on a shared 2-core
//! machine anvil executing certificates competes for the same cores).
//!
//! ```text
//! cargo run --release -p rampart-aggregator --example intake-load -- [OPERATORS] [BATCHES] [CONCURRENCY] [CERTIFY]
//! ```
//! (defaults 128, 160, 64, 1; anvil from the pinned toolchain: `eval "$(scripts/toolchain env)"`).

#![allow(clippy::print_stdout, missing_docs)]

use alloy::primitives::{B256, U256};
use alloy::providers::Provider;
use alloy_signer_local::PrivateKeySigner;
use rampart_chain::provider::{connect, send};
use rampart_contracts::attestation_center::RampartAttestationCenter as Center;
use rampart_devnet::{Network, NetworkConfig};
use rampart_primitives::{Checkpoint, Domain, RollupId, SignedAttestation};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

#[tokio::main]
async fn main() {
    let args: Vec<u64> = std::env::args().skip(1).map(|a| a.parse().expect("numbers")).collect();
    let operators = args.first().copied().unwrap_or(128) as u32;
    let batches = args.get(1).copied().unwrap_or(160);
    let concurrency = args.get(2).copied().unwrap_or(64) as usize;
    let certify = args.get(3).copied().unwrap_or(1) != 0;

    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let config = NetworkConfig {
        operators,
        data_dir: dir.path().join("devnet"),
        port: 0,
        ..Default::default()
    };
    let net = Network::start(&config, &mut |_| {}).await.unwrap();
    let threshold = if certify { 6667 } else { 10_000 };
    let rollup =
        net.register_rollup(threshold, U256::from(10u64).pow(U256::from(16))).await.unwrap();
    println!("devnet with {operators} operators in {:.1} s", t.elapsed().as_secs_f64());

    let keys: Vec<_> = net
        .operators
        .iter()
        .map(|op| {
            let ks = rampart_keystore::Keystore::from_file(
                &op.config.parent().unwrap().join("bls.json"),
            )
            .unwrap()
            .unwrap();
            (op.address, ks.decrypt("rampart-devnet").unwrap())
        })
        .collect();
    let d = &net.deployment;
    let domain = Domain::new(d.chain_id, d.rampart.attestation_center);
    let checkpoint = |b: u64| Checkpoint {
        rollup_id: RollupId(rollup),
        batch_index: b,
        l2_block_number: 10 * b + 1,
        l2_block_hash: B256::repeat_byte(b as u8),
        state_root: B256::from(U256::from(b + 1)),
    };
    // Pre-sign and pre-serialize, batch by batch (operators of one batch arrive together).
    let t = Instant::now();
    let mut bodies = Vec::new();
    for b in 0..batches {
        let digest = checkpoint(b).digest(&domain);
        for (operator, sk) in keys.iter().skip(usize::from(!certify)) {
            let a = SignedAttestation {
                operator: *operator,
                checkpoint: checkpoint(b),
                signature: sk.sign(&digest),
            };
            bodies.push(serde_json::to_vec(&a).unwrap());
        }
    }
    println!("signed {} attestations in {:.1} s", bodies.len(), t.elapsed().as_secs_f64());

    let signer = PrivateKeySigner::random();
    let key = dir.path().join("submitter.key");
    std::fs::write(&key, format!("0x{}\n", alloy::hex::encode(signer.to_bytes()))).unwrap();
    let deployer =
        connect(&net.rpc_url(), Some(PrivateKeySigner::from_bytes(&net.deployer_key()).unwrap()))
            .unwrap();
    deployer
        .raw_request::<_, serde_json::Value>(
            "anvil_setBalance".into(),
            (signer.address(), U256::from(10u64).pow(U256::from(20))),
        )
        .await
        .unwrap();
    let text = format!(
        "[chain]\nrpc_url = \"{}\"\ndeployment = \"{}\"\npoll_interval_ms = 100\n\n[aggregator]\nlisten = \"127.0.0.1:0\"\n\
         database = \"{}\"\necdsa_key_file = \"{}\"\n\n[http]\noperator_rate_per_s = 100000\noperator_burst = 100000\n",
        net.rpc_url(),
        net.deployment_file.display(),
        dir.path().join("load.sqlite").display(),
        key.display()
    );
    let path = dir.path().join("aggregator.toml");
    std::fs::write(&path, text).unwrap();
    let agg = rampart_aggregator::service::start(
        rampart_aggregator::config::Config::load(&path).unwrap(),
    )
    .await
    .unwrap();

    // Every batch is committed before the load (certificates are built during it).
    let center = Center::new(d.rampart.attestation_center, deployer.clone());
    for b in 0..batches {
        send("commit", center.commitBatch(rollup, b, 10 * b + 1, B256::ZERO)).await.unwrap();
    }

    // A minimal HTTP/1.1 keep-alive client over raw TCP: the generator shares the machine's
    // two cores with the aggregator and anvil, so it should cost as little as possible.
    let requests: Vec<Vec<u8>> = bodies
        .iter()
        .map(|body| {
            let mut r = format!(
                "POST /v1/attestations HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                agg.addr,
                body.len()
            )
            .into_bytes();
            r.extend_from_slice(body);
            r
        })
        .collect();
    let requests = Arc::new(requests);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (requests, next, addr) = (requests.clone(), next.clone(), agg.addr);
        workers.push(tokio::spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
            stream.set_nodelay(true).unwrap();
            let mut latencies = Vec::new();
            let mut failures = 0usize;
            let mut buf = Vec::with_capacity(4096);
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(request) = requests.get(i) else { break };
                let t = Instant::now();
                stream.write_all(request).await.unwrap();
                buf.clear();
                // Read the head, then the body by its content-length.
                let (status, total) = loop {
                    let mut chunk = [0u8; 2048];
                    let n = stream.read(&mut chunk).await.unwrap();
                    assert!(n > 0, "connection closed");
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                        let status: u16 = head[9..12].parse().unwrap();
                        let length: usize = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .map_or(0, |v| v.trim().parse().unwrap());
                        break (status, end + 4 + length);
                    }
                };
                while buf.len() < total {
                    let mut chunk = [0u8; 2048];
                    let n = stream.read(&mut chunk).await.unwrap();
                    assert!(n > 0, "connection closed");
                    buf.extend_from_slice(&chunk[..n]);
                }
                if status == 202 {
                    latencies.push(t.elapsed());
                } else {
                    failures += 1;
                }
            }
            (latencies, failures)
        }));
    }
    let mut latencies = Vec::new();
    let mut failures = 0;
    for w in workers {
        let (l, f) = w.await.unwrap();
        latencies.extend(l);
        failures += f;
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let q = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize].as_secs_f64() * 1e3;
    println!(
        "{} accepted, {failures} failed, in {:.2} s: {:.0} attestations/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({concurrency} connections, certifying: {certify})",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        q(0.5),
        q(0.99),
        q(1.0)
    );
    let metrics =
        reqwest::get(format!("http://{}/metrics", agg.addr)).await.unwrap().text().await.unwrap();
    let value = |name: &str| {
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let (sum, count) = (
        value("rampart_aggregator_verify_batch_size_sum"),
        value("rampart_aggregator_verify_batch_size_count"),
    );
    println!(
        "verified in {count} batches (mean {:.1} per batch), {} pairing checks; {} certificates sent",
        sum / count.max(1.0),
        value("rampart_aggregator_pairing_checks_total"),
        value("rampart_aggregator_certificates_sent_total"),
    );
    agg.shutdown().await.unwrap();
}
