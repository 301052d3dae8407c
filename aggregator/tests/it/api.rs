//! The HTTP API under bad input: every malformed, invalid or unauthorized request is a 4xx
//! with a JSON `code` — never a 5xx, never a crash — and the service keeps working after.
//! Named cases cover each class; a property test throws random bodies and random mutations of
//! a valid attestation at it.

use crate::support::{Harness, get, post, post_attestation};
use alloy::primitives::{Address, B256};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestCaseError, TestRunner};
use rampart_crypto::SecretKey;
use rampart_primitives::{Checkpoint, Domain, RollupId, SignedAttestation};
use serde_json::{Value, json};

/// A G2 point on the curve but outside the subgroup, and one off the curve (bls12-381-tests).
fn vector_signature(name: &str) -> String {
    let doc = rampart_crypto::test_utils::read_json(&format!(
        "bls12-381-tests/deserialization_G2/deserialization_fails_{name}.json"
    ));
    format!("0x{}", doc["input"]["signature"].as_str().unwrap())
}

fn with(value: &Value, pointer: &str, new: Value) -> Vec<u8> {
    let mut v = value.clone();
    *v.pointer_mut(pointer).unwrap() = new;
    serde_json::to_vec(&v).unwrap()
}

struct Case {
    name: &'static str,
    body: Vec<u8>,
    content_type: Option<&'static str>,
    status: u16,
    code: &'static str,
}

