//! Slashing on the devnet, with real EigenLayer core: byzantine operators (the daemon's
//! `[dangerous_fault_injection]`) equivocate, sign roots a proof contradicts and skip proving
//! jobs; the aggregator's embedded slasher finds each fault and slashes it once, by exactly the
//! rollup's configured share of the operator's allocated magnitude (read back from EigenLayer's
//! AllocationManager); honest operators are never slashed; a standalone slasher fed forged,
//! replayed and irrelevant evidence by a malicious "aggregator" sends none of it; and
//! certificates keep landing meanwhile.

use alloy::primitives::{Address, B256, U256};
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::Filter;
use alloy::sol_types::SolEvent;
use rampart_chain::provider::connect;
use rampart_contracts::allocation_manager::{IAllocationManager, OperatorSet};
use rampart_contracts::attestation_center::RampartAttestationCenter::CertificateSubmitted as Certified;
use rampart_contracts::slasher::RampartSlasher as Slasher;
use rampart_devnet::{
    Network, NetworkConfig, ProvingConfig, ReferenceRollupConfig, Services, ServicesConfig,
};
use rampart_slasher::{FaultKind, FaultStatus, Store};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

const WAD: u128 = 1_000_000_000_000_000_000;

/// A slash as `RampartSlasher` logged it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Slash {
    kind: FaultKind,
    operator: Address,
    rollup: u64,
    batch: u64,
    wad: u128,
}

/// Every slash up to `block`, in order.
async fn slashes(network: &Network, l1: &DynProvider, block: u64) -> Vec<Slash> {
    let filter = Filter::new()
        .address(network.deployment.rampart.slasher)
        .from_block(network.deployment.start_block)
        .to_block(block);
    let logs = l1.get_logs(&filter).await.unwrap();
    logs.iter()
        .filter_map(|log| {
            let d = log.data();
            if let Ok(e) = Slasher::EquivocationSlashed::decode_log_data(d) {
                Some((FaultKind::Equivocation, e.operator, e.rollupId, e.batchIndex, e.wad))
            } else if let Ok(e) = Slasher::ContradictionSlashed::decode_log_data(d) {
                Some((FaultKind::Contradiction, e.operator, e.rollupId, e.batchIndex, e.wad))
            } else if let Ok(e) = Slasher::MissedProofSlashed::decode_log_data(d) {
                Some((FaultKind::MissedProof, e.operator, e.rollupId, e.batchIndex, e.wad))
            } else {
                None
            }
        })
        .map(|(kind, operator, rollup, batch, wad)| Slash {
            kind,
            operator,
            rollup,
            batch,
            wad: wad.to::<u128>(),
        })
        .collect()
}

/// The operator's allocated magnitude in each strategy of the set, at `block`.
async fn magnitudes(
    network: &Network,
    l1: &DynProvider,
    operator: Address,
    block: u64,
) -> Vec<u64> {
    let d = &network.deployment;
    let am = IAllocationManager::new(d.eigenlayer.allocation_manager, l1);
    let set = OperatorSet { avs: d.rampart.service_manager, id: d.operator_set_id };
    let strategies = am.getStrategiesInOperatorSet(set.clone()).call().await.unwrap();
    assert!(!strategies.is_empty());
    let mut out = Vec::new();
    for strategy in strategies {
        let a = am.getAllocation(operator, set.clone(), strategy).block(block.into()).call().await;
        out.push(a.unwrap().currentMagnitude);
    }
    out
}

/// What EigenLayer leaves of a full allocation after `wads` in order: each slash takes
/// `ceil(magnitude × wad / 1e18)`.
fn after_slashes(wads: impl IntoIterator<Item = u128>) -> u64 {
    let mut m = WAD;
    for wad in wads {
        m -= (m * wad).div_ceil(WAD);
    }
    m as u64
}

/// Checks every operator's magnitude at `block` is exactly a full allocation less its slashes,
/// that no fault was slashed twice, and returns the slashes.
async fn check_stakes(network: &Network, l1: &DynProvider, block: u64) -> Vec<Slash> {
    let all = slashes(network, l1, block).await;
    let mut seen = HashSet::new();
    for s in &all {
        assert!(seen.insert((s.kind, s.operator, s.rollup, s.batch)), "slashed twice: {s:?}");
    }
    for op in &network.operators {
        let wads = all.iter().filter(|s| s.operator == op.address).map(|s| s.wad);
        let expected = after_slashes(wads);
        for m in magnitudes(network, l1, op.address, block).await {
            assert_eq!(m, expected, "operator {} at block {block}", op.address);
        }
    }
    all
}

