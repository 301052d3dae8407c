//! Crashes: an aggregator killed with SIGKILL at the worst moments loses no accepted
//! attestation and never submits twice; a replica takes over from a killed leader.
//!
//! The aggregator under test is a child process (this test binary re-run for the ignored
//! `crash::aggregator_child` test), so SIGKILL hits exactly it.

use crate::support::{Harness, eventually, get, post_attestation};
use alloy::providers::Provider;
use rampart_aggregator::config::Config;
use rampart_testkit::postgres::TempPostgres;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const CONFIG_VAR: &str = "RAMPART_AGGREGATOR_CHILD_CONFIG";

/// The child: runs the aggregator of `$RAMPART_AGGREGATOR_CHILD_CONFIG` until killed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run as a child process by the crash tests"]
async fn aggregator_child() {
    let path = std::env::var(CONFIG_VAR).expect("config path");
    let aggregator =
        rampart_aggregator::service::start(Config::load(Path::new(&path)).unwrap()).await.unwrap();
    #[allow(clippy::print_stdout)]
    {
        println!("LISTENING {}", aggregator.addr);
    }
    aggregator.join().await.unwrap();
}

/// A running child aggregator.
struct Process {
    child: Child,
    addr: SocketAddr,
}

impl Process {
    fn spawn(config: &Path) -> Self {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "crash::aggregator_child",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads",
                "1",
            ])
            .env(CONFIG_VAR, config)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let addr = loop {
            let line = lines.next().expect("the child prints its address").unwrap();
            // The test harness may print its own words before ours on the same line.
            if let Some((_, addr)) = line.split_once("LISTENING ") {
                break addr.parse().unwrap();
            }
        };
        Self { child, addr }
    }

    fn kill(mut self) {
        self.child.kill().unwrap(); // SIGKILL
        self.child.wait().unwrap();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn config(h: &Harness, name: &str, database: &str, extra: &str) -> PathBuf {
    let (key, _) = h.submitter(name).await;
    let path = h.dir.path().join(format!("{name}.toml"));
    std::fs::write(&path, h.config_text(&key, database, extra)).unwrap();
    path
}

async fn rpc(h: &Harness, method: &'static str, params: serde_json::Value) {
    h.deployer.raw_request::<_, serde_json::Value>(method.into(), params).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_flight_loses_nothing_and_submits_once() {
    let h = Harness::start(4).await;
    let db = h.dir.path().join("agg.sqlite").display().to_string();
    // No fee bumps in this test: the restart must re-broadcast the stored transaction itself.
    let extra = "wait_window_ms = 1500\n[submission]\nbump_after_ms = 600000\n";
    let path = config(&h, "agg", &db, extra).await;

    // Killed after accepting (202) but before submitting: the attestations survive and the
    // restarted aggregator certifies with them.
    let agg = Process::spawn(&path);
    let cp0 = h.commit(0).await;
    for i in 0..3 {
        assert_eq!(post_attestation(agg.addr, &h.attest(i, &cp0)).await.0, 202);
    }
    agg.kill();
    let agg = Process::spawn(&path);
    h.wait_certified(0).await;
    let (_, status) = get(agg.addr, &format!("/v1/rollups/{}/batches/0", h.rollup)).await;
    assert_eq!(status["checkpoints"][0]["signers"].as_array().unwrap().len(), 3, "{status}");

    // Killed after the certificate transaction was sent, before it was mined; the node also
    // loses it. The restart re-broadcasts the stored transaction and sends nothing new.
    let cp1 = h.commit(1).await;
    rpc(&h, "evm_setAutomine", serde_json::json!([false])).await;
    for i in 0..4 {
        assert_eq!(post_attestation(agg.addr, &h.attest(i, &cp1)).await.0, 202);
    }
    let batch1 = format!("/v1/rollups/{}/batches/1", h.rollup);
    eventually("the certificate transaction", || async {
        get(agg.addr, &batch1).await.1["submissions"].as_array().is_some_and(|s| !s.is_empty())
    })
    .await;
    agg.kill();
    rpc(&h, "anvil_dropAllTransactions", serde_json::json!([])).await;
    let agg = Process::spawn(&path);
    eventually("the re-broadcast", || async {
        let pool: serde_json::Value =
            h.deployer.raw_request("txpool_content".into(), ()).await.unwrap();
        pool["pending"].as_object().is_some_and(|p| !p.is_empty())
    })
    .await;
    rpc(&h, "evm_mine", serde_json::json!([])).await;
    rpc(&h, "evm_setAutomine", serde_json::json!([true])).await;
    h.wait_certified(1).await;
    for batch in [0, 1] {
        assert_eq!(h.certificate_transactions(batch).await, 1, "batch {batch}");
    }
    let (_, status) = get(agg.addr, &batch1).await;
    assert_eq!(status["submissions"].as_array().unwrap().len(), 1, "{status}");
    agg.kill();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_takes_over_when_the_leader_is_killed() {
    let pg = TempPostgres::start();
    let h = Harness::start(4).await;
    let db = pg.create_database("aggregator");
    let extra = "[submission]\nlease_ttl_ms = 1000\n";
    let a = Process::spawn(&config(&h, "a", &db, extra).await);
    let b = Process::spawn(&config(&h, "b", &db, extra).await);
    let cp0 = h.commit(0).await;
    for i in 0..4 {
        let target = if i % 2 == 0 { a.addr } else { b.addr };
        assert_eq!(post_attestation(target, &h.attest(i, &cp0)).await.0, 202);
    }
    h.wait_certified(0).await;
    let a_leads = get(a.addr, "/health").await.1["leader"] == true;
    let (leader, survivor) = if a_leads { (a, b) } else { (b, a) };
    leader.kill(); // no lease release: the survivor must wait for it to expire
    let cp1 = h.commit(1).await;
    for i in 0..4 {
        assert_eq!(post_attestation(survivor.addr, &h.attest(i, &cp1)).await.0, 202);
    }
    h.wait_certified(1).await;
    assert_eq!(get(survivor.addr, "/health").await.1["leader"], true);
    for batch in [0, 1] {
        assert_eq!(h.certificate_transactions(batch).await, 1, "batch {batch}");
    }
    survivor.kill();
}
