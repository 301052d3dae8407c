//! Signing through the protection database: refusals, idempotence, persistence, identity
//! binding, failed commits and durability.

use crate::support::{
    CENTER, CHAIN_ID, Kind, Signer, TestEnv, checkpoint, identity, key, open, sign,
};
use alloy_primitives::{Address, B256};
use rampart_primitives::{Checkpoint, Domain, RollupId};
use rampart_slashing::{Error, Identity, SlashingProtection};

async fn resigning_returns_the_stored_signature(env: &TestEnv) {
    let url = env.fresh_url().await;
    let signer = Signer::new(key(1));
    let db = open(&url, &signer.sk).await;
    let cp = checkpoint(1, 7, 0);

    let first = sign(&db, &signer, &cp).await.expect("first signature");
    let digest = cp.digest(&db.identity().domain());
    first.verify(&signer.sk.public_key(), &digest).expect("a valid signature");
    assert_eq!(signer.calls(), 1);

    let again = sign(&db, &signer, &cp).await.expect("re-signing the same checkpoint");
    assert_eq!(again, first, "re-signing must return the stored signature");
    assert_eq!(signer.calls(), 1, "re-signing must not call the signer again");

    let record = db.signed(1, 7).await.unwrap().expect("a record");
    assert_eq!(record.checkpoint, cp);
    assert_eq!(record.signing_root, digest);
    assert_eq!(record.signature, Some(first));
    assert_eq!(db.signed(1, 8).await.unwrap(), None);
    assert_eq!(db.signed(2, 7).await.unwrap(), None);
}