#[test]
fn bad_requests_are_4xx_with_a_code() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let h = runtime.block_on(Harness::start(3));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("api.sqlite").display().to_string();
    let extra = "[http]\nmax_body_bytes = 4096\noperator_rate_per_s = 1\noperator_burst = 20\n";
    let agg = runtime.block_on(h.aggregator("api", &db, extra));
    let addr = agg.addr;
    let cp = runtime.block_on(h.commit(0));
    let good = h.attest(0, &cp);
    let good_json = serde_json::to_value(good).unwrap();

    let sign_with = |domain: &Domain, c: &Checkpoint, sk: &SecretKey| SignedAttestation {
        operator: good.operator,
        checkpoint: *c,
        signature: sk.sign(&c.digest(domain)),
    };
    let json_of = |a: &SignedAttestation| serde_json::to_vec(a).unwrap();
    let other_chain = Domain::new(h.domain.chain_id + 1, h.domain.verifying_contract);
    let other_center = Domain::new(h.domain.chain_id, Address::repeat_byte(0x77));
    let other_rollup = Checkpoint { rollup_id: RollupId(h.rollup + 1), ..cp };
    let mismatch = Checkpoint { l2_block_number: cp.l2_block_number + 1, ..cp };
    let far = Checkpoint { batch_index: 1_000, ..cp };
    let infinity = format!("0xc0{}", "00".repeat(95));

    let cases = vec![
        Case {
            name: "empty body",
            body: vec![],
            content_type: Some("application/json"),
            status: 400,
            code: "malformed_json",
        },
        Case {
            name: "not json",
            body: b"{nope".to_vec(),
            content_type: Some("application/json"),
            status: 400,
            code: "malformed_json",
        },
        Case {
            name: "wrong type",
            body: b"[1,2,3]".to_vec(),
            content_type: Some("application/json"),
            status: 400,
            code: "invalid_attestation",
        },
        Case {
            name: "unknown field",
            body: with(&good_json, "/checkpoint", json!({"extra": 1})),
            content_type: Some("application/json"),
            status: 400,
            code: "invalid_attestation",
        },
        Case {
            name: "short signature",
            body: with(&good_json, "/signature", json!("0x1234")),
            content_type: Some("application/json"),
            status: 400,
            code: "invalid_attestation",
        },
        Case {
            name: "long state root",
            body: with(
                &good_json,
                "/checkpoint/stateRoot",
                json!(format!("0x{}", "11".repeat(33))),
            ),
            content_type: Some("application/json"),
            status: 400,
            code: "invalid_attestation",
        },
        Case {
            name: "signature not in G2",
            body: with(&good_json, "/signature", json!(vector_signature("not_in_G2"))),
            content_type: Some("application/json"),
            status: 400,
            code: "invalid_attestation",
        },
        Case {
            name: "signature not on curve",
            body: with(&good_json, "/signature", json!(vector_signature("not_in_curve"))),
            content_type: Some("application/json"),
            status: 400,
            code: "invalid_attestation",
        },
        Case {
            name: "infinity signature",
            body: with(&good_json, "/signature", json!(infinity)),
            content_type: Some("application/json"),
            status: 400,
            code: "invalid_attestation",
        },
        Case {
            name: "negative batch",
            body: with(&good_json, "/checkpoint/batchIndex", json!(-1)),
            content_type: Some("application/json"),
            status: 400,
            code: "invalid_attestation",
        },
        Case {
            name: "unknown operator",
            body: with(&good_json, "/operator", json!(Address::repeat_byte(0x99))),
            content_type: Some("application/json"),
            status: 403,
            code: "unknown_operator",
        },
        Case {
            name: "replay for another chain",
            body: json_of(&sign_with(&other_chain, &cp, &h.keys[0])),
            content_type: Some("application/json"),
            status: 422,
            code: "invalid_signature",
        },
        Case {
            name: "replay for another contract",
            body: json_of(&sign_with(&other_center, &cp, &h.keys[0])),
            content_type: Some("application/json"),
            status: 422,
            code: "invalid_signature",
        },
        Case {
            name: "another operator's key",
            body: json_of(&sign_with(&h.domain, &cp, &h.keys[1])),
            content_type: Some("application/json"),
            status: 422,
            code: "invalid_signature",
        },
        Case {
            name: "unregistered rollup",
            body: json_of(&sign_with(&h.domain, &other_rollup, &h.keys[0])),
            content_type: Some("application/json"),
            status: 422,
            code: "unknown_rollup",
        },
        Case {
            name: "wrong L2 block for the batch",
            body: json_of(&sign_with(&h.domain, &mismatch, &h.keys[0])),
            content_type: Some("application/json"),
            status: 422,
            code: "checkpoint_mismatch",
        },
        Case {
            name: "batch far ahead",
            body: json_of(&sign_with(&h.domain, &far, &h.keys[0])),
            content_type: Some("application/json"),
            status: 422,
            code: "batch_too_far_ahead",
        },
        Case {
            name: "oversized body",
            body: vec![b' '; 8192],
            content_type: Some("application/json"),
            status: 413,
            code: "body_too_large",
        },
        Case {
            name: "wrong content type",
            body: json_of(&good),
            content_type: Some("text/plain"),
            status: 415,
            code: "unsupported_media_type",
        },
    ];
    for case in cases {
        let (status, answer) = runtime.block_on(post(addr, case.body, case.content_type));
        assert_eq!(
            (status, answer["code"].as_str()),
            (case.status, Some(case.code)),
            "{}: {answer}",
            case.name
        );
        assert!(
            answer["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{}: {answer}",
            case.name
        );
    }
    for (path, status, code) in [
        ("/v1/rollups/x/batches/0", 400, "invalid_path"),
        ("/v1/rollups/1/batches/18446744073709551616", 400, "invalid_path"),
        ("/v1/rollups/99/batches/0", 404, "unknown_rollup"),
        ("/v1/nothing", 404, "not_found"),
        ("/v1/evidence?limit=0", 400, "invalid_query"),
        ("/v1/evidence?after=x", 400, "invalid_query"),
    ] {
        let (s, answer) = runtime.block_on(get(addr, path));
        assert_eq!((s, answer["code"].as_str()), (status, Some(code)), "{path}: {answer}");
    }

    // Random bodies and random mutations of a valid attestation.
    let fields = [
        "/operator",
        "/signature",
        "/checkpoint/rollupId",
        "/checkpoint/batchIndex",
        "/checkpoint/l2BlockNumber",
        "/checkpoint/l2BlockHash",
        "/checkpoint/stateRoot",
    ];
    let values = prop_oneof![
        any::<i64>().prop_map(|n| json!(n)),
        proptest::collection::vec(any::<u8>(), 0..120)
            .prop_map(|b| json!(format!("0x{}", alloy::hex::encode(b)))),
        "[a-z0-9]{0,40}".prop_map(|s| json!(s)),
        Just(Value::Null),
    ];
    let mutation = (0..fields.len(), values).prop_map(move |(i, v)| with(&good_json, fields[i], v));
    let strategy = prop_oneof![proptest::collection::vec(any::<u8>(), 0..2048), mutation];
    let mut runner = TestRunner::new(ProptestConfig { cases: 256, ..ProptestConfig::default() });
    runner
        .run(&strategy, |body| {
            let (status, answer) =
                runtime.block_on(post(addr, body.clone(), Some("application/json")));
            // A mutation may leave a valid attestation (e.g. the same value written back).
            if status == 202 || status == 409 {
                return Ok(());
            }
            if !(400..500).contains(&status) || answer["code"].as_str().is_none() {
                return Err(TestCaseError::fail(format!(
                    "{status} {answer} for {:?}",
                    String::from_utf8_lossy(&body)
                )));
            }
            Ok(())
        })
        .unwrap();

    // Still serving (operator 0 may have spent its tokens on the fuzz cases; operator 2 has
    // not): a valid attestation is accepted, then is a duplicate.
    let fresh = h.attest(2, &cp);
    let (status, answer) = runtime.block_on(post_attestation(addr, &fresh));
    assert_eq!(status, 202, "{answer}");
    let (status, answer) = runtime.block_on(post_attestation(addr, &fresh));
    assert_eq!((status, answer["code"].as_str()), (409, Some("duplicate")));
    let (status, _) = runtime.block_on(get(addr, "/health"));
    assert_eq!(status, 200);

    // Rate limit: operator 1 from this address gets a burst of 20, then 429s.
    let mut limited = 0;
    for i in 0..40u8 {
        let c = Checkpoint { state_root: B256::repeat_byte(i), ..cp };
        let (status, answer) = runtime.block_on(post_attestation(addr, &h.attest(1, &c)));
        if status == 429 {
            assert_eq!(answer["code"], "rate_limited");
            limited += 1;
        }
    }
    assert!(limited >= 15, "{limited} rate-limited answers");
    runtime.block_on(agg.shutdown()).unwrap();
}