struct Running {
    _dir: tempfile::TempDir,
    network: Network,
    services: Services,
    l1: DynProvider,
    certificates: tokio::sync::mpsc::UnboundedReceiver<rampart_devnet::CertificateLanded>,
}

/// A devnet of `operators` with the reference rollup proven, and the given faults.
async fn start(
    operators: u32,
    threshold_bps: u16,
    window_blocks: u32,
    faults: HashMap<usize, rampart_operator::config::FaultInjection>,
) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("devnet");
    let config =
        NetworkConfig { operators, data_dir: data_dir.clone(), port: 0, ..Default::default() };
    let network = Network::start(&config, &mut |_| {}).await.unwrap();
    let services_config = ServicesConfig {
        batch_interval: Duration::from_millis(1000),
        base_port: None,
        threshold_bps,
        reference: Some(ReferenceRollupConfig {
            max_batch_txs: 2,
            batch_interval: Duration::from_millis(1000),
            tx_rate: 2.0,
            proving: Some(ProvingConfig {
                window_blocks,
                key_dir: Some(std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("keys")),
                ..Default::default()
            }),
            ..Default::default()
        }),
        faults,
        ..Default::default()
    };
    let (tx, certificates) = tokio::sync::mpsc::unbounded_channel();
    let services = Services::start(&network, &data_dir, &services_config, tx).await.unwrap();
    let l1 = connect(&network.rpc_url(), None).unwrap();
    Running { _dir: dir, network, services, l1, certificates }
}

