//! Same-run comparison of two "collect N operators' signatures over one message and produce
//! the aggregate" paths:
//!
//! - `rampart/N`: decode + subgroup-check N compressed BLS12-381 G2 signatures, `add` them as
//!   one batch to a fresh `CheckpointAggregate` (optimistic aggregate verification), check the
//!   2/3 threshold, build the certificate;
//! - `eigensdk/N`: eigensdk-rs `BlsAggregatorService` (BN254), a long-lived service; per
//!   iteration one new task over the same N operators (threshold 100% of quorum 0, so every
//!   signature is needed), `process_signature` for each pre-signed signature, then wait for
//!   the aggregated response on the service's output channel.
//!
//! A second group, `breakdown`, splits each side: `rampart_predecoded/N` is the Rampart path
//! without the wire decode (signatures already validated), `eigensdk_verify_only/N` is just
//! eigensdk's per-signature check (`eigen_crypto_bn254::utils::verify_message`) N times, with no
//! service, channels or aggregation around it.
//!
//! Both run single-threaded (the eigensdk service on a current-thread tokio runtime, as its
//! own tests do). Run: see README.md.

use alloy_primitives::{Address, B256, U256};
use criterion::{BenchmarkId, Criterion, Throughput, black_box, criterion_group, criterion_main};
use eigen_crypto_bls::{BlsG2Point, BlsKeyPair, Signature as Bn254Signature};
use eigen_crypto_bn254::utils::verify_message;
use eigen_services_avsregistry::fake_avs_registry_service::FakeAvsRegistryService;
use eigen_services_blsaggregation::bls_agg::{
    AggregateReceiver, BlsAggregatorService, ServiceHandle, TaskMetadata, TaskSignature,
};
use eigen_types::test::TestOperator;
use rampart_aggregator::{CheckpointAggregate, OperatorSetView};
use rampart_crypto::{Digest, SecretKey, Signature};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Rampart's certificate threshold (basis points).
const THRESHOLD_BPS: u16 = 6667;
/// Reference block for both sides.
const BLOCK: u32 = 7;

