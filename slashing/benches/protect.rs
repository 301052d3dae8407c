//! Cost of one `sign_checkpoint` on SQLite and PostgreSQL, without the BLS signing.
//!
//! `new checkpoint` is the full path of a fresh batch: begin, insert, the signer (here a closure
//! returning a signature made beforehand, outside the timed region), verification of that
//! signature under the protected key, update, durable commit. `bls verify` is that verification
//! alone, so `new checkpoint − bls verify` is the database's share. `re-sign` is the idempotent
//! path (the stored signature comes back) and `refused` the equivocation refusal.
//!
//! PostgreSQL runs on a throwaway local server (the tests' harness), over TCP on 127.0.0.1 with
//! `fsync=on` and `synchronous_commit=on`; SQLite on a file in the temporary directory with WAL
//! and `synchronous=FULL`.

#![allow(missing_docs, unreachable_pub)]

use rampart_testkit::postgres as pg;

use alloy_primitives::{B256, address};
use criterion::{Criterion, criterion_group, criterion_main};
use rampart_crypto::SecretKey;
use rampart_primitives::{Checkpoint, RollupId};
use rampart_slashing::{Identity, SlashingProtection};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

fn checkpoint(batch: u64, variant: u8) -> Checkpoint {
    Checkpoint {
        rollup_id: RollupId(1),
        batch_index: batch,
        l2_block_number: batch * 10,
        l2_block_hash: B256::repeat_byte(variant),
        state_root: B256::repeat_byte(variant ^ 0x5a),
    }
}

fn bench_backend(c: &mut Criterion, name: &str, url: &str) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sk = Arc::new(SecretKey::key_gen(&[7; 32]).unwrap());
    let identity = Identity {
        chain_id: 31337,
        attestation_center: address!("0x5FbDB2315678afecb367f032d93F642f64180aa3"),
        pubkey: sk.public_key(),
    };
    let domain = identity.domain();
    let db = Arc::new(runtime.block_on(SlashingProtection::open(url, identity)).unwrap());
    let next = Arc::new(AtomicU64::new(1_000));

    let mut group = c.benchmark_group(name);
    group.sample_size(20).measurement_time(Duration::from_secs(8));
    group.bench_function("new checkpoint", |b| {
        b.to_async(&runtime).iter_custom(|iters| {
            let (db, sk, next) = (db.clone(), sk.clone(), next.clone());
            async move {
                let work: Vec<_> = (0..iters)
                    .map(|_| {
                        let cp = checkpoint(next.fetch_add(1, Ordering::Relaxed), 0);
                        let digest = cp.digest(&domain);
                        (cp, digest, sk.sign(&digest))
                    })
                    .collect();
                let start = Instant::now();
                for (cp, digest, signature) in work {
                    db.sign_checkpoint(&cp, digest, move |_| signature).await.unwrap();
                }
                start.elapsed()
            }
        })
    });

    let signed = checkpoint(1, 0);
    let signed_digest = signed.digest(&domain);
    runtime.block_on(db.sign_checkpoint(&signed, signed_digest, |d| sk.sign(d))).unwrap();
    group.bench_function("re-sign", |b| {
        b.to_async(&runtime).iter(|| {
            let db = db.clone();
            async move {
                db.sign_checkpoint(&signed, signed_digest, |_| unreachable!()).await.unwrap()
            }
        })
    });
    let conflicting = checkpoint(1, 1);
    let conflicting_digest = conflicting.digest(&domain);
    group.bench_function("refused", |b| {
        b.to_async(&runtime).iter(|| {
            let db = db.clone();
            async move {
                db.sign_checkpoint(&conflicting, conflicting_digest, |_| unreachable!())
                    .await
                    .unwrap_err()
            }
        })
    });
    group.finish();
}

fn bench(c: &mut Criterion) {
    let sk = SecretKey::key_gen(&[7; 32]).unwrap();
    let pk = sk.public_key();
    let digest = checkpoint(1, 0).digest(&rampart_primitives::Domain::new(1, Default::default()));
    let signature = sk.sign(&digest);
    let mut group = c.benchmark_group("reference");
    group.bench_function("bls sign", |b| b.iter(|| sk.sign(&digest)));
    group.bench_function("bls verify", |b| b.iter(|| signature.verify(&pk, &digest).unwrap()));
    group.finish();

    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("bench.sqlite").display());
    bench_backend(c, "sqlite", &sqlite);

    let server = pg::TempPostgres::start();
    bench_backend(c, "postgres", &server.create_database("bench"));
}

criterion_group!(benches, bench);
criterion_main!(benches);
