//! The proving-job worker against a real L1 (anvil with EigenLayer + Rampart), a real sequencer
//! committing reference-rollup batches, and real Groth16 proofs verified by the proof center:
//! the operator (the set's only member, so every job is drawn for it) accepts and proves every
//! batch, and after a restart resumes where L1 stands, proving what was committed while it was
//! down, each batch exactly once. A key that is not the rollup's registered one is refused.

use crate::fixture::{Devnet, OperatorSpec};
use alloy::primitives::{Address, U256};
use alloy::providers::Provider;
use alloy::rpc::types::Filter;
use alloy::sol_types::SolEvent;
use alloy_signer_local::PrivateKeySigner;
use rampart_chain::provider::{read, send};
use rampart_contracts::attestation_center::RampartAttestationCenter;
use rampart_contracts::proof_center::RampartProofCenter;
use rampart_operator::{Config, daemon, register};
use rampart_reference_rollup::field::to_b256;
use rampart_reference_rollup::{Genesis, RollupKey, Shape, State, Transfer};
use rampart_sequencer::client::Client;
use std::path::Path;
use std::time::{Duration, Instant};

const SEED: &str = "proving-test";

async fn wait_until(what: &str, timeout: Duration, mut ok: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ok().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn daemon_config(op_config: &Path, sequencer: &str, genesis: &Path, key: &Path, data: &str) {
    let base = std::fs::read_to_string(op_config).unwrap();
    let base = base.split("\n[daemon]").next().unwrap().to_string();
    let text = format!(
        "{base}\n[daemon]\ndata_dir = \"{data}\"\nnode_api = \"127.0.0.1:0\"\npoll_interval_ms = 50\n\
         prover_backend = \"cpu\"\n\n[[rollups]]\nid = 1\nsource = \"reference\"\nrpc_url = \"{sequencer}\"\n\
         genesis = \"{}\"\nproving_key = \"{}\"\n",
        genesis.display(),
        key.display()
    );
    std::fs::write(op_config, text).unwrap();
}

async fn metrics(node_api: std::net::SocketAddr) -> String {
    reqwest::get(format!("http://{node_api}/metrics")).await.unwrap().text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proves_every_batch_once_across_a_restart_and_refuses_a_foreign_key() {
    let net = Devnet::start().await;
    let op = net.operator("prover", OperatorSpec::default()).await;
    register(&Config::load(&op.config).unwrap()).await.unwrap();
    let dir = net.dir.path();
    let d = &net.deployment;

    // The rollup, its batcher, genesis and proof configuration (a small circuit: depth 4, two
    // transfers per proof).
    let deployer = net.provider.get_accounts().await.unwrap()[0];
    let center = RampartAttestationCenter::new(d.rampart.attestation_center, net.provider.clone());
    let batcher = PrivateKeySigner::random();
    net.set_balance(batcher.address(), U256::from(10u64).pow(U256::from(19))).await;
    let params = RampartAttestationCenter::RollupParams {
        owner: deployer,
        batcher: batcher.address(),
        operatorSetId: d.operator_set_id,
        thresholdBps: 6667,
        equivocationWad: U256::from(10u64).pow(U256::from(16)),
    };
    send("register rollup", center.registerRollup(params)).await.unwrap();
    let genesis = Genesis::devnet(1, 4, 4, 1_000_000, SEED);
    let genesis_file = dir.join("genesis.json");
    std::fs::write(&genesis_file, serde_json::to_vec(&genesis).unwrap()).unwrap();
    let shape = Shape { rollup_id: 1, depth: 4, batch_size: 2 };
    let key = RollupKey::setup(shape, &mut rand08::rngs::OsRng).unwrap();
    let key_file = dir.join("rollup-1.pk");
    key.save(&key_file).unwrap();
    let proofs = RampartProofCenter::new(d.rampart.proof_center, net.provider.clone());
    let proving = rampart_devnet::ProvingConfig { window_blocks: 50, ..Default::default() };
    rampart_devnet::rollup::register_proof_config(&proofs, &key, &genesis, &proving).await.unwrap();

    // Blocks keep coming, as on a real chain (a job's prover is drawn from the block after its
    // commit).
    let miner = {
        let provider = net.provider.clone();
        tokio::spawn(async move {
            loop {
                let _ = provider
                    .raw_request::<_, serde_json::Value>("anvil_mine".into(), (U256::from(1),))
                    .await;
                tokio::time::sleep(Duration::from_millis(150)).await;
            }
        })
    };

    let batcher_key = dir.join("batcher.key");
    std::fs::write(&batcher_key, format!("0x{}\n", alloy::hex::encode(batcher.to_bytes())))
        .unwrap();
    let sequencer = rampart_sequencer::start(rampart_sequencer::Config {
        chain: rampart_sequencer::config::ChainConfig {
            rpc_url: net.anvil.endpoint(),
            deployment: dir.join("deployment.json"),
        },
        sequencer: rampart_sequencer::config::SequencerConfig {
            listen: ([127, 0, 0, 1], 0).into(),
            genesis: genesis_file.clone(),
            data_dir: dir.join("sequencer"),
            batcher_key_file: batcher_key,
            max_batch_txs: 2,
            batch_interval_ms: 200,
            max_pending: 100,
            max_body_bytes: 16 * 1024,
            poll_interval_ms: 20,
        },
    })
    .await
    .unwrap();
    let url = format!("http://{}", sequencer.addr);
    let client = Client::new(&url);
    let mut nonces = [0u64; 4];
    let mut send_transfers = async |count: u32| {
        for i in 0..count {
            let from = i % 4;
            let transfer = Transfer {
                from,
                to: (from + 1) % 4,
                amount: 10 + u64::from(i),
                nonce: nonces[from as usize],
            };
            client.submit(&transfer.sign(&Genesis::devnet_key(SEED, from), 1)).await.unwrap();
            nonces[from as usize] += 1;
        }
    };
    let committed =
        async || read("rollup", center.rollup(1)).await.unwrap().nextBatchIndex.to::<u64>();
    let proven = async || read("next", proofs.nextBatchToProve(1)).await.unwrap().batchIndex;

    // A key from another setup ceremony is not the registered one: the worker refuses to prove.
    let foreign = dir.join("foreign.pk");
    RollupKey::setup(shape, &mut rand08::rngs::OsRng).unwrap().save(&foreign).unwrap();
    daemon_config(&op.config, &url, &genesis_file, &foreign, "data-foreign");
    send_transfers(2).await;
    let running = daemon::start(Config::load(&op.config).unwrap()).await.unwrap();
    let api = running.node_api;
    let refusal = async || {
        let services: serde_json::Value = reqwest::get(format!("http://{api}/eigen/node/services"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let services = services["services"].as_array().cloned().unwrap_or_default();
        let prover = services.into_iter().find(|s| s["id"] == "prover-1").unwrap_or_default();
        prover["message"].as_str().unwrap_or_default().to_string()
    };
    wait_until("the foreign key to be refused", Duration::from_secs(60), async || {
        committed().await >= 1 && refusal().await.contains("does not match the verifying key")
    })
    .await;
    running.shutdown().await.unwrap();
    assert_eq!(proven().await, 0, "nothing proven with a foreign key");

    // The rollup's own key: every committed batch gets proven.
    daemon_config(&op.config, &url, &genesis_file, &key_file, "data");
    send_transfers(3).await;
    let running = daemon::start(Config::load(&op.config).unwrap()).await.unwrap();
    wait_until("three batches proven", Duration::from_secs(180), async || {
        let c = committed().await;
        c >= 3 && proven().await >= c
    })
    .await;
    let text = metrics(running.node_api).await;
    assert!(text.contains("rampart_proofs_submitted_total{rollup=\"1\"}"), "{text}");
    assert!(
        text.contains(
            "rampart_proving_seconds_bucket{rollup=\"1\",backend=\"cpu\",stage=\"prove\""
        ),
        "{text}"
    );
    assert!(text.contains("rampart_proving_queue_depth{rollup=\"1\"}"), "{text}");
    assert!(!text.contains("rampart_proving_jobs_missed_total"), "no job missed: {text}");
    running.shutdown().await.unwrap();
    let persisted = dir.join("prover/data/rollup-1-proving.json");
    assert!(persisted.exists(), "the worker's state is persisted");

    // Batches committed while the operator is down are proven after its restart.
    let before = committed().await;
    send_transfers(4).await;
    wait_until("more batches committed", Duration::from_secs(30), async || {
        committed().await >= before + 2
    })
    .await;
    let running = daemon::start(Config::load(&op.config).unwrap()).await.unwrap();
    let target = committed().await;
    wait_until("every batch proven after the restart", Duration::from_secs(240), async || {
        proven().await >= target
    })
    .await;
    running.shutdown().await.unwrap();

    // One proof per batch, by the drawn prover (this operator), chaining the roots that an
    // independent re-execution of the served batches gives.
    let filter = Filter::new()
        .address(d.rampart.proof_center)
        .event_signature(RampartProofCenter::ProofSubmitted::SIGNATURE_HASH)
        .from_block(0u64);
    let logs = net.provider.get_logs(&filter).await.unwrap();
    let mut state = State::new(&genesis);
    let mut prev = to_b256(&genesis.root());
    let sequencer_client = Client::new(&url);
    for (index, log) in logs.iter().enumerate() {
        let e = RampartProofCenter::ProofSubmitted::decode_log_data(log.data()).unwrap();
        assert_eq!(e.batchIndex, index as u64, "one proof per batch, in order");
        assert_eq!((e.prover, e.assignedProver), (op.address, op.address));
        let batch = sequencer_client.batch(index as u64).await.unwrap().unwrap().batch;
        state.apply_batch(&batch).unwrap();
        assert_eq!(e.prevStateRoot, prev);
        assert_eq!(e.newStateRoot, to_b256(&state.root()), "batch {index}");
        assert_ne!(e.prover, Address::ZERO);
        prev = e.newStateRoot;
    }
    assert!(logs.len() as u64 >= target);
    miner.abort();
    sequencer.shutdown().await;
}