/// Deterministic, distinct, well-spread 128-bit values (splitmix64 twice) for key material.
fn spread(i: u64) -> u128 {
    fn mix(mut z: u64) -> u64 {
        z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    (u128::from(mix(2 * i + 1)) << 64) | u128::from(mix(2 * i + 2))
}

/// Rampart inputs: the operator-set view and the N signatures as they arrive on the wire.
struct RampartInput {
    view: Arc<OperatorSetView>,
    addresses: Vec<Address>,
    wire: Vec<[u8; rampart_crypto::SIGNATURE_LEN]>,
    digest: Digest,
}

fn rampart_input(n: usize, digest: Digest) -> RampartInput {
    let sks: Vec<SecretKey> = (0..n as u64)
        .map(|i| SecretKey::key_gen(&spread(i).to_le_bytes().repeat(2)).expect("ikm is 32 bytes"))
        .collect();
    let addresses: Vec<Address> =
        (0..n as u64).map(|i| Address::left_padding_from(&(i + 1).to_be_bytes())).collect();
    let view = Arc::new(OperatorSetView::new(
        BLOCK,
        sks.iter().zip(&addresses).map(|(sk, a)| (*a, sk.public_key(), U256::from(1u64))),
    ));
    let wire = sks.iter().map(|sk| sk.sign(&digest).to_compressed()).collect();
    RampartInput { view, addresses, wire, digest }
}

/// The wire step: decode and validate (curve, subgroup, not identity) every signature.
fn rampart_decode(input: &RampartInput) -> Vec<(Address, Signature)> {
    input
        .addresses
        .iter()
        .zip(&input.wire)
        .map(|(a, bytes)| (*a, Signature::from_compressed(bytes).expect("valid signature")))
        .collect()
}

/// One Rampart iteration; returns the number of signers in the certificate.
fn rampart_once(input: &RampartInput) -> usize {
    rampart_aggregate(input, &rampart_decode(input))
}

/// Verify-and-aggregate of already decoded signatures, threshold check, certificate.
fn rampart_aggregate(input: &RampartInput, batch: &[(Address, Signature)]) -> usize {
    let mut aggregate = CheckpointAggregate::new(input.digest, Arc::clone(&input.view));
    let results = aggregate.add(batch);
    assert!(results.iter().all(Result::is_ok), "every signature verifies");
    assert!(aggregate.reached(THRESHOLD_BPS));
    let certificate = aggregate.certificate().expect("non-empty");
    black_box(&certificate);
    certificate.signers
}

/// eigensdk inputs: the service (already started), its receiver, and N pre-signed signatures.
struct EigenInput {
    handle: ServiceHandle,
    receiver: AggregateReceiver,
    signatures: Vec<(B256, Bn254Signature)>,
    /// G2 keys in the same order as `signatures`, for the verify-only breakdown.
    g2_keys: Vec<BlsG2Point>,
    digest: B256,
    next_task: u32,
}

fn eigen_input(n: usize, digest: B256) -> EigenInput {
    let operators: Vec<TestOperator> = (0..n as u64)
        .map(|i| TestOperator {
            operator_id: B256::left_padding_from(&(i + 1).to_be_bytes()),
            stake_per_quorum: HashMap::from([(0u8, U256::from(1u64))]),
            bls_keypair: BlsKeyPair::new(spread(i).to_string()).expect("decimal below r"),
        })
        .collect();
    let signatures = operators
        .iter()
        .map(|op| (op.operator_id, op.bls_keypair.sign_message(&digest.0)))
        .collect();
    let g2_keys = operators.iter().map(|op| op.bls_keypair.public_key_g2()).collect();
    let registry = FakeAvsRegistryService::new(u64::from(BLOCK), operators);
    let (handle, receiver) = BlsAggregatorService::new(registry).start();
    EigenInput { handle, receiver, signatures, g2_keys, digest, next_task: 0 }
}

/// One eigensdk iteration: a new task, N `process_signature` calls, the aggregated response.
async fn eigen_once(input: &mut EigenInput) -> usize {
    let task_index = input.next_task;
    input.next_task += 1;
    let metadata = TaskMetadata::new(
        task_index,
        u64::from(BLOCK),
        vec![0],
        vec![100],
        Duration::from_secs(600),
    );
    input.handle.initialize_task(metadata).await.expect("new task index");
    for (operator_id, signature) in &input.signatures {
        let task_signature =
            TaskSignature::new(task_index, input.digest, signature.clone(), *operator_id);
        input.handle.process_signature(task_signature).await.expect("signature verifies");
    }
    let response =
        input.receiver.receive_aggregated_response().await.expect("quorum reached, not expired");
    assert_eq!(response.task_index, task_index);
    assert!(response.non_signers_pub_keys_g1.is_empty());
    black_box(&response);
    input.signatures.len()
}

/// What the service does to check one signature, N times, outside the service.
fn eigen_verify_only(input: &EigenInput) -> usize {
    input
        .signatures
        .iter()
        .zip(&input.g2_keys)
        .filter(|((_, sig), pk)| verify_message(pk.g2(), &input.digest.0, sig.g1_point().g1()))
        .count()
}

fn compare(c: &mut Criterion) {
    let rampart_digest = Digest::repeat_byte(0x5a);
    let eigen_digest = B256::repeat_byte(0x5a);
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");

    for n in [100usize, 1000] {
        let mut group = c.benchmark_group("aggregate_all_valid");
        group.throughput(Throughput::Elements(n as u64));
        if n >= 1000 {
            group.sample_size(10);
            group.warm_up_time(Duration::from_secs(2));
            group.measurement_time(Duration::from_secs(20));
        } else {
            group.sample_size(20);
            group.warm_up_time(Duration::from_secs(2));
            group.measurement_time(Duration::from_secs(10));
        }

        let rampart = rampart_input(n, rampart_digest);
        assert_eq!(rampart_once(&rampart), n);
        group.bench_with_input(BenchmarkId::new("rampart", n), &rampart, |b, input| {
            b.iter(|| rampart_once(input))
        });

        // The service is spawned on (and lives in) this runtime; each iteration is one task.
        let mut eigen = runtime.block_on(async { eigen_input(n, eigen_digest) });
        assert_eq!(runtime.block_on(eigen_once(&mut eigen)), n);
        group.bench_function(BenchmarkId::new("eigensdk", n), |b| {
            b.iter(|| runtime.block_on(eigen_once(&mut eigen)))
        });
        group.finish();

        let mut group = c.benchmark_group("breakdown");
        group.throughput(Throughput::Elements(n as u64));
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(if n >= 1000 { 20 } else { 5 }));
        let decoded = rampart_decode(&rampart);
        group.bench_function(BenchmarkId::new("rampart_predecoded", n), |b| {
            b.iter(|| rampart_aggregate(&rampart, &decoded))
        });
        assert_eq!(eigen_verify_only(&eigen), n);
        group.bench_function(BenchmarkId::new("eigensdk_verify_only", n), |b| {
            b.iter(|| eigen_verify_only(&eigen))
        });
        group.finish();
    }
}

criterion_group!(benches, compare);
criterion_main!(benches);