async fn a_different_checkpoint_is_refused_without_signing(env: &TestEnv) {
    let url = env.fresh_url().await;
    let signer = Signer::new(key(1));
    let db = open(&url, &signer.sk).await;
    let cp = checkpoint(1, 7, 0);
    sign(&db, &signer, &cp).await.unwrap();

    let other_root = checkpoint(1, 7, 1);
    let err = sign(&db, &signer, &other_root).await.expect_err("equivocation must be refused");
    match &err {
        Error::Refused { existing, requested } => {
            assert_eq!(**existing, cp);
            assert_eq!(**requested, other_root);
        }
        other => panic!("expected Refused, got {other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains("rollup 1 batch 7"), "{message}");
    assert!(message.contains(&cp.state_root.to_string()), "{message}");
    assert!(message.contains(&other_root.state_root.to_string()), "{message}");

    // Any field differing is a different checkpoint.
    let other_block = Checkpoint { l2_block_number: cp.l2_block_number + 1, ..cp };
    assert!(matches!(sign(&db, &signer, &other_block).await, Err(Error::Refused { .. })));
    let other_hash = Checkpoint { l2_block_hash: B256::repeat_byte(1), ..cp };
    assert!(matches!(sign(&db, &signer, &other_hash).await, Err(Error::Refused { .. })));
    assert_eq!(signer.calls(), 1, "a refused checkpoint must never reach the signer");
    assert_eq!(db.signed(1, 7).await.unwrap().unwrap().checkpoint, cp, "the record is kept");

    // Other batches and other rollups are independent.
    sign(&db, &signer, &checkpoint(1, 8, 1)).await.expect("next batch");
    sign(&db, &signer, &checkpoint(2, 7, 1)).await.expect("same batch of another rollup");
    assert_eq!(signer.calls(), 3);
}

async fn records_survive_reopening(env: &TestEnv) {
    let url = env.fresh_url().await;
    let signer = Signer::new(key(1));
    let mut signatures = Vec::new();
    {
        let db = open(&url, &signer.sk).await;
        for batch in 0..5 {
            signatures.push(sign(&db, &signer, &checkpoint(3, batch, 0)).await.unwrap());
        }
        db.close().await;
    }
    let db = open(&url, &signer.sk).await;
    assert_eq!(db.records().await.unwrap().len(), 5);
    for (batch, expected) in (0..5).zip(&signatures) {
        let again = sign(&db, &signer, &checkpoint(3, batch, 0)).await.unwrap();
        assert_eq!(again, *expected);
        assert!(matches!(
            sign(&db, &signer, &checkpoint(3, batch, 9)).await,
            Err(Error::Refused { .. })
        ));
    }
    assert_eq!(signer.calls(), 5, "after reopening, nothing was signed again");
}

async fn refuses_to_open_for_another_identity(env: &TestEnv) {
    let url = env.fresh_url().await;
    let sk = key(1);
    let ours = identity(&sk);
    let db = SlashingProtection::open(&url, ours).await.unwrap();
    sign(&db, &Signer::new(key(1)), &checkpoint(1, 1, 0)).await.unwrap();
    db.close().await;

    let other_key = Identity { pubkey: key(2).public_key(), ..ours };
    let other_chain = Identity { chain_id: 1, ..ours };
    let other_center = Identity { attestation_center: Address::repeat_byte(0x77), ..ours };
    for requested in [other_key, other_chain, other_center] {
        let err = SlashingProtection::open(&url, requested).await.expect_err("must refuse");
        match &err {
            Error::IdentityMismatch { stored, requested: req } => {
                assert_eq!(**stored, ours);
                assert_eq!(**req, requested);
            }
            other => panic!("expected IdentityMismatch, got {other:?}"),
        }
        let message = err.to_string();
        assert!(message.contains(&ours.to_string()), "{message}");
        assert!(message.contains(&requested.to_string()), "{message}");
    }

    // The refusals changed nothing: the database still opens for its own identity.
    let db = SlashingProtection::open(&url, ours).await.unwrap();
    assert_eq!(db.records().await.unwrap().len(), 1);
}

async fn the_digest_must_be_the_checkpoints(env: &TestEnv) {
    let url = env.fresh_url().await;
    let signer = Signer::new(key(1));
    let db = open(&url, &signer.sk).await;
    let cp = checkpoint(1, 7, 0);
    let wrong_domain = cp.digest(&Domain::new(CHAIN_ID + 1, CENTER));
    let wrong_checkpoint = checkpoint(1, 7, 1).digest(&db.identity().domain());
    for digest in [wrong_domain, wrong_checkpoint, B256::ZERO] {
        let err = db.sign_checkpoint(&cp, digest, signer.closure()).await.unwrap_err();
        assert!(matches!(err, Error::DigestMismatch { .. }), "{err:?}");
    }
    assert_eq!(signer.calls(), 0);
    assert_eq!(db.signed(1, 7).await.unwrap(), None, "nothing recorded");
    // The batch is still free.
    sign(&db, &signer, &checkpoint(1, 7, 1)).await.unwrap();
}

async fn a_signer_with_another_key_is_caught(env: &TestEnv) {
    let url = env.fresh_url().await;
    let db = open(&url, &key(1)).await;
    let impostor = Signer::new(key(2));
    let cp = checkpoint(1, 7, 0);
    let err = sign(&db, &impostor, &cp).await.unwrap_err();
    assert!(matches!(err, Error::WrongSigner { .. }), "{err:?}");
    assert!(err.to_string().contains(&key(1).public_key().to_string()), "{err}");
    assert_eq!(db.signed(1, 7).await.unwrap(), None, "the record was rolled back");

    // A conflicting checkpoint is not blocked by the discarded attempt.
    let signer = Signer::new(key(1));
    sign(&db, &signer, &checkpoint(1, 7, 1)).await.expect("batch still free");
}

/// Installs a trigger that makes the next COMMIT touching a signature fail, after the signer ran.
async fn block_commits(env: &TestEnv, url: &str) {
    let sql = match env.kind {
        // A deferred foreign key is checked at COMMIT.
        Kind::Sqlite => {
            "CREATE TABLE test_parent (id INTEGER PRIMARY KEY);
             CREATE TABLE test_blocker (
                 parent INTEGER REFERENCES test_parent (id) DEFERRABLE INITIALLY DEFERRED);
             CREATE TRIGGER test_block_commit AFTER UPDATE OF signature
             ON slashing_protection_checkpoints
             BEGIN INSERT INTO test_blocker VALUES (42); END;"
        }
        // A deferred constraint trigger runs at COMMIT.
        Kind::Postgres => {
            "CREATE FUNCTION test_block_commit() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN RAISE EXCEPTION 'commit blocked by the test'; END $$;
             CREATE CONSTRAINT TRIGGER test_block_commit AFTER UPDATE
             ON slashing_protection_checkpoints DEFERRABLE INITIALLY DEFERRED
             FOR EACH ROW EXECUTE FUNCTION test_block_commit();"
        }
    };
    env.exec(url, sql).await.expect("installing the commit blocker");
}

async fn unblock_commits(env: &TestEnv, url: &str) {
    let sql = match env.kind {
        Kind::Sqlite => "DROP TRIGGER test_block_commit;",
        Kind::Postgres => "DROP TRIGGER test_block_commit ON slashing_protection_checkpoints;",
    };
    env.exec(url, sql).await.expect("removing the commit blocker");
}

async fn a_failed_commit_never_returns_the_signature(env: &TestEnv) {
    let url = env.fresh_url().await;
    let signer = Signer::new(key(1));
    let db = open(&url, &signer.sk).await;
    let cp = checkpoint(1, 7, 0);
    block_commits(env, &url).await;

    let err = sign(&db, &signer, &cp).await.expect_err("the commit fails");
    assert!(matches!(err, Error::Database(_)), "{err:?}");
    let cause = match env.kind {
        Kind::Sqlite => "FOREIGN KEY constraint failed",
        Kind::Postgres => "commit blocked by the test",
    };
    assert!(err.to_string().contains(cause), "failed for another reason: {err}");
    assert_eq!(signer.calls(), 1, "the signature was made, then withheld");
    assert_eq!(db.signed(1, 7).await.unwrap(), None, "nothing committed");
    assert_eq!(env.stored_signature(&url, 1, 7).await, None);

    // Nothing was recorded, so a retry (of this or any checkpoint) proceeds normally.
    unblock_commits(env, &url).await;
    let signature = sign(&db, &signer, &cp).await.expect("signing after the failure");
    assert_eq!(signer.calls(), 2);
    assert_eq!(db.signed(1, 7).await.unwrap().unwrap().signature, Some(signature));
}

async fn a_panicking_signer_leaves_no_record(env: &TestEnv) {
    let url = env.fresh_url().await;
    let db = std::sync::Arc::new(open(&url, &key(1)).await);
    let cp = checkpoint(1, 7, 0);
    let digest = cp.digest(&db.identity().domain());
    let task = tokio::spawn({
        let db = db.clone();
        async move { db.sign_checkpoint(&cp, digest, |_| panic!("the signer crashed")).await }
    });
    assert!(task.await.expect_err("the task panicked").is_panic());
    assert_eq!(db.signed(1, 7).await.unwrap(), None, "the transaction was rolled back");
    // The batch is still free, for any checkpoint.
    let signer = Signer::new(key(1));
    sign(&db, &signer, &checkpoint(1, 7, 1)).await.expect("signing after the panic");
}

async fn a_closed_database_signs_nothing(env: &TestEnv) {
    let url = env.fresh_url().await;
    let signer = Signer::new(key(1));
    let db = open(&url, &signer.sk).await;
    db.close().await;
    let err = sign(&db, &signer, &checkpoint(1, 7, 0)).await.expect_err("closed");
    assert!(matches!(err, Error::Database(_)), "{err:?}");
    assert_eq!(signer.calls(), 0);
}

async fn an_ok_is_durable(env: &TestEnv) {
    let url = env.fresh_url().await;
    let signer = Signer::new(key(1));
    let db = open(&url, &signer.sk).await;
    for batch in 0..3 {
        let cp = checkpoint(5, batch, 0);
        let signature = sign(&db, &signer, &cp).await.unwrap();
        // Read back on a connection of our own while the signer's pool is still open: the
        // commit happened before `sign_checkpoint` returned.
        let stored = env.stored_signature(&url, 5, batch).await.expect("committed record");
        assert_eq!(stored, signature.to_compressed().to_vec());
        // And through a second, independent instance.
        let other = open(&url, &signer.sk).await;
        let record = other.signed(5, batch).await.unwrap().expect("visible to a new pool");
        assert_eq!(record.signature, Some(signature));
        other.close().await;
    }
}

/// Signing, then a crash, then restarting: the record is there. SQLite: the signing process is
/// SIGKILLed as soon as it reports the signature. PostgreSQL: the server is stopped the way a
/// crash stops it (no shutdown checkpoint) and restarts from its WAL.
async fn a_crash_after_ok_keeps_the_record(env: &TestEnv) {
    let url = env.fresh_url().await;
    let sk = key(1);
    let signature_hex = match env.kind {
        Kind::Sqlite => crate::crash::sign_in_child_and_kill(&url),
        Kind::Postgres => {
            let signer = Signer::new(key(1));
            let db = open(&url, &sk).await;
            let signature = sign(&db, &signer, &crate::crash::CRASH_CHECKPOINT).await.unwrap();
            env.postgres().crash_and_restart();
            drop(db);
            signature.to_string()
        }
    };
    let db = open(&url, &sk).await;
    let cp = crate::crash::CRASH_CHECKPOINT;
    let record = db.signed(cp.rollup_id.0, cp.batch_index).await.unwrap().expect("durable");
    assert_eq!(record.checkpoint, cp);
    assert_eq!(record.signature.expect("signature").to_string(), signature_hex);
    let conflicting = Checkpoint { state_root: B256::repeat_byte(0xee), ..cp };
    assert!(matches!(
        sign(&db, &Signer::new(key(1)), &conflicting).await,
        Err(Error::Refused { .. })
    ));
}

async fn extreme_values_round_trip(env: &TestEnv) {
    let url = env.fresh_url().await;
    let signer = Signer::new(key(1));
    let db = open(&url, &signer.sk).await;
    let values = [0, 1, i64::MAX as u64, i64::MAX as u64 + 1, u64::MAX];
    for &v in &values {
        let cp = Checkpoint {
            rollup_id: RollupId(v),
            batch_index: v,
            l2_block_number: v,
            l2_block_hash: B256::repeat_byte(0xff),
            state_root: B256::ZERO,
        };
        sign(&db, &signer, &cp).await.unwrap();
        assert_eq!(db.signed(v, v).await.unwrap().unwrap().checkpoint, cp);
        let conflicting = Checkpoint { l2_block_number: v ^ 1, ..cp };
        assert!(matches!(sign(&db, &signer, &conflicting).await, Err(Error::Refused { .. })));
    }
    let order: Vec<u64> =
        db.records().await.unwrap().iter().map(|r| r.checkpoint.batch_index).collect();
    assert_eq!(order, values, "records are ordered as unsigned numbers");
}

async fn an_imported_checkpoint_is_signed_once(env: &TestEnv) {
    let url = env.fresh_url().await;
    let signer = Signer::new(key(1));
    let db = open(&url, &signer.sk).await;
    let cp = checkpoint(1, 7, 0);
    let doc = rampart_slashing::Interchange::new(db.identity(), [cp]);
    db.import(&doc).await.unwrap();
    let record = db.signed(1, 7).await.unwrap().unwrap();
    assert_eq!(record.signature, None, "imported records carry no signature");

    assert!(matches!(sign(&db, &signer, &checkpoint(1, 7, 1)).await, Err(Error::Refused { .. })));
    assert_eq!(signer.calls(), 0);
    let signature = sign(&db, &signer, &cp).await.expect("the same checkpoint may be signed");
    assert_eq!(signer.calls(), 1);
    assert_eq!(sign(&db, &signer, &cp).await.unwrap(), signature);
    assert_eq!(signer.calls(), 1);
    assert_eq!(db.signed(1, 7).await.unwrap().unwrap().signature, Some(signature));
}

async fn the_schema_refuses_to_lower_protection(env: &TestEnv) {
    let url = env.fresh_url().await;
    let signer = Signer::new(key(1));
    let db = open(&url, &signer.sk).await;
    sign(&db, &signer, &checkpoint(1, 7, 0)).await.unwrap();
    let attempts = [
        "DELETE FROM slashing_protection_checkpoints",
        "UPDATE slashing_protection_checkpoints SET state_root = signing_root",
        "UPDATE slashing_protection_checkpoints SET signature = NULL",
        "UPDATE slashing_protection_identity SET chain_id = 1",
        "DELETE FROM slashing_protection_identity",
    ];
    for sql in attempts {
        let err = env.exec(&url, sql).await.expect_err(sql);
        assert!(err.to_string().contains("never"), "{sql}: {err}");
    }
    if env.kind == Kind::Postgres {
        let err = env.exec(&url, "TRUNCATE slashing_protection_checkpoints").await.unwrap_err();
        assert!(err.to_string().contains("never"), "{err}");
    }
    assert_eq!(db.records().await.unwrap().len(), 1);
}

crate::both_backends!(
    resigning_returns_the_stored_signature,
    a_different_checkpoint_is_refused_without_signing,
    records_survive_reopening,
    refuses_to_open_for_another_identity,
    the_digest_must_be_the_checkpoints,
    a_signer_with_another_key_is_caught,
    a_failed_commit_never_returns_the_signature,
    a_panicking_signer_leaves_no_record,
    a_closed_database_signs_nothing,
    an_ok_is_durable,
    a_crash_after_ok_keeps_the_record,
    extreme_values_round_trip,
    an_imported_checkpoint_is_signed_once,
    the_schema_refuses_to_lower_protection,
);

/// SQLite-only: the accepted URL forms, WAL mode, and refusals of useless URLs.
#[tokio::test]
async fn sqlite_url_forms() {
    let env = TestEnv::new(Kind::Sqlite);
    let path = env.sqlite_path(99);
    let sk = key(1);
    let signer = Signer::new(key(1));
    let plain = open(path.to_str().unwrap(), &sk).await;
    let signature = sign(&plain, &signer, &checkpoint(1, 1, 0)).await.unwrap();
    plain.close().await;
    for url in [format!("sqlite:{}", path.display()), format!("sqlite://{}", path.display())] {
        let db = open(&url, &sk).await;
        assert_eq!(db.backend(), "sqlite");
        assert_eq!(db.signed(1, 1).await.unwrap().unwrap().signature, Some(signature), "{url}");
        db.close().await;
    }

    let url = format!("sqlite://{}", path.display());
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url).await.unwrap();
    let (mode,): (String,) =
        sqlx::query_as("PRAGMA journal_mode").fetch_one(&mut conn).await.unwrap();
    assert_eq!(mode, "wal");

    for url in ["sqlite::memory:", "sqlite://:memory:", "sqlite://?mode=memory", ":memory:"] {
        let err = SlashingProtection::open(url, identity(&sk)).await.unwrap_err();
        assert!(matches!(err, Error::InMemory), "{url}: {err:?}");
    }
    for url in ["mysql://localhost/db", "http://example.invalid", ""] {
        let err = SlashingProtection::open(url, identity(&sk)).await.unwrap_err();
        assert!(matches!(err, Error::UnsupportedUrl(_)), "{url}: {err:?}");
    }
}

/// A fresh SQLite file in a directory that does not exist fails clearly instead of signing.
#[tokio::test]
async fn sqlite_missing_directory_fails() {
    let env = TestEnv::new(Kind::Sqlite);
    let path = env.sqlite_path(0).join("missing/dir/db.sqlite");
    let err = SlashingProtection::open(path.to_str().unwrap(), identity(&key(1))).await;
    assert!(matches!(err, Err(Error::Database(_))), "{err:?}");
}

/// `sslmode` in a Postgres URL is honoured: the throwaway server speaks no TLS, so `require`
/// must fail to open (never fall back to plaintext), while `disable` and `prefer` connect.
#[tokio::test]
async fn postgres_sslmode_is_honoured() {
    let env = TestEnv::new(Kind::Postgres);
    let url = env.fresh_url().await;
    let sk = key(1);
    let required = format!("{url}?sslmode=require");
    let err = SlashingProtection::open(&required, identity(&sk)).await.unwrap_err();
    assert!(matches!(err, Error::Database(_)), "{err:?}");
    for mode in ["disable", "prefer"] {
        let db = open(&format!("{url}?sslmode={mode}"), &sk).await;
        assert_eq!(db.backend(), "postgres");
        db.close().await;
    }
}
