//! Export and import of the EIP-3076-style interchange.

use crate::support::{
    CENTER, CHAIN_ID, Kind, Signer, TestEnv, checkpoint, identity, key, open, sign,
};
use alloy_primitives::{Address, B256};
use proptest::prelude::*;
use rampart_primitives::{Checkpoint, Domain, RollupId};
use rampart_slashing::{
    Error, INTERCHANGE_FORMAT, ImportConflict, ImportReport, Interchange, InterchangeError,
};

async fn export_then_import_round_trips(env: &TestEnv) {
    let signer = Signer::new(key(1));
    let source = open(&env.fresh_url().await, &signer.sk).await;
    let history = [checkpoint(2, 1, 0), checkpoint(1, 9, 3), checkpoint(1, 10, 4)];
    for cp in &history {
        sign(&source, &signer, cp).await.unwrap();
    }
    let exported = source.export().await.unwrap();

    // The documented shape: strings everywhere, decimal numbers, 0x-hex.
    let json: serde_json::Value = serde_json::from_str(&exported.to_json()).unwrap();
    assert_eq!(json["metadata"]["interchange_format"], INTERCHANGE_FORMAT);
    assert_eq!(json["metadata"]["interchange_format_version"], "1");
    assert_eq!(json["metadata"]["chain_id"], CHAIN_ID.to_string());
    assert_eq!(json["metadata"]["attestation_center"], CENTER.to_string());
    assert_eq!(json["data"][0]["pubkey"], signer.sk.public_key().to_string());
    let first = &json["data"][0]["signed_checkpoints"][0];
    assert_eq!(first["rollup_id"], "1");
    assert_eq!(first["batch_index"], "9");
    assert_eq!(first["l2_block_number"], "93");
    assert_eq!(first["l2_block_hash"], history[1].l2_block_hash.to_string());
    assert_eq!(first["state_root"], history[1].state_root.to_string());
    let root = history[1].digest(&Domain::new(CHAIN_ID, CENTER));
    assert_eq!(first["signing_root"], root.to_string());
    assert!(first.get("signature").is_none(), "signatures are not exported");

    let parsed = Interchange::from_json(&exported.to_json()).unwrap();
    assert_eq!(parsed, exported);

    let target = open(&env.fresh_url().await, &signer.sk).await;
    let report = target.import(&parsed).await.unwrap();
    assert_eq!(report, ImportReport { imported: 3, ..Default::default() });
    assert_eq!(target.export().await.unwrap(), exported);
    for cp in &history {
        let record = target.signed(cp.rollup_id.0, cp.batch_index).await.unwrap().unwrap();
        assert_eq!(record.checkpoint, *cp);
        assert_eq!(record.signature, None);
        // The imported history protects: conflicting checkpoints are refused.
        let conflicting = Checkpoint { state_root: B256::repeat_byte(0xcc), ..*cp };
        assert!(matches!(sign(&target, &signer, &conflicting).await, Err(Error::Refused { .. })));
    }

    // Importing again changes nothing.
    let again = target.import(&parsed).await.unwrap();
    assert_eq!(again, ImportReport { already_recorded: 3, ..Default::default() });
    assert_eq!(target.export().await.unwrap(), exported);
    // Into the source itself, too.
    let into_source = source.import(&parsed).await.unwrap();
    assert_eq!(into_source, ImportReport { already_recorded: 3, ..Default::default() });
}

async fn a_conflicting_import_is_refused_and_reported(env: &TestEnv) {
    let signer = Signer::new(key(1));
    let db = open(&env.fresh_url().await, &signer.sk).await;
    let ours = checkpoint(1, 7, 0);
    let signature = sign(&db, &signer, &ours).await.unwrap();

    let theirs = checkpoint(1, 7, 5);
    let new = checkpoint(1, 8, 5);
    let doc = Interchange::new(db.identity(), [theirs, new, ours]);
    let report = db.import(&doc).await.unwrap();
    assert_eq!(report.imported, 1);
    assert_eq!(report.already_recorded, 1);
    assert_eq!(report.conflicts, vec![ImportConflict { existing: ours, rejected: theirs }]);

    let kept = db.signed(1, 7).await.unwrap().unwrap();
    assert_eq!((kept.checkpoint, kept.signature), (ours, Some(signature)), "ours is kept");
    assert!(matches!(sign(&db, &signer, &theirs).await, Err(Error::Refused { .. })));
    assert_eq!(db.signed(1, 8).await.unwrap().unwrap().checkpoint, new);
}

