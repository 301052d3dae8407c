//! Properties of optimistic verification and of certificates.

use alloy_primitives::{Address, U256};
use proptest::prelude::*;
use rampart_aggregator::verify::verify_batch;
use rampart_aggregator::{CheckpointAggregate, Error, OperatorSetView};
use rampart_crypto::{Digest, PublicKey, SecretKey, Signature};
use std::sync::Arc;

fn keys(n: usize, seed: u8) -> Vec<SecretKey> {
    (0..n).map(|i| SecretKey::key_gen(&[seed, i as u8, 0x41, 0x47].repeat(8)).unwrap()).collect()
}

/// Ceil(log2(n)) for n ≥ 1.
fn log2(n: usize) -> usize {
    (usize::BITS - (n.max(1) - 1).leading_zeros()) as usize
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Random subsets of bad signatures are always found, good ones never blamed, within the
    /// O(k log n) budget.
    #[test]
    fn bisection_finds_exactly_the_bad_signatures(n in 1usize..40, bad_mask in any::<u64>(), kind in any::<u8>(), seed in any::<u8>()) {
        let sks = keys(n, seed);
        let pks: Vec<PublicKey> = sks.iter().map(SecretKey::public_key).collect();
        let digest = Digest::repeat_byte(seed);
        let other = Digest::repeat_byte(seed.wrapping_add(1));
        let mut expected_bad = Vec::new();
        let sigs: Vec<Signature> = (0..n).map(|i| {
            if bad_mask >> (i % 64) & 1 == 1 && i % 3 != 2 {
                expected_bad.push(i);
                // Over another message, or by another key.
                if kind % 2 == 0 { sks[i].sign(&other) } else { sks[(i + 1) % n].sign(&other) }
            } else {
                sks[i].sign(&digest)
            }
        }).collect();
        let items: Vec<(&PublicKey, &Signature)> = pks.iter().zip(&sigs).collect();
        let verdict = verify_batch(&digest, &items);
        prop_assert_eq!(&verdict.invalid, &expected_bad);
        let expected_good: Vec<usize> = (0..n).filter(|i| !expected_bad.contains(i)).collect();
        prop_assert_eq!(&verdict.valid, &expected_good);
        let k = expected_bad.len();
        prop_assert!(verdict.checks <= 1 + 2 * k * log2(n).max(1), "{} checks for n={n}, k={k}", verdict.checks);
        if k == 0 {
            prop_assert_eq!(verdict.checks, 1, "all good: one check");
        }
    }

    /// Certificates: signed + non-signer stake = total; non-signers sorted by key hash; the
    /// aggregate verifies for the signers; the threshold test is L1's inequality.
    #[test]
    fn certificates_match_l1_arithmetic(n in 1usize..24, signers_mask in any::<u32>(), stakes in prop::collection::vec(1u64..1000, 24), bps in 1u16..=10_000) {
        let sks = keys(n, 7);
        let addresses: Vec<Address> = (0..n).map(|i| Address::with_last_byte(i as u8 + 1)).collect();
        let view = Arc::new(OperatorSetView::new(42, (0..n).map(|i| (addresses[i], sks[i].public_key(), U256::from(stakes[i])))));
        let digest = Digest::repeat_byte(9);
        let mut agg = CheckpointAggregate::new(digest, view.clone());
        let batch: Vec<(Address, Signature)> = (0..n).filter(|i| signers_mask >> i & 1 == 1).map(|i| (addresses[i], sks[i].sign(&digest))).collect();
        let results = agg.add(&batch);
        prop_assert!(results.iter().all(Result::is_ok));
        let signed: u64 = (0..n).filter(|i| signers_mask >> i & 1 == 1).map(|i| stakes[i]).sum();
        let total: u64 = stakes[..n].iter().sum();
        prop_assert_eq!(agg.signed_stake(), U256::from(signed));
        prop_assert_eq!(agg.reached(bps), signed * 10_000 >= total * u64::from(bps));
        match agg.certificate() {
            Err(Error::Empty) => prop_assert!(batch.is_empty()),
            Err(e) => prop_assert!(false, "{e}"),
            Ok(cert) => {
                prop_assert_eq!(cert.signed_stake + non_signer_stake(&view, &cert.non_signers), cert.total_stake);
                let hashes: Vec<_> = cert.non_signers.iter().map(PublicKey::key_hash).collect();
                prop_assert!(hashes.windows(2).all(|w| w[0] < w[1]), "sorted, no duplicates");
                let signer_pks: Vec<PublicKey> = batch.iter().map(|(a, _)| view.operator(a).unwrap().pubkey).collect();
                let refs: Vec<&PublicKey> = signer_pks.iter().collect();
                prop_assert!(cert.aggregate_signature.fast_aggregate_verify(&digest, &refs).is_ok());
                prop_assert_eq!(cert.signers + cert.non_signers.len(), n);
            }
        }
    }
}

fn non_signer_stake(view: &OperatorSetView, non_signers: &[PublicKey]) -> U256 {
    view.operators().filter(|(_, o)| non_signers.contains(&o.pubkey)).map(|(_, o)| o.stake).sum()
}

#[test]
fn unknown_duplicate_and_invalid_are_refused_and_attributed() {
    let sks = keys(3, 1);
    let addresses: Vec<Address> = (1..=3).map(Address::with_last_byte).collect();
    let view = Arc::new(OperatorSetView::new(
        1,
        (0..3).map(|i| (addresses[i], sks[i].public_key(), U256::from(10u64))),
    ));
    let digest = Digest::repeat_byte(1);
    let mut agg = CheckpointAggregate::new(digest, view);
    let stranger = Address::with_last_byte(99);
    let results = agg.add(&[
        (addresses[0], sks[0].sign(&digest)),
        (stranger, sks[1].sign(&digest)),
        (addresses[1], sks[2].sign(&digest)), // someone else's key
        (addresses[0], sks[0].sign(&digest)), // repeat within the batch
    ]);
    assert_eq!(results[0], Ok(()));
    assert_eq!(results[1], Err(Error::UnknownOperator(stranger)));
    assert_eq!(results[2], Err(Error::InvalidSignature(addresses[1])));
    assert_eq!(results[3], Err(Error::Duplicate(addresses[0])));
    assert_eq!(agg.signed_stake(), U256::from(10u64));
    // A later repeat of an accepted signer is a duplicate too.
    assert_eq!(
        agg.add(&[(addresses[0], sks[0].sign(&digest))]),
        vec![Err(Error::Duplicate(addresses[0]))]
    );
}
