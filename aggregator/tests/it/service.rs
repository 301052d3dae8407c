//! The service end to end on anvil: certificates land on L1 once the threshold is crossed,
//! on SQLite and on PostgreSQL; attestations may arrive before the commit; equivocation is
//! stored as evidence; two replicas on one Postgres submit exactly once; a restart resumes an
//! in-flight certificate from the database; unmined transactions are fee-bumped.

use crate::support::{Harness, eventually, get, post_attestation};
use alloy::primitives::B256;
use alloy::providers::Provider;
use rampart_primitives::{Checkpoint, SignedAttestation};
use rampart_testkit::postgres::TempPostgres;

async fn certifies(h: &Harness, database: &str) {
    let agg = h.aggregator("agg", database, "").await;
    let addr = agg.addr;

    // Batch 0: three of four operators (75% ≥ 66.67%) certify it; one non-signer.
    let cp = h.commit(0).await;
    for i in 0..3 {
        let (status, answer) = post_attestation(addr, &h.attest(i, &cp)).await;
        assert_eq!(status, 202, "{answer}");
    }
    h.wait_certified(0).await;
    let (_, batch) = get(addr, &format!("/v1/rollups/{}/batches/0", h.rollup)).await;
    eventually("the follower to see the certificate", || async {
        get(addr, &format!("/v1/rollups/{}/batches/0", h.rollup)).await.1["status"] == "certified"
    })
    .await;
    let (_, batch2) = get(addr, &format!("/v1/rollups/{}/batches/0", h.rollup)).await;
    assert_eq!(batch2["certificate"]["nonSigners"], 1, "{batch2}");
    assert_eq!(batch2["checkpoints"][0]["signers"].as_array().unwrap().len(), 3, "{batch}");
    assert_eq!(batch2["certificate"]["stateRoot"], serde_json::json!(cp.state_root));
    // A late signer is told there is nothing to do.
    let (status, answer) = post_attestation(addr, &h.attest(3, &cp)).await;
    assert_eq!((status, answer["code"].as_str()), (200, Some("already_certified")), "{answer}");

    // Batch 1: below the threshold nothing is sent; a re-send is a duplicate.
    let cp1 = h.commit(1).await;
    let a = h.attest(0, &cp1);
    assert_eq!(post_attestation(addr, &a).await.0, 202);
    let (status, answer) = post_attestation(addr, &a).await;
    assert_eq!((status, answer["code"].as_str()), (409, Some("duplicate")));

    // Batch 2: every operator attests before the commit; the certificate follows the commit,
    // with no non-signers.
    let cp2 = Checkpoint { batch_index: 2, l2_block_number: 25, ..cp1 };
    for i in 0..4 {
        let (status, answer) = post_attestation(addr, &h.attest(i, &cp2)).await;
        assert_eq!(status, 202, "{answer}");
    }
    let committed = h.commit(2).await;
    assert_eq!((committed.batch_index, committed.l2_block_number), (2, 25));
    h.wait_certified(2).await;
    eventually("batch 2's certificate status", || async {
        let (_, b) = get(addr, &format!("/v1/rollups/{}/batches/2", h.rollup)).await;
        b["certificate"]["nonSigners"] == 0
    })
    .await;
    // Confirmed after one more block.
    h.commit(3).await;
    eventually("the submission to be confirmed", || async {
        let (_, b) = get(addr, &format!("/v1/rollups/{}/batches/2", h.rollup)).await;
        b["submissions"][0]["status"] == "confirmed"
    })
    .await;
    for batch in [0, 2] {
        assert_eq!(h.certificate_transactions(batch).await, 1, "batch {batch}");
    }
    assert_eq!(h.certificate_transactions(1).await, 0);
    let (status, metrics) = get(addr, "/metrics").await;
    assert_eq!(status, 200);
    let text = metrics.as_str().unwrap();
    assert!(text.contains("rampart_aggregator_certificates_sent_total 2"), "{text}");
    agg.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certifies_on_sqlite() {
    let h = Harness::start(4).await;
    let db = h.dir.path().join("agg.sqlite").display().to_string();
    certifies(&h, &db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certifies_on_postgres() {
    let pg = TempPostgres::start();
    let h = Harness::start(4).await;
    certifies(&h, &pg.create_database("aggregator")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn equivocation_is_stored_as_evidence() {
    let h = Harness::start(2).await;
    let db = h.dir.path().join("agg.sqlite").display().to_string();
    let agg = h.aggregator("agg", &db, "").await;
    let cp = h.commit(0).await;
    let first = h.attest(0, &cp);
    let second = h.attest(0, &Checkpoint { state_root: B256::repeat_byte(0xee), ..cp });
    assert_eq!(post_attestation(agg.addr, &first).await.0, 202);
    let (status, answer) = post_attestation(agg.addr, &second).await;
    assert_eq!((status, answer["code"].as_str()), (422, Some("equivocation")), "{answer}");
    // A forged "conflict" (signed with another key) is not evidence.
    let third = Checkpoint { l2_block_hash: B256::ZERO, ..cp };
    let forged = SignedAttestation {
        operator: first.operator,
        checkpoint: third,
        signature: h.keys[1].sign(&third.digest(&h.domain)),
    };
    let (status, answer) = post_attestation(agg.addr, &forged).await;
    assert_eq!((status, answer["code"].as_str()), (422, Some("invalid_signature")), "{answer}");

    let (status, body) = get(agg.addr, "/v1/evidence").await;
    assert_eq!(status, 200);
    let evidence = body["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 1, "{body}");
    let e = &evidence[0];
    let parse =
        |v: &serde_json::Value| serde_json::from_value::<SignedAttestation>(v.clone()).unwrap();
    let (a, b) = (parse(&e["first"]), parse(&e["second"]));
    assert_eq!((a, b), (first, second));
    let pk = h.keys[0].public_key();
    a.verify(&pk, &h.domain).unwrap();
    b.verify(&pk, &h.domain).unwrap();
    assert_eq!(e["operator"], serde_json::json!(first.operator));
    let (_, after) = get(agg.addr, &format!("/v1/evidence?after={}", e["id"])).await;
    assert_eq!(after["evidence"].as_array().unwrap().len(), 0);
    agg.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_on_postgres_submit_once() {
    let pg = TempPostgres::start();
    let h = Harness::start(4).await;
    let db = pg.create_database("aggregator");
    let extra = "[submission]\nlease_ttl_ms = 1000\n";
    let a = h.aggregator("a", &db, extra).await;
    let b = h.aggregator("b", &db, extra).await;
    for batch in 0..4 {
        let cp = h.commit(batch).await;
        // Each replica alone holds half the signatures: only the shared database certifies.
        for i in 0..4 {
            let target = if i % 2 == 0 { a.addr } else { b.addr };
            let (status, answer) = post_attestation(target, &h.attest(i, &cp)).await;
            assert_eq!(status, 202, "{answer}");
        }
    }
    for batch in 0..4 {
        h.wait_certified(batch).await;
    }
    // Exactly one leader (a lease can change hands while a slow loop renews late; wait for a
    // settled answer).
    let leader_is_a = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (addr_a, addr_b) = (a.addr, b.addr);
    eventually("exactly one leader", || {
        let leader_is_a = leader_is_a.clone();
        async move {
            let la = get(addr_a, "/health").await.1["leader"] == true;
            let lb = get(addr_b, "/health").await.1["leader"] == true;
            leader_is_a.store(la, std::sync::atomic::Ordering::SeqCst);
            la ^ lb
        }
    })
    .await;
    let la = leader_is_a.load(std::sync::atomic::Ordering::SeqCst);
    // The leader leaves; the other takes over and certifies the next batch.
    let (leader, other) = if la { (a, b) } else { (b, a) };
    leader.shutdown().await.unwrap();
    let cp = h.commit(4).await;
    for i in 0..4 {
        assert_eq!(post_attestation(other.addr, &h.attest(i, &cp)).await.0, 202);
    }
    h.wait_certified(4).await;
    for batch in 0..5 {
        assert_eq!(h.certificate_transactions(batch).await, 1, "batch {batch}");
    }
    other.shutdown().await.unwrap();
}

async fn set_automine(h: &Harness, on: bool) {
    h.deployer.raw_request::<_, serde_json::Value>("evm_setAutomine".into(), (on,)).await.unwrap();
}

async fn mine(h: &Harness) {
    h.deployer.raw_request::<_, serde_json::Value>("evm_mine".into(), ()).await.unwrap();
}

/// Waits for the batch's first submission to be in the database; returns its tx hash.
async fn submitted(
    addr: std::net::SocketAddr,
    h: &Harness,
    batch: u64,
    attempts: usize,
) -> Vec<String> {
    let path = format!("/v1/rollups/{}/batches/{batch}", h.rollup);
    eventually("a certificate transaction in the database", || async {
        get(addr, &path).await.1["submissions"].as_array().is_some_and(|s| s.len() >= attempts)
    })
    .await;
    let (_, b) = get(addr, &path).await;
    b["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["txHash"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_rebroadcasts_the_stored_transaction() {
    let h = Harness::start(4).await;
    let db = h.dir.path().join("agg.sqlite").display().to_string();
    let agg = h.aggregator("agg", &db, "").await;
    let cp = h.commit(0).await;
    set_automine(&h, false).await;
    for i in 0..4 {
        assert_eq!(post_attestation(agg.addr, &h.attest(i, &cp)).await.0, 202);
    }
    let sent = submitted(agg.addr, &h, 0, 1).await;
    agg.shutdown().await.unwrap();
    // The node forgets the transaction (as after a node restart or a dropped gossip).
    h.deployer
        .raw_request::<_, serde_json::Value>("anvil_dropAllTransactions".into(), ())
        .await
        .unwrap();
    let content: serde_json::Value =
        h.deployer.raw_request("txpool_content".into(), ()).await.unwrap();
    assert_eq!(content["pending"].as_object().map_or(0, |m| m.len()), 0);

    // Same database: the stored transaction goes out again, byte for byte; nothing new.
    let agg = h.aggregator("agg2", &db, "").await;
    eventually("the re-broadcast", || async {
        let content: serde_json::Value =
            h.deployer.raw_request("txpool_content".into(), ()).await.unwrap();
        content.to_string().contains(&sent[0])
    })
    .await;
    mine(&h).await;
    set_automine(&h, true).await;
    h.wait_certified(0).await;
    assert_eq!(h.certificate_transactions(0).await, 1);
    assert_eq!(submitted(agg.addr, &h, 0, 1).await, sent);
    agg.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unmined_certificate_is_fee_bumped() {
    let h = Harness::start(4).await;
    let db = h.dir.path().join("agg.sqlite").display().to_string();
    let agg = h.aggregator("agg", &db, "[submission]\nbump_after_ms = 300\n").await;
    let cp = h.commit(0).await;
    set_automine(&h, false).await;
    for i in 0..3 {
        assert_eq!(post_attestation(agg.addr, &h.attest(i, &cp)).await.0, 202);
    }
    let attempts = submitted(agg.addr, &h, 0, 2).await;
    assert_ne!(attempts[0], attempts[1]);
    let path = format!("/v1/rollups/{}/batches/0", h.rollup);
    let (_, b) = get(agg.addr, &path).await;
    let fee =
        |i: usize| b["submissions"][i]["maxFeePerGas"].as_str().unwrap().parse::<u128>().unwrap();
    assert!(fee(1) * 100 >= fee(0) * 125, "{b}");
    assert_eq!(b["submissions"][0]["status"], "replaced", "{b}");
    mine(&h).await;
    set_automine(&h, true).await;
    h.wait_certified(0).await;
    // Only one of the attempts (same nonce) can be mined.
    assert_eq!(h.certificate_transactions(0).await, 1);
    agg.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_reorged_out_is_certified_again() {
    let h = Harness::start(4).await;
    let db = h.dir.path().join("agg.sqlite").display().to_string();
    let agg = h.aggregator("agg", &db, "[submission]\nconfirmations = 0\n").await;
    let path = format!("/v1/rollups/{}/batches/0", h.rollup);
    let snapshot: alloy::primitives::U256 =
        h.deployer.raw_request("evm_snapshot".into(), ()).await.unwrap();
    let cp = h.commit(0).await;
    for i in 0..4 {
        assert_eq!(post_attestation(agg.addr, &h.attest(i, &cp)).await.0, 202);
    }
    h.wait_certified(0).await;
    eventually("the certificate confirmed", || async {
        get(agg.addr, &path).await.1["submissions"][0]["status"] == "confirmed"
    })
    .await;

    // A reorg takes the commit and the certificate away; the batch is committed again on the
    // new branch, and certified again from the stored attestations.
    let reverted: bool = h.deployer.raw_request("evm_revert".into(), (snapshot,)).await.unwrap();
    assert!(reverted);
    let center = h.center();
    let gone = rampart_chain::provider::read("cert", center.certificateCommitment(h.rollup, 0));
    assert_eq!(gone.await.unwrap(), B256::ZERO);
    for _ in 0..3 {
        mine(&h).await;
    }
    // A fresh provider: the old one's nonce cache still counts the reverted transactions.
    let signer = alloy_signer_local::PrivateKeySigner::from_bytes(&h.net.deployer_key()).unwrap();
    let batcher = rampart_chain::provider::connect(&h.net.rpc_url(), Some(signer)).unwrap();
    let center = rampart_contracts::attestation_center::RampartAttestationCenter::new(
        h.net.deployment.rampart.attestation_center,
        batcher,
    );
    let commit = center.commitBatch(h.rollup, 0, cp.l2_block_number, B256::repeat_byte(0xc0));
    rampart_chain::provider::send("commit again", commit).await.unwrap();
    h.wait_certified(0).await;
    eventually("a new attempt after the reorged one", || async {
        let (_, b) = get(agg.addr, &path).await;
        b["submissions"][0]["status"] == "dropped" && b["status"] == "certified"
    })
    .await;
    agg.shutdown().await.unwrap();
}