async fn conflicts_inside_one_document_keep_the_first(env: &TestEnv) {
    let signer = Signer::new(key(1));
    let db = open(&env.fresh_url().await, &signer.sk).await;
    let (a, b) = (checkpoint(3, 3, 1), checkpoint(3, 3, 2));
    let mut doc = Interchange::new(db.identity(), [a, a]);
    // A second entry for the same key (allowed, as in EIP-3076) with a conflicting checkpoint.
    doc.data.push(Interchange::new(db.identity(), [b]).data.remove(0));
    let report = db.import(&doc).await.unwrap();
    assert_eq!(report.imported, 1);
    assert_eq!(report.already_recorded, 1);
    assert_eq!(report.conflicts, vec![ImportConflict { existing: a, rejected: b }]);
    assert_eq!(db.signed(3, 3).await.unwrap().unwrap().checkpoint, a);
}

/// A valid two-checkpoint document, to be broken one field at a time.
fn valid_doc() -> Interchange {
    Interchange::new(&identity(&key(1)), [checkpoint(1, 1, 0), checkpoint(1, 2, 0)])
}

type Mutation = (&'static str, fn(&mut Interchange), fn(&InterchangeError) -> bool);

fn mutations() -> Vec<Mutation> {
    use InterchangeError as E;
    fn last(doc: &mut Interchange) -> &mut rampart_slashing::InterchangeCheckpoint {
        doc.data[0].signed_checkpoints.last_mut().unwrap()
    }
    fn field(e: &InterchangeError, name: &str) -> bool {
        matches!(e, E::InvalidField { path, .. } if path.ends_with(name))
    }
    vec![
        (
            "bad hex",
            |d| last(d).state_root = format!("0x{}", "zz".repeat(32)),
            |e| field(e, "signed_checkpoints[1].state_root"),
        ),
        (
            "31-byte hash",
            |d| last(d).l2_block_hash = format!("0x{}", "ab".repeat(31)),
            |e| field(e, "l2_block_hash"),
        ),
        (
            "33-byte root",
            |d| last(d).signing_root = format!("0x{}", "ab".repeat(33)),
            |e| field(e, "signing_root"),
        ),
        ("no 0x", |d| last(d).state_root = "ab".repeat(32), |e| field(e, "state_root")),
        ("negative", |d| last(d).batch_index = "-2".into(), |e| field(e, "batch_index")),
        ("hex number", |d| last(d).rollup_id = "0x1".into(), |e| field(e, "rollup_id")),
        (
            "JSON-ish number",
            |d| last(d).l2_block_number = "1e3".into(),
            |e| field(e, "l2_block_number"),
        ),
        (
            "overflow",
            |d| last(d).batch_index = "18446744073709551616".into(),
            |e| field(e, "batch_index"),
        ),
        ("empty number", |d| last(d).rollup_id = String::new(), |e| field(e, "rollup_id")),
        (
            "signing root of another checkpoint",
            |d| {
                let root = d.data[0].signed_checkpoints[0].signing_root.clone();
                last(d).signing_root = root;
            },
            |e| matches!(e, E::SigningRootMismatch { path, .. } if path.contains("[1]")),
        ),
        (
            "signing root under another chain",
            |d| {
                let other = Domain::new(CHAIN_ID + 1, CENTER);
                last(d).signing_root = checkpoint(1, 2, 0).digest(&other).to_string();
            },
            |e| matches!(e, E::SigningRootMismatch { .. }),
        ),
        (
            "altered state root",
            |d| last(d).state_root = B256::repeat_byte(9).to_string(),
            |e| matches!(e, E::SigningRootMismatch { .. }),
        ),
        (
            "pubkey not on the curve",
            |d| d.data[0].pubkey = format!("0x{}", "11".repeat(48)),
            |e| field(e, "data[0].pubkey"),
        ),
        (
            "47-byte pubkey",
            |d| d.data[0].pubkey = format!("0x{}", "11".repeat(47)),
            |e| field(e, "data[0].pubkey"),
        ),
        (
            "a second entry for another key",
            |d| {
                let mut other = Interchange::new(&identity(&key(2)), [checkpoint(9, 9, 9)]);
                d.data.push(other.data.remove(0));
            },
            |e| matches!(e, E::WrongIdentity { what, .. } if what == "data[1].pubkey"),
        ),
        (
            "another chain",
            |d| d.metadata.chain_id = "1".into(),
            |e| matches!(e, E::WrongIdentity { what, .. } if what == "metadata.chain_id"),
        ),
        (
            "another attestation center",
            |d| d.metadata.attestation_center = Address::repeat_byte(3).to_string(),
            |e| matches!(e, E::WrongIdentity { what, .. } if what == "metadata.attestation_center"),
        ),
        (
            "bad center",
            |d| d.metadata.attestation_center = "0x1234".into(),
            |e| field(e, "attestation_center"),
        ),
        ("bad chain id", |d| d.metadata.chain_id = "31337.0".into(), |e| field(e, "chain_id")),
        (
            "other format",
            |d| d.metadata.interchange_format = "complete".into(),
            |e| matches!(e, E::UnsupportedFormat { .. }),
        ),
        (
            "other version",
            |d| d.metadata.interchange_format_version = "2".into(),
            |e| matches!(e, E::UnsupportedVersion { .. }),
        ),
    ]
}

async fn malformed_documents_are_rejected_whole(env: &TestEnv) {
    let signer = Signer::new(key(1));
    let db = open(&env.fresh_url().await, &signer.sk).await;
    for (name, mutate, expected) in mutations() {
        let mut doc = valid_doc();
        mutate(&mut doc);
        // Through JSON, as a file would arrive.
        let doc = Interchange::from_json(&doc.to_json()).expect(name);
        match db.import(&doc).await {
            Err(Error::Interchange(e)) => {
                assert!(expected(&e), "{name}: unexpected error {e:?}");
                assert!(!e.to_string().is_empty());
            }
            other => panic!("{name}: expected a rejection, got {other:?}"),
        }
        assert!(db.records().await.unwrap().is_empty(), "{name}: nothing may be imported");
    }
    // The unbroken document imports.
    assert_eq!(db.import(&valid_doc()).await.unwrap().imported, 2);
}

crate::both_backends!(
    export_then_import_round_trips,
    a_conflicting_import_is_refused_and_reported,
    conflicts_inside_one_document_keep_the_first,
    malformed_documents_are_rejected_whole,
);

#[test]
fn malformed_json_is_rejected() {
    let valid = valid_doc().to_json();
    let cases = [
        ("not json", "{".to_owned()),
        ("empty", String::new()),
        ("array", "[]".to_owned()),
        ("unknown field", valid.replacen("\"pubkey\"", "\"signature\": \"0x00\", \"pubkey\"", 1)),
        (
            "number instead of string",
            valid.replacen("\"batch_index\": \"1\"", "\"batch_index\": 1", 1),
        ),
        ("missing signing_root", {
            let mut v: serde_json::Value = serde_json::from_str(&valid).unwrap();
            v["data"][0]["signed_checkpoints"][0].as_object_mut().unwrap().remove("signing_root");
            v.to_string()
        }),
        ("missing metadata", r#"{"data": []}"#.to_owned()),
    ];
    for (name, json) in cases {
        assert_ne!(json, valid, "{name}: the mutation did not apply");
        let err = Interchange::from_json(&json).expect_err(name);
        assert!(matches!(err, InterchangeError::Json(_)), "{name}: {err:?}");
    }
}

#[test]
fn ethereum_interchanges_are_recognised_and_refused() {
    let example = rampart_crypto::test_utils::read_json("eip3076_example.json");
    let err = Interchange::from_json(&example["example"].to_string()).unwrap_err();
    assert_eq!(err, InterchangeError::EthereumInterchange);
    assert!(err.to_string().contains("EIP-3076"), "{err}");

    let tests = rampart_crypto::test_utils::read_dir_json("eip3076-interchange-tests/generated");
    let mut seen = 0;
    for (name, test) in tests {
        for step in test["steps"].as_array().unwrap_or_else(|| panic!("{name}: no steps")) {
            let err = Interchange::from_json(&step["interchange"].to_string()).unwrap_err();
            assert_eq!(err, InterchangeError::EthereumInterchange, "{name}");
            seen += 1;
        }
    }
    assert!(seen >= 38, "only {seen} EIP-3076 interchanges checked");
}

#[test]
fn validate_reports_the_document_domain() {
    let doc = valid_doc();
    let valid = doc.validate().unwrap();
    assert_eq!(valid.domain, Domain::new(CHAIN_ID, CENTER));
    assert_eq!(valid.entries.len(), 1);
    assert_eq!(valid.entries[0].pubkey, key(1).public_key());
    assert_eq!(valid.entries[0].checkpoints, vec![checkpoint(1, 1, 0), checkpoint(1, 2, 0)]);
}

/// A random history: checkpoints with distinct `(rollup, batch)`, some signed and some
/// imported, over small and extreme numbers.
fn history() -> impl Strategy<Value = Vec<(Checkpoint, bool)>> {
    let number = prop_oneof![0u64..4, Just(u64::MAX), Just(i64::MAX as u64 + 1), any::<u64>()];
    let cp = (number.clone(), number.clone(), any::<u64>(), any::<[u8; 32]>(), any::<[u8; 32]>())
        .prop_map(|(rollup, batch, block, hash, root)| Checkpoint {
            rollup_id: RollupId(rollup),
            batch_index: batch,
            l2_block_number: block,
            l2_block_hash: B256::from(hash),
            state_root: B256::from(root),
        });
    proptest::collection::vec((cp, proptest::bool::weighted(0.3)), 0..10).prop_map(|mut v| {
        let mut seen = std::collections::HashSet::new();
        v.retain(|(cp, _)| seen.insert((cp.rollup_id, cp.batch_index)));
        v
    })
}

/// export ∘ import is the identity: a fresh database that imports a history exports exactly the
/// same document, holds the same checkpoints, and a repeated import changes nothing.
fn export_import_is_the_identity(kind: Kind, cases: u32) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let env = TestEnv::new(kind);
    let signer = Signer::new(key(1));
    let config = ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() };
    let mut runner = proptest::test_runner::TestRunner::new(config);
    runner
        .run(&history(), |history| {
            runtime.block_on(async {
                let source = open(&env.fresh_url().await, &signer.sk).await;
                let imported: Vec<Checkpoint> =
                    history.iter().filter(|(_, signed)| !signed).map(|(cp, _)| *cp).collect();
                source.import(&Interchange::new(source.identity(), imported)).await.unwrap();
                for (cp, signed) in &history {
                    if *signed {
                        sign(&source, &signer, cp).await.unwrap();
                    }
                }
                let exported = source.export().await.unwrap();
                let json = exported.to_json();

                let target = open(&env.fresh_url().await, &signer.sk).await;
                let report = target.import(&Interchange::from_json(&json).unwrap()).await.unwrap();
                prop_assert_eq!(report.imported, history.len());
                prop_assert!(report.conflicts.is_empty());
                prop_assert_eq!(&target.export().await.unwrap(), &exported);
                let ours: Vec<_> =
                    source.records().await.unwrap().iter().map(|r| r.checkpoint).collect();
                let theirs: Vec<_> =
                    target.records().await.unwrap().iter().map(|r| r.checkpoint).collect();
                prop_assert_eq!(&ours, &theirs);
                let mut expected: Vec<_> = history.iter().map(|(cp, _)| *cp).collect();
                expected.sort_by_key(|cp| (cp.rollup_id, cp.batch_index));
                prop_assert_eq!(&ours, &expected);

                let again = target.import(&exported).await.unwrap();
                prop_assert_eq!(again.already_recorded, history.len());
                prop_assert_eq!(&target.export().await.unwrap(), &exported);
                source.close().await;
                target.close().await;
                Ok(())
            })
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

mod property {
    use super::*;

    #[test]
    fn sqlite_export_import_is_the_identity() {
        export_import_is_the_identity(Kind::Sqlite, 32);
    }

    #[test]
    fn postgres_export_import_is_the_identity() {
        export_import_is_the_identity(Kind::Postgres, 24);
    }
}

/// The example in README.md is a valid document, for the test key, holding what it says.
#[test]
fn the_readme_example_is_valid() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = readme.find("```json\n").expect("a JSON block") + "```json\n".len();
    let json = &readme[start..start + readme[start..].find("```").expect("block end")];
    let doc = Interchange::from_json(json).expect("the README example parses");
    let expected = Checkpoint {
        rollup_id: RollupId(1),
        batch_index: 7,
        l2_block_number: 1234,
        l2_block_hash: B256::repeat_byte(0xaa),
        state_root: B256::repeat_byte(0xbb),
    };
    assert_eq!(doc, Interchange::new(&identity(&key(1)), [expected]));
    assert_eq!(doc.validate().unwrap().entries[0].checkpoints, vec![expected]);
}
