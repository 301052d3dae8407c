//! Aggregator hot paths, each next to its baseline in the same run.
//!
//! Run: `cargo bench -p rampart-aggregator --bench aggregation`
#![allow(missing_docs)]

use alloy_primitives::{Address, U256};
use criterion::{Criterion, black_box, criterion_group, criterion_main};
use rampart_aggregator::verify::verify_batch;
use rampart_aggregator::{CheckpointAggregate, OperatorSetView};
use rampart_crypto::{Digest, PublicKey, SecretKey, Signature};
use std::sync::Arc;

const N: usize = 1000;

fn setup() -> (Vec<Address>, Vec<PublicKey>, Vec<Signature>, Digest) {
    let digest = Digest::repeat_byte(3);
    let sks: Vec<SecretKey> =
        (0..N).map(|i| SecretKey::key_gen(&(i as u64).to_le_bytes().repeat(4)).unwrap()).collect();
    let addresses =
        (0..N).map(|i| Address::left_padding_from(&(i as u64 + 1).to_be_bytes())).collect();
    let pks = sks.iter().map(SecretKey::public_key).collect();
    let sigs = sks.iter().map(|sk| sk.sign(&digest)).collect();
    (addresses, pks, sigs, digest)
}

fn bench(c: &mut Criterion) {
    let (addresses, pks, sigs, digest) = setup();
    let items: Vec<(&PublicKey, &Signature)> = pks.iter().zip(&sigs).collect();
    let mut g = c.benchmark_group("verify_1000");
    g.sample_size(10);
    g.bench_function("optimistic_all_valid", |b| {
        b.iter(|| verify_batch(black_box(&digest), black_box(&items)))
    });
    let mut one_bad = sigs.clone();
    one_bad[500] = sigs[501];
    let bad_items: Vec<(&PublicKey, &Signature)> = pks.iter().zip(&one_bad).collect();
    g.bench_function("optimistic_one_invalid", |b| {
        b.iter(|| verify_batch(black_box(&digest), black_box(&bad_items)))
    });
    g.bench_function("individual_baseline", |b| {
        b.iter(|| items.iter().all(|(pk, sig)| sig.verify(pk, black_box(&digest)).is_ok()))
    });
    g.finish();

    let view =
        Arc::new(OperatorSetView::new(1, (0..N).map(|i| (addresses[i], pks[i], U256::from(1u64)))));
    let mut agg = CheckpointAggregate::new(digest, view);
    let batch: Vec<(Address, Signature)> =
        addresses.iter().copied().zip(sigs.iter().copied()).collect();
    agg.add(&batch);
    c.bench_function("certificate_1000_signed", |b| {
        b.iter(|| black_box(&agg).certificate().unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
