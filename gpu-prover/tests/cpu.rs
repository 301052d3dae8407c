//! The CPU backend and the engine's interface: proofs equal ark-groth16's, bad witnesses and
//! keys are clear errors, exported proofs round-trip and malformed ones are refused.

mod common;

use std::sync::Arc;

use alloy_primitives::U256;
use ark_bn254::Fr;
use ark_ff::{One, UniformRand};
use common::*;
use proptest::prelude::*;
use rampart_gpu_prover::bench::ark_groth16_proof;
use rampart_gpu_prover::circuit::MulChain;
use rampart_gpu_prover::key::synthesize;
use rampart_gpu_prover::{
    BackendChoice, Engine, KeyCheck, ProverError, ProverKey, SolidityProof, cpu, verify,
};

fn cpu_engine() -> Engine {
    Engine::new(BackendChoice::Cpu).unwrap()
}

#[test]
fn cpu_proofs_equal_ark_groth16_for_several_sizes() {
    let engine = cpu_engine();
    for (constraints, seed) in [(1, 1), (2, 2), (30, 3), (200, 4)] {
        let circuit = MulChain { constraints, seed };
        let key = Arc::new(ProverKey::setup(circuit, &mut rng(seed)).unwrap());
        let (_, z) = synthesize(circuit).unwrap();
        let mut rng = rng(seed + 100);
        let (r, s) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
        let loaded = engine.load(key.clone()).unwrap();
        let ours = engine.prove_with_randomness(&loaded, &z, r, s).unwrap();
        let ark = ark_groth16_proof(&key, &key.r1cs.to_matrices(), &z, r, s).unwrap();
        assert_eq!(ours, ark, "{constraints} constraints");
        let inputs = &z[1..key.r1cs.num_instance];
        assert!(verify(&key.pk.vk, inputs, &ours).unwrap());
        // random randomness: still valid, and different
        let other = engine.prove(&loaded, &z, &mut rng).unwrap();
        assert!(verify(&key.pk.vk, inputs, &other).unwrap());
        assert_ne!(other, ours);
    }
}

#[test]
fn witnesses_that_do_not_fit_are_refused() {
    let circuit = MulChain { constraints: 8, seed: 9 };
    let engine = cpu_engine();
    let key = engine.load(Arc::new(ProverKey::setup(circuit, &mut rng(9)).unwrap())).unwrap();
    let (_, z) = synthesize(circuit).unwrap();
    let mut rng = rng(10);

    let mut wrong = z.clone();
    wrong[5] += Fr::one();
    assert!(matches!(engine.prove(&key, &wrong, &mut rng), Err(ProverError::Unsatisfied { .. })));
    assert!(matches!(
        engine.prove(&key, &z[..z.len() - 1], &mut rng),
        Err(ProverError::WitnessLength { .. })
    ));
    let mut no_one = z.clone();
    no_one[0] = Fr::from(2u64);
    assert!(matches!(engine.prove(&key, &no_one, &mut rng), Err(ProverError::WitnessConstant)));
    // a public input that is not what the witness computed: unsatisfied output constraint
    let mut lie = z.clone();
    lie[2] += Fr::one();
    assert!(matches!(engine.prove(&key, &lie, &mut rng), Err(ProverError::Unsatisfied { .. })));
}

#[test]
fn keys_round_trip_through_files_and_malformed_keys_are_errors() {
    let circuit = MulChain { constraints: 5, seed: 11 };
    let key = ProverKey::setup(circuit, &mut rng(11)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.pk");
    key.save(&path).unwrap();
    assert_eq!(ProverKey::load(&path, KeyCheck::Full).unwrap(), key);
    assert_eq!(ProverKey::load(&path, KeyCheck::Trusted).unwrap(), key);

    let bytes = std::fs::read(&path).unwrap();
    for cut in [0, 4, 8, 100, bytes.len() / 2, bytes.len() - 1] {
        let err = ProverKey::read_from(&bytes[..cut], KeyCheck::Full).unwrap_err();
        assert!(matches!(err, ProverError::MalformedKey(_)), "cut at {cut}: {err}");
    }
    let mut bad_magic = bytes.clone();
    bad_magic[0] ^= 1;
    assert!(ProverKey::read_from(&bad_magic[..], KeyCheck::Full).is_err());
    // a flipped byte inside the first G1 point: off the curve, refused by the full check
    let mut off_curve = bytes.clone();
    off_curve[8 + 10] ^= 0x40;
    assert!(matches!(
        ProverKey::read_from(&off_curve[..], KeyCheck::Full),
        Err(ProverError::MalformedKey(_))
    ));
    assert!(matches!(
        ProverKey::load(&dir.path().join("missing"), KeyCheck::Full),
        Err(ProverError::KeyIo { .. })
    ));
}

#[test]
fn solidity_export_round_trips_and_verifies() {
    let circuit = MulChain { constraints: 4, seed: 12 };
    let engine = cpu_engine();
    let key = engine.load(Arc::new(ProverKey::setup(circuit, &mut rng(12)).unwrap())).unwrap();
    let (_, z) = synthesize(circuit).unwrap();
    let proof = engine.prove(&key, &z, &mut rng(13)).unwrap();
    let sol = SolidityProof::from_proof(&proof);
    assert_eq!(SolidityProof::from_bytes(&sol.to_bytes()).unwrap(), sol);
    assert_eq!(SolidityProof::from_words(sol.to_words()), sol);
    let back = sol.to_proof().unwrap();
    assert_eq!(back, proof);
    // G2 words are imaginary part first, as the pairing precompile reads them
    assert_eq!(
        sol.b[0][0],
        U256::from_be_slice(&ark_ff::BigInteger::to_bytes_be(&ark_ff::PrimeField::into_bigint(
            proof.b.x.c1
        )))
    );
    assert!(verify(key.key().verifying_key(), &z[1..3], &back).unwrap());
    assert!(SolidityProof::from_bytes(&[0u8; 255]).is_err());
}

#[test]
fn split_msm_matches_the_naive_sum_with_zeros_and_ones() {
    let mut rng = rng(14);
    let points = g1_points(50, &mut rng);
    let mut s = scalars(50, &mut rng);
    for i in (0..50).step_by(3) {
        s[i] = Fr::from((i % 2) as u64); // zeros and ones
    }
    assert_eq!(cpu::msm_g1(&points, &s), naive_g1(&points, &s));
    let g2 = g2_points(7, &mut rng);
    assert_eq!(cpu::msm_g2(&g2, &s[..7]), naive_g2(&g2, &s[..7]));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Arbitrary 256-byte strings decode to a proof only if every coordinate is a field element
    /// on the right curve (and subgroup); nothing panics.
    #[test]
    fn arbitrary_proof_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 256)) {
        let sol = SolidityProof::from_bytes(&bytes).unwrap();
        if let Ok(p) = sol.to_proof() {
            prop_assert_eq!(SolidityProof::from_proof(&p), sol);
        }
    }

    /// Coordinates at or above the field modulus are refused.
    #[test]
    fn out_of_range_coordinates_are_refused(word in 0usize..8, extra in any::<u64>()) {
        let p = U256::from_str_radix(
            "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47", 16).unwrap();
        let mut w = [U256::from(1u64); 8];
        w[word] = p + U256::from(extra % 1000);
        prop_assert!(SolidityProof::from_words(w).to_proof().is_err());
    }
}
