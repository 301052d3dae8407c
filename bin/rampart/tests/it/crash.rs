//! Crash safety of `rampart operator run`: the daemon is SIGKILLed at pseudo-random points over
//! a bounded number of iterations while batches are committed — and, in some iterations, while
//! the L2 rewrites the block a batch points at, so a restarted daemon re-derives a *different*
//! checkpoint for a batch it may already have signed. Afterwards:
//! - no two different checkpoints for one (rollup, batch) ever left the process (the receiver,
//!   standing in for an aggregator, saw at most one per batch);
//! - nothing signed was lost: every signature in the slashing-protection database was delivered.

use alloy::primitives::{B256, U256};
use alloy::providers::Provider;
use alloy_signer_local::PrivateKeySigner;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use rampart_chain::anvil::{Anvil, AnvilOptions};
use rampart_chain::provider::{connect, send};
use rampart_contracts::attestation_center::RampartAttestationCenter;
use rampart_primitives::SignedAttestation;
use rampart_slashing::{Identity, SlashingProtection};
use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ITERATIONS: u64 = 12;

type Seen = Arc<Mutex<Vec<SignedAttestation>>>;

async fn accept(State(seen): State<Seen>, Json(a): Json<SignedAttestation>) -> StatusCode {
    seen.lock().unwrap().push(a);
    StatusCode::OK
}

/// A tiny deterministic generator (xorshift), so a failure reproduces.
struct Rng(u64);
impl Rng {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

#[test]
fn sigkill_at_random_points_never_double_signs_nor_loses_a_signature() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let network = crate::support::one_operator_devnet(&runtime, dir.path());
    let l2 = Anvil::spawn(&AnvilOptions { chain_id: 902, ..Default::default() }).unwrap();
    let l2p = connect(&l2.endpoint(), None).unwrap();

    let seen: Seen = Arc::default();
    let receiver_url = runtime.block_on(async {
        let app = Router::new().route("/v1/attestations", post(accept)).with_state(seen.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url
    });

    let d = network.deployment.clone();
    let deployer = connect(
        &network.rpc_url(),
        Some(PrivateKeySigner::from_bytes(&network.deployer_key()).unwrap()),
    )
    .unwrap();
    let center = RampartAttestationCenter::new(d.rampart.attestation_center, deployer.clone());
    let rollup = runtime
        .block_on(network.register_rollup(6667, U256::from(10u64).pow(U256::from(17))))
        .unwrap();
    assert_eq!(rollup, 1);

    let config = network.operators[0].config.clone();
    let op_dir = config.parent().unwrap().to_path_buf();
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(&format!(
        "\n[daemon]\ndata_dir = \"data\"\naggregators = [\"{receiver_url}\"]\nnode_api = \"127.0.0.1:0\"\npoll_interval_ms = 20\n\n\
         [[rollups]]\nid = 1\nrpc_url = \"{}\"\nfinality = \"latest\"\n",
        l2.endpoint()
    ));
    std::fs::write(&config, text).unwrap();

    let start = || {
        Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args(["operator", "run", "--config"])
            .arg(&config)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };

    let seed = std::env::var("RAMPART_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_2026_u64);
    let mut rng = Rng(seed);
    let mut rewritten = 0;
    for batch in 0..ITERATIONS {
        let snapshot: U256 = runtime.block_on(async {
            let snapshot = l2p.raw_request("evm_snapshot".into(), ()).await.unwrap();
            l2p.raw_request::<_, ()>("anvil_mine".into(), (U256::from(1),)).await.unwrap();
            let head = l2p.get_block_number().await.unwrap();
            send("commit", center.commitBatch(1, batch, head, B256::repeat_byte(batch as u8)))
                .await
                .unwrap();
            snapshot
        });
        let mut child = start();
        std::thread::sleep(Duration::from_millis(rng.next(400)));
        if rng.next(3) == 0 {
            // Rewrite the L2 block the batch points at (same height, another timestamp → another
            // hash): a daemon that re-derives after a restart sees a different checkpoint.
            runtime.block_on(async {
                let _: bool = l2p.raw_request("evm_revert".into(), (snapshot,)).await.unwrap();
                let ts = 2_000_000_000u64 + batch * 1000 + rng.next(500);
                l2p.raw_request::<_, ()>("anvil_setNextBlockTimestamp".into(), (ts,))
                    .await
                    .unwrap();
                l2p.raw_request::<_, ()>("anvil_mine".into(), (U256::from(1),)).await.unwrap();
            });
            rewritten += 1;
            std::thread::sleep(Duration::from_millis(rng.next(200)));
        }
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(child.id() as i32),
            nix::sys::signal::Signal::SIGKILL,
        )
        .unwrap();
        child.wait().unwrap();
    }
    assert!(rewritten > 0, "the seed never rewrote an L2 block; pick another");

    // A last, uninterrupted run delivers whatever the crashes left in the outbox.
    let protection_db = format!("sqlite://{}", op_dir.join("data/protection.sqlite").display());
    let bls = rampart_keystore::Keystore::from_file(&op_dir.join("bls.json")).unwrap().unwrap();
    let pubkey = bls.decrypt("rampart-devnet").unwrap().public_key();
    let identity =
        Identity { chain_id: d.chain_id, attestation_center: d.rampart.attestation_center, pubkey };
    // Every batch ends with exactly one delivered checkpoint: the one signed before a rewrite
    // (from the outbox), or the re-derived one if nothing was signed before.
    let mut child = start();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let outbox_empty =
            std::fs::read_dir(op_dir.join("data/outbox")).map(|d| d.count() == 0).unwrap_or(true);
        let batches: std::collections::HashSet<u64> =
            seen.lock().unwrap().iter().map(|a| a.checkpoint.batch_index).collect();
        if outbox_empty && batches.len() == ITERATIONS as usize {
            break;
        }
        assert!(Instant::now() < deadline, "not every batch was delivered: {batches:?}");
    }
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    assert!(child.wait().unwrap().success(), "graceful stop on SIGTERM");

    let records = runtime.block_on(async {
        let db = SlashingProtection::open(&protection_db, identity).await.unwrap();
        let r = db.records().await.unwrap();
        db.close().await;
        r
    });
    let delivered = seen.lock().unwrap().clone();
    let mut by_batch: HashMap<u64, rampart_primitives::Checkpoint> = HashMap::new();
    for a in &delivered {
        let before = by_batch.insert(a.checkpoint.batch_index, a.checkpoint);
        assert!(
            before.is_none_or(|c| c == a.checkpoint),
            "two different checkpoints left the process for batch {}",
            a.checkpoint.batch_index
        );
    }
    for r in &records {
        let a = delivered
            .iter()
            .find(|a| a.checkpoint == r.checkpoint && Some(a.signature) == r.signature);
        assert!(
            a.is_some(),
            "a signature left in the database was never delivered: batch {}",
            r.checkpoint.batch_index
        );
    }
    assert_eq!(records.len(), ITERATIONS as usize, "one signed checkpoint per batch");
    eprintln!(
        "crash test: {ITERATIONS} SIGKILLs, {rewritten} L2 rewrites, {} checkpoints signed, {} deliveries, seed {seed:#x}",
        records.len(),
        delivered.len()
    );
}
