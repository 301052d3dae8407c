//! Hot-path benchmarks of rampart-crypto, each next to the raw blst call it wraps, measured in
//! the same run so the overhead of the wrappers is a ratio rather than an absolute time.
//!
//! Run: `cargo bench -p rampart-crypto --bench bls`

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{BenchmarkId, Criterion, black_box, criterion_group, criterion_main};
use rampart_crypto::{
    AggregatePublicKey, DST_SIGNATURE, Digest, PublicKey, SecretKey, Signature, SignatureSet,
    aggregate_signatures, batch_verify,
};

fn keys(n: usize) -> Vec<SecretKey> {
    (0..n)
        .map(|i| {
            let mut ikm = [0u8; 32];
            ikm[..8].copy_from_slice(&(i as u64).to_le_bytes());
            SecretKey::key_gen(&ikm).unwrap()
        })
        .collect()
}

fn raw_pk(pk: &PublicKey) -> blst::min_pk::PublicKey {
    blst::min_pk::PublicKey::from_bytes(&pk.to_compressed()).unwrap()
}

fn raw_sig(sig: &Signature) -> blst::min_pk::Signature {
    blst::min_pk::Signature::from_bytes(&sig.to_compressed()).unwrap()
}

fn single(c: &mut Criterion) {
    let sk = &keys(1)[0];
    let raw_sk = blst::min_pk::SecretKey::from_bytes(sk.to_bytes().as_ref()).unwrap();
    let pk = sk.public_key();
    let digest = Digest::repeat_byte(7);
    let sig = sk.sign(&digest);
    let (rpk, rsig) = (raw_pk(&pk), raw_sig(&sig));

    let mut g = c.benchmark_group("sign");
    g.bench_function("rampart", |b| b.iter(|| sk.sign(black_box(&digest))));
    g.bench_function("blst", |b| {
        b.iter(|| raw_sk.sign(black_box(digest.as_slice()), DST_SIGNATURE, &[]))
    });
    g.finish();

    let mut g = c.benchmark_group("verify");
    g.bench_function("rampart", |b| {
        b.iter(|| sig.verify(black_box(&pk), black_box(&digest)).unwrap())
    });
    g.bench_function("blst", |b| {
        b.iter(|| {
            rsig.verify(
                false,
                black_box(digest.as_slice()),
                DST_SIGNATURE,
                &[],
                black_box(&rpk),
                false,
            )
        })
    });
    g.finish();

    let compressed = sig.to_compressed();
    let mut g = c.benchmark_group("decode_signature");
    g.bench_function("rampart", |b| {
        b.iter(|| Signature::from_compressed(black_box(&compressed)).unwrap())
    });
    g.bench_function("blst", |b| {
        b.iter(|| blst::min_pk::Signature::sig_validate(black_box(&compressed), true).unwrap())
    });
    g.finish();
}

fn many(c: &mut Criterion) {
    const N: usize = 1000;
    let sks = keys(N);
    let pks: Vec<PublicKey> = sks.iter().map(SecretKey::public_key).collect();
    let digest = Digest::repeat_byte(9);
    let sigs: Vec<Signature> = sks.iter().map(|sk| sk.sign(&digest)).collect();
    let raw_pks: Vec<blst::min_pk::PublicKey> = pks.iter().map(raw_pk).collect();
    let raw_sigs: Vec<blst::min_pk::Signature> = sigs.iter().map(raw_sig).collect();
    let pk_refs: Vec<&PublicKey> = pks.iter().collect();
    let sig_refs: Vec<&Signature> = sigs.iter().collect();
    let raw_pk_refs: Vec<&blst::min_pk::PublicKey> = raw_pks.iter().collect();
    let raw_sig_refs: Vec<&blst::min_pk::Signature> = raw_sigs.iter().collect();
    let agg = aggregate_signatures(&sig_refs).unwrap();
    let raw_agg = raw_sig(&agg);

    let mut g = c.benchmark_group("aggregate_1000_pubkeys");
    g.bench_function("rampart", |b| {
        b.iter(|| AggregatePublicKey::from_keys(black_box(&pks)).unwrap().to_public_key().unwrap())
    });
    g.bench_function("blst", |b| {
        b.iter(|| {
            blst::min_pk::AggregatePublicKey::aggregate(black_box(&raw_pk_refs), false)
                .unwrap()
                .to_public_key()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("aggregate_1000_signatures");
    g.bench_function("rampart", |b| b.iter(|| aggregate_signatures(black_box(&sig_refs)).unwrap()));
    g.bench_function("blst", |b| {
        b.iter(|| {
            blst::min_pk::AggregateSignature::aggregate(black_box(&raw_sig_refs), false)
                .unwrap()
                .to_signature()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("fast_aggregate_verify_1000");
    g.bench_function("rampart", |b| {
        b.iter(|| agg.fast_aggregate_verify(black_box(&digest), black_box(&pk_refs)).unwrap())
    });
    g.bench_function("blst", |b| {
        b.iter(|| {
            raw_agg.fast_aggregate_verify(
                false,
                black_box(digest.as_slice()),
                DST_SIGNATURE,
                black_box(&raw_pk_refs),
            )
        })
    });
    g.finish();
}

fn batch(c: &mut Criterion) {
    let mut g = c.benchmark_group("batch_verify");
    for n in [64usize, 256] {
        let sks = keys(n);
        let pks: Vec<PublicKey> = sks.iter().map(SecretKey::public_key).collect();
        let digests: Vec<Digest> =
            (0..n).map(|i| Digest::left_padding_from(&(i as u64).to_be_bytes())).collect();
        let sigs: Vec<Signature> = sks.iter().zip(&digests).map(|(sk, d)| sk.sign(d)).collect();
        let sets: Vec<SignatureSet<'_>> = (0..n)
            .map(|i| SignatureSet { public_key: &pks[i], digest: &digests[i], signature: &sigs[i] })
            .collect();
        g.bench_with_input(BenchmarkId::new("rampart", n), &sets, |b, sets| {
            b.iter(|| batch_verify(black_box(sets)).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("individual_verify", n), &sets, |b, sets| {
            b.iter(|| sets.iter().for_each(|s| s.signature.verify(s.public_key, s.digest).unwrap()))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).warm_up_time(std::time::Duration::from_secs(1)).measurement_time(std::time::Duration::from_secs(3));
    targets = single, many, batch
}
criterion_main!(benches);
