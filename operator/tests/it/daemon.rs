//! The operator daemon against a real L1 (anvil with EigenLayer + Rampart) and a real EVM L2
//! (a second anvil): committed batches are attested with the L2's own state roots, delivered to
//! an aggregator (a test HTTP receiver standing in for the aggregator, which is not built yet),
//! and the node API reflects health. Restarts resume without duplicates; an aggregator that
//! fails recovers; an L2 block that does not exist yet is waited for.

use crate::fixture::{Devnet, OperatorSpec};
use alloy::primitives::{B256, U256};
use alloy::providers::Provider;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use rampart_chain::anvil::{Anvil, AnvilOptions};
use rampart_chain::provider::{connect, send};
use rampart_contracts::attestation_center::RampartAttestationCenter;
use rampart_operator::{Config, Error, daemon, register};
use rampart_primitives::{Domain, SignedAttestation};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Records every attestation POSTed to it; fails the first `fail` requests with 503.
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<SignedAttestation>>>,
    fail: Arc<AtomicU32>,
    hits: Arc<AtomicU32>,
}

async fn accept(State(r): State<Receiver>, Json(a): Json<SignedAttestation>) -> StatusCode {
    r.hits.fetch_add(1, Ordering::SeqCst);
    if r.fail.load(Ordering::SeqCst) > 0 {
        r.fail.fetch_sub(1, Ordering::SeqCst);
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    r.got.lock().unwrap().push(a);
    StatusCode::OK
}

async fn receiver() -> (String, Receiver) {
    let r = Receiver::default();
    let app = Router::new().route("/v1/attestations", post(accept)).with_state(r.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, r)
}

async fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

struct Setup {
    net: Devnet,
    l2: Anvil,
    config: std::path::PathBuf,
    pubkey: rampart_crypto::PublicKey,
    receiver: Receiver,
}

async fn setup() -> Setup {
    let net = Devnet::start().await;
    let op = net.operator("op", OperatorSpec::default()).await;
    register(&Config::load(&op.config).unwrap()).await.unwrap();
    let l2 = Anvil::spawn(&AnvilOptions { chain_id: 901, ..Default::default() }).unwrap();
    let l2_provider = connect(&l2.endpoint(), None).unwrap();
    l2_provider.raw_request::<_, ()>("anvil_mine".into(), (U256::from(8),)).await.unwrap();

    let deployer = net.provider.get_accounts().await.unwrap()[0];
    let center = RampartAttestationCenter::new(
        net.deployment.rampart.attestation_center,
        net.provider.clone(),
    );
    let params = RampartAttestationCenter::RollupParams {
        owner: deployer,
        batcher: deployer,
        operatorSetId: net.deployment.operator_set_id,
        thresholdBps: 6667,
        equivocationWad: U256::from(10u64).pow(U256::from(17)),
    };
    send("register rollup", center.registerRollup(params)).await.unwrap();

    let (url, receiver) = receiver().await;
    let mut text = std::fs::read_to_string(&op.config).unwrap();
    text.push_str(&format!(
        "\n[daemon]\ndata_dir = \"data\"\naggregators = [\"{url}\"]\nnode_api = \"127.0.0.1:0\"\npoll_interval_ms = 50\n\n\
         [[rollups]]\nid = 1\nrpc_url = \"{}\"\nfinality = \"latest\"\n",
        l2.endpoint()
    ));
    std::fs::write(&op.config, text).unwrap();
    Setup { net, l2, config: op.config, pubkey: op.bls.public_key(), receiver }
}

impl Setup {
    async fn commit(&self, batch: u64, l2_block: u64) {
        let center = RampartAttestationCenter::new(
            self.net.deployment.rampart.attestation_center,
            self.net.provider.clone(),
        );
        send(
            "commit batch",
            center.commitBatch(1, batch, l2_block, B256::repeat_byte(batch as u8)),
        )
        .await
        .unwrap();
    }

    fn got(&self) -> Vec<SignedAttestation> {
        self.receiver.got.lock().unwrap().clone()
    }

    /// Every delivered attestation is the L2's own block at the committed number, correctly
    /// signed; no batch was ever attested with two different checkpoints.
    async fn check(&self) {
        let l2 = connect(&self.l2.endpoint(), None).unwrap();
        let domain = Domain::new(
            self.net.deployment.chain_id,
            self.net.deployment.rampart.attestation_center,
        );
        let mut seen = std::collections::HashMap::new();
        for a in self.got() {
            let block =
                l2.get_block_by_number(a.checkpoint.l2_block_number.into()).await.unwrap().unwrap();
            assert_eq!(a.checkpoint.l2_block_hash, block.header.hash);
            assert_eq!(a.checkpoint.state_root, block.header.state_root);
            a.verify(&self.pubkey, &domain).expect("signature verifies");
            let previous = seen.insert(a.checkpoint.batch_index, a.checkpoint);
            assert!(
                previous.is_none_or(|p| p == a.checkpoint),
                "two different checkpoints for one batch"
            );
        }
    }
}

#[tokio::test]
async fn attests_committed_batches_and_delivers_them() {
    let s = setup().await;
    s.commit(0, 3).await;
    s.commit(1, 7).await;
    let started = Instant::now();
    let d = daemon::start(Config::load(&s.config).unwrap()).await.unwrap();
    wait_for("two attestations", || s.got().len() == 2).await;
    eprintln!(
        "batch committed → attestation delivered: {:.0} ms for two batches",
        started.elapsed().as_secs_f64() * 1e3
    );
    s.check().await;

    // Node API: healthy, metrics exported.
    let base = format!("http://{}", d.node_api);
    let client = reqwest::Client::new();
    let health = client.get(format!("{base}/eigen/node/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let metrics = client.get(format!("{base}/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("rampart_attestations_signed_total 2"), "{metrics}");
    assert!(metrics.contains("eigen_rpc_request_duration_seconds_bucket"), "{metrics}");
    assert!(metrics.contains("eigen_performance_score 100"), "{metrics}");

    // A batch whose L2 block does not exist yet is waited for, not failed.
    s.commit(2, 20).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(s.got().len(), 2, "attested a block the L2 does not have");
    let l2 = connect(&s.l2.endpoint(), None).unwrap();
    l2.raw_request::<_, ()>("anvil_mine".into(), (U256::from(20),)).await.unwrap();
    wait_for("the third attestation", || s.got().len() == 3).await;

    // An aggregator that fails three times still gets the next one.
    s.receiver.fail.store(3, Ordering::SeqCst);
    s.commit(3, 21).await;
    wait_for("delivery after failures", || s.got().len() == 4).await;
    assert!(s.receiver.hits.load(Ordering::SeqCst) >= 7, "retried");
    d.shutdown().await.unwrap();

    // Restart: resumes from the cursor; nothing is attested twice.
    s.commit(4, 22).await;
    let d = daemon::start(Config::load(&s.config).unwrap()).await.unwrap();
    wait_for("the attestation after restart", || s.got().len() == 5).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(s.got().len(), 5, "re-delivered after restart");
    s.check().await;
    d.shutdown().await.unwrap();
}

#[tokio::test]
async fn refuses_to_start_unregistered() {
    let net = Devnet::start().await;
    let op = net.operator("stranger", OperatorSpec::default()).await;
    let mut text = std::fs::read_to_string(&op.config).unwrap();
    text.push_str("\n[daemon]\ndata_dir = \"data\"\nnode_api = \"127.0.0.1:0\"\n");
    std::fs::write(&op.config, text).unwrap();
    let err = daemon::start(Config::load(&op.config).unwrap()).await.unwrap_err();
    assert!(matches!(err, Error::NotRegistered { .. }), "{err}");
    assert!(err.to_string().contains("rampart operator register"), "{err}");
}

/// A TCP proxy in front of a node, which the test can cut and restore on the same port.
struct Proxy {
    port: u16,
    target: std::net::SocketAddr,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Proxy {
    async fn start(target: &str) -> Self {
        let target: std::net::SocketAddr = target.trim_start_matches("http://").parse().unwrap();
        let mut proxy = Self { port: 0, target, task: None };
        proxy.up().await;
        proxy
    }

    async fn up(&mut self) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
        self.port = listener.local_addr().unwrap().port();
        let target = self.target;
        self.task = Some(tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((mut inbound, _)) = listener.accept().await {
                connections.spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        }));
    }

    /// Drops the listener and every open connection.
    fn down(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

#[tokio::test]
async fn l1_rpc_down_then_up_recovers_without_restart() {
    let s = setup().await;
    let mut proxy = Proxy::start(&s.net.anvil.endpoint()).await;
    let text =
        std::fs::read_to_string(&s.config).unwrap().replace(&s.net.anvil.endpoint(), &proxy.url());
    std::fs::write(&s.config, text).unwrap();

    let d = daemon::start(Config::load(&s.config).unwrap()).await.unwrap();
    s.commit(0, 3).await;
    wait_for("the first attestation", || s.got().len() == 1).await;

    proxy.down();
    s.commit(1, 5).await; // straight to anvil: the daemon cannot see it
    let l1_health = format!("http://{}/eigen/node/services/l1/health", d.node_api);
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while client.get(&l1_health).send().await.unwrap().status() != 503 {
        assert!(Instant::now() < deadline, "L1 never reported down");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(s.got().len(), 1);

    tokio::time::sleep(Duration::from_millis(300)).await;
    proxy.up().await;
    wait_for("the attestation after L1 came back", || s.got().len() == 2).await;
    assert_eq!(client.get(&l1_health).send().await.unwrap().status(), 200);
    s.check().await;
    d.shutdown().await.unwrap();
}

/// Latency from a batch's commit receipt on L1 to its attestation at the aggregator (50 ms
/// poll, loopback). Printed for docs/benchmarks.md, not asserted beyond a hang guard.
#[tokio::test]
async fn delivery_latency_p50_p99() {
    let s = setup().await;
    let d = daemon::start(Config::load(&s.config).unwrap()).await.unwrap();
    let l2 = connect(&s.l2.endpoint(), None).unwrap();
    let mut samples = Vec::new();
    for batch in 0..30u64 {
        l2.raw_request::<_, ()>("anvil_mine".into(), (U256::from(1),)).await.unwrap();
        let head = l2.get_block_number().await.unwrap();
        s.commit(batch, head).await;
        let t0 = Instant::now();
        wait_for("the attestation", || s.got().len() == batch as usize + 1).await;
        samples.push(t0.elapsed());
    }
    samples.sort();
    let p = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    eprintln!(
        "commit → delivered over {} batches: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        samples.len(),
        p(0.5).as_secs_f64() * 1e3,
        p(0.99).as_secs_f64() * 1e3,
        samples.last().unwrap().as_secs_f64() * 1e3
    );
    s.check().await;
    d.shutdown().await.unwrap();
}