impl Running {
    /// Waits (draining certificates) until `done` holds for the slashes so far.
    async fn wait_for(&mut self, what: &str, timeout: Duration, done: impl Fn(&[Slash]) -> bool) {
        let started = Instant::now();
        loop {
            while self.certificates.try_recv().is_ok() {}
            let head = self.l1.get_block_number().await.unwrap();
            if done(&slashes(&self.network, &self.l1, head).await) {
                return;
            }
            assert!(started.elapsed() < timeout, "no {what} within {timeout:?}");
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// Waits for `n` more certificates.
    async fn certificates(&mut self, n: usize) {
        for _ in 0..n {
            tokio::time::timeout(Duration::from_secs(60), self.certificates.recv())
                .await
                .expect("certificates keep landing while faults are slashed")
                .expect("watcher running");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn equivocations_and_missed_proofs_are_slashed_and_bad_evidence_never_sent() {
    // Operator 1 signs a second, conflicting checkpoint for every batch and never proves.
    let byzantine = rampart_operator::config::FaultInjection {
        equivocate_every: 1,
        skip_proving_jobs: true,
        ..Default::default()
    };
    // The window (60 blocks, several seconds of devnet traffic) leaves the honest prover ample
    // time even on a loaded machine: an honest prover that misses it *is* slashed.
    let mut run = start(2, 6667, 60, HashMap::from([(1, byzantine)])).await;
    let (honest, liar) = (run.network.operators[0].address, run.network.operators[1].address);

    run.wait_for("equivocation and missed-proof slashes", Duration::from_secs(300), |s| {
        let has = |k| s.iter().any(|s| s.kind == k && s.operator == liar);
        has(FaultKind::Equivocation) && has(FaultKind::MissedProof)
    })
    .await;
    // Its protected attestations are honest, so every batch is still certified.
    run.certificates(3).await;

    // A malicious "aggregator" serves a replay of real evidence, a forgery (the real evidence
    // re-labelled as the honest operator's) and irrelevant evidence (a key nobody registered).
    let http = reqwest::Client::new();
    let page: serde_json::Value = http
        .get(format!("{}/v1/evidence?after=0&limit=1", run.services.aggregator_url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let real = page["evidence"][0].clone();
    assert_eq!(real["operator"].as_str().unwrap().parse::<Address>().unwrap(), liar);
    let mut forged = real.clone();
    forged["id"] = 2.into();
    for path in [&["operator"][..], &["first", "operator"], &["second", "operator"]] {
        let mut v = &mut forged;
        for key in &path[..path.len() - 1] {
            v = &mut v[*key];
        }
        v[path[path.len() - 1]] = honest.to_string().into();
    }
    let stranger = rampart_crypto::SecretKey::random().unwrap();
    let nobody = Address::repeat_byte(0x77);
    let mut irrelevant = real.clone();
    irrelevant["id"] = 3.into();
    irrelevant["operator"] = nobody.to_string().into();
    let domain = rampart_primitives::Domain::new(
        run.network.deployment.chain_id,
        run.network.deployment.rampart.attestation_center,
    );
    for side in ["first", "second"] {
        let checkpoint: rampart_primitives::Checkpoint =
            serde_json::from_value(real[side]["checkpoint"].clone()).unwrap();
        let signed = rampart_primitives::SignedAttestation {
            operator: nobody,
            checkpoint,
            signature: stranger.sign(&checkpoint.digest(&domain)),
        };
        irrelevant[side] = serde_json::to_value(signed).unwrap();
    }
    let body =
        serde_json::json!({ "evidence": [real.clone(), forged.clone(), irrelevant] }).to_string();
    let fake = serve_evidence(body).await;

    // A standalone slasher (anyone may run one) reading only the malicious aggregator.
    let dir = tempfile::tempdir().unwrap();
    let key = alloy::signers::local::PrivateKeySigner::random();
    std::fs::write(
        dir.path().join("slasher.key"),
        format!("0x{}", alloy::hex::encode(key.to_bytes())),
    )
    .unwrap();
    run.l1
        .raw_request::<_, ()>("anvil_setBalance".into(), (key.address(), U256::from(WAD)))
        .await
        .unwrap();
    let toml = format!(
        "[chain]\nrpc_url = \"{}\"\ndeployment = \"{}\"\npoll_interval_ms = 100\n\n\
         [slasher]\nlisten = \"127.0.0.1:0\"\necdsa_key_file = \"slasher.key\"\n\
         aggregators = [\"{fake}\"]\n",
        run.network.rpc_url(),
        run.network.deployment_file.canonicalize().unwrap().display(),
    );
    let config_file = dir.path().join("slasher.toml");
    std::fs::write(&config_file, toml).unwrap();
    let database = dir.path().join("slasher.sqlite").display().to_string();
    let mut records = Vec::new();
    for restart in 0..2 {
        let slasher =
            rampart_slasher::service::start(rampart_slasher::Config::load(&config_file).unwrap())
                .await
                .unwrap();
        let health = format!("http://{}/health", slasher.addr);
        let started = Instant::now();
        loop {
            let store = Store::open(&database).await.unwrap();
            records = store.records().await.unwrap();
            store.close().await;
            let evidence: Vec<_> = records.iter().filter(|r| r.fault.source == fake).collect();
            if evidence.len() == 3 && evidence.iter().all(|r| r.status.is_final()) {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(60), "restart {restart}: {records:#?}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        // Healthy once a whole round completed.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let response = http.get(&health).send().await.unwrap();
            if response.status() == 200 {
                break;
            }
            let body = response.text().await.unwrap();
            assert!(Instant::now() < deadline, "restart {restart}: unhealthy: {body}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        slasher.shutdown().await.unwrap();
    }
    let status_of = |operator: Address| {
        let r = records
            .iter()
            .find(|r| r.fault.source == fake && r.fault.operator == operator)
            .unwrap();
        (r.status, r.detail.clone())
    };
    assert_eq!(status_of(liar).0, FaultStatus::AlreadySlashed, "the replay is not sent again");
    let (forged_status, why) = status_of(honest);
    assert_eq!(forged_status, FaultStatus::Rejected, "the forgery is refused");
    assert!(why.contains("InvalidSignature"), "{why}");
    let (irrelevant_status, why) = status_of(nobody);
    assert_eq!(irrelevant_status, FaultStatus::Rejected, "irrelevant evidence is refused");
    assert!(why.contains("NoKey"), "{why}");
    // It paid only for slashes that landed (L1 faults it may have won a race for), across a
    // restart: nothing refused, nothing twice.
    let nonce = run.l1.get_transaction_count(key.address()).await.unwrap();
    let slashed = records.iter().filter(|r| r.status == FaultStatus::Slashed).count() as u64;
    assert_eq!(nonce, slashed, "{records:#?}");

    // The contract itself refuses the forgery and the replay.
    let slasher = Slasher::new(run.network.deployment.rampart.slasher, &run.l1);
    let evidence_call = |v: &serde_json::Value| {
        let side = |s: &str| -> rampart_primitives::SignedAttestation {
            serde_json::from_value(v[s].clone()).unwrap()
        };
        let (a, b) = (side("first"), side("second"));
        slasher.slashEquivocation(
            v["operator"].as_str().unwrap().parse().unwrap(),
            (&a.checkpoint).into(),
            (&a.signature).into(),
            (&b.checkpoint).into(),
            (&b.signature).into(),
        )
    };
    let refused = |e: alloy::contract::Error| {
        rampart_chain::revert::describe(&e.as_revert_data().expect("a revert"))
    };
    let err = refused(evidence_call(&forged).call().await.unwrap_err());
    assert!(err.contains("InvalidSignature"), "{err}");
    let err = refused(evidence_call(&real).call().await.unwrap_err());
    assert!(err.contains("AlreadySlashed"), "{err}");

    // Exactly the configured shares, read back from AllocationManager; the honest operator is
    // untouched (checked inside for every operator).
    let head = run.l1.get_block_number().await.unwrap();
    let all = check_stakes(&run.network, &run.l1, head).await;
    assert!(all.iter().all(|s| s.operator == liar), "only the byzantine operator: {all:?}");
    assert!(all.iter().all(|s| s.wad == WAD / 100), "equivocation and missed-proof wads are 1%");
    assert_eq!(magnitudes(&run.network, &run.l1, honest, head).await, vec![WAD as u64; 1]);
    run.services.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signers_of_a_root_a_proof_contradicts_are_slashed() {
    // Operators 1 and 2 (two thirds of the stake, above the rollup's 60%) sign the same wrong
    // root for every batch, so the wrong root is certified; operator 0 signs the truth.
    let liar =
        rampart_operator::config::FaultInjection { wrong_root_every: 1, ..Default::default() };
    let mut run = start(3, 6000, 100, HashMap::from([(1, liar), (2, liar)])).await;
    let ops: Vec<Address> = run.network.operators.iter().map(|o| o.address).collect();
    let reference = run.services.reference_rollup_id.unwrap();

    run.wait_for("contradiction slashes", Duration::from_secs(300), |s| {
        [ops[1], ops[2]].iter().all(|op| {
            s.iter().any(|s| {
                s.kind == FaultKind::Contradiction && s.operator == *op && s.rollup == reference
            })
        })
    })
    .await;
    run.certificates(2).await;

    let head = run.l1.get_block_number().await.unwrap();
    let all = check_stakes(&run.network, &run.l1, head).await;
    assert!(all.iter().all(|s| s.operator != ops[0]), "the honest operator: {all:?}");
    assert!(all.iter().all(|s| s.kind == FaultKind::Contradiction && s.wad == WAD / 10));
    let by_batch: BTreeMap<u64, HashSet<Address>> = all.iter().fold(BTreeMap::new(), |mut m, s| {
        m.entry(s.batch).or_default().insert(s.operator);
        m
    });
    let first = by_batch.values().next().unwrap();
    assert_eq!(first, &HashSet::from([ops[1], ops[2]]), "both signers of the lie");

    // The honest operator was a non-signer of the lie: the contract refuses to slash it.
    let batch = all.iter().find(|s| s.rollup == reference).unwrap().batch;
    let filter = Filter::new()
        .address(run.network.deployment.rampart.attestation_center)
        .event_signature(Certified::SIGNATURE_HASH)
        .topic1(B256::from(U256::from(reference)))
        .topic2(B256::from(U256::from(batch)))
        .from_block(run.network.deployment.start_block);
    let logs = run.l1.get_logs(&filter).await.unwrap();
    let cert = Certified::decode_log_data(logs[0].data()).unwrap();
    let checkpoint: rampart_primitives::Checkpoint = (&cert.checkpoint).into();
    let slasher = Slasher::new(run.network.deployment.rampart.slasher, &run.l1);
    let err = slasher
        .slashContradictedSigner(
            (&checkpoint).into(),
            cert.referenceBlock,
            cert.nonSignerKeyHashes,
            ops[0],
        )
        .call()
        .await
        .unwrap_err();
    let err = rampart_chain::revert::describe(&err.as_revert_data().expect("a revert"));
    assert!(err.contains("NotASigner"), "{err}");
    run.services.shutdown().await.unwrap();
}

/// Serves `body` as every `GET /v1/evidence` page (only the first page has items), like a
/// malicious aggregator; returns its base URL.
async fn serve_evidence(body: String) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let body = body.clone();
            tokio::spawn(async move {
                let mut request = vec![0u8; 4096];
                let n = socket.read(&mut request).await.unwrap_or(0);
                let first_page = String::from_utf8_lossy(&request[..n]).contains("after=0&");
                let body = if first_page { body } else { r#"{"evidence":[]}"#.to_string() };
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                     connection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    format!("http://{addr}")
}
