//! The CUDA backend's kernels and orchestration, run by the host emulation (the same kernel
//! sources compiled as C++, every thread run in turn) and compared with arkworks. This is how
//! the GPU code is tested on machines without a GPU; `gpu.rs` runs the same comparisons on a
//! real device when one is present.

mod common;

use std::sync::Arc;

use ark_bn254::{Fr, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{Field, One, UniformRand, Zero};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use common::*;
use rampart_gpu_prover::bench::ark_groth16_proof;
use rampart_gpu_prover::circuit::MulChain;
use rampart_gpu_prover::cuda::{CudaBackend, MsmConfig};
use rampart_gpu_prover::key::synthesize;
use rampart_gpu_prover::{Engine, ProverKey, cpu, prover, verify};

fn emulated(window_bits: u32, chunk: u32) -> CudaBackend {
    CudaBackend::host_emulation()
        .with_msm_config(MsmConfig { window_bits: Some(window_bits), chunk })
}

#[test]
fn g1_msm_matches_arkworks_for_every_window_and_chunk_size() {
    let mut rng = rng(1);
    let points = g1_points(37, &mut rng);
    let scalars = scalars(37, &mut rng);
    let expected = naive_g1(&points, &scalars);
    for (c, chunk) in [(4, 1), (5, 3), (7, 64), (9, 2)] {
        let b = emulated(c, chunk);
        let dev = b.upload_g1(&points).unwrap();
        assert_eq!(b.msm_g1(&dev, &scalars).unwrap(), expected, "c = {c}, chunk = {chunk}");
    }
}

#[test]
fn g1_msm_handles_zeros_ones_extremes_repeats_and_infinity() {
    let mut rng = rng(2);
    let mut points = g1_points(24, &mut rng);
    // the same point many times (bucket additions of P + P take the doubling path),
    // and the point at infinity
    for i in 10..18 {
        points[i] = points[9];
    }
    points[20] = G1Affine::zero();
    let mut s = scalars(24, &mut rng);
    s[0] = Fr::zero();
    s[1] = Fr::one();
    s[2] = -Fr::one(); // r - 1: every window's digit is extreme
    s[3] = Fr::from(2u64).pow([253]);
    for v in &mut s[10..18] {
        *v = Fr::from(7u64); // identical (point, scalar) pairs land in one bucket
    }
    let expected = naive_g1(&points, &s);
    for (c, chunk) in [(4, 2), (6, 5)] {
        let b = emulated(c, chunk);
        let dev = b.upload_g1(&points).unwrap();
        assert_eq!(b.msm_g1(&dev, &s).unwrap(), expected, "c = {c}");
    }
    // all zero scalars: the identity
    let b = emulated(4, 2);
    let dev = b.upload_g1(&points).unwrap();
    assert!(b.msm_g1(&dev, &vec![Fr::zero(); 24]).unwrap().is_zero());
}

#[test]
fn g2_msm_matches_arkworks() {
    let mut rng = rng(3);
    let points = g2_points(11, &mut rng);
    let mut scalars = scalars(11, &mut rng);
    scalars[4] = Fr::one();
    let expected = naive_g2(&points, &scalars);
    for (c, chunk) in [(4, 1), (6, 4)] {
        let b = emulated(c, chunk);
        let dev = b.upload_g2(&points).unwrap();
        assert_eq!(b.msm_g2(&dev, &scalars).unwrap(), expected, "c = {c}");
    }
}

#[test]
fn ntt_and_inverse_match_arkworks() {
    let mut rng = rng(4);
    let b = CudaBackend::host_emulation();
    for log_n in [1u32, 3, 6] {
        let n = 1usize << log_n;
        let values = scalars(n, &mut rng);
        let domain = Radix2EvaluationDomain::<Fr>::new(n).unwrap();
        let t = b.ntt_tables(n).unwrap();
        assert_eq!(b.ntt(&t, &values, false).unwrap(), domain.fft(&values), "fft 2^{log_n}");
        assert_eq!(b.ntt(&t, &values, true).unwrap(), domain.ifft(&values), "ifft 2^{log_n}");
    }
}

#[test]
fn quotient_matches_the_cpu_backend() {
    let key = ProverKey::setup(MulChain { constraints: 13, seed: 5 }, &mut rng(5)).unwrap();
    let (_, z) = synthesize(MulChain { constraints: 13, seed: 5 }).unwrap();
    let evals = prover::evaluate(&key, &z).unwrap();
    let b = CudaBackend::host_emulation();
    assert_eq!(b.quotient(&evals).unwrap(), cpu::quotient(evals).unwrap());
}

#[test]
fn whole_proof_equals_cpu_and_ark_groth16_and_verifies() {
    let circuit = MulChain { constraints: 21, seed: 6 };
    let key = Arc::new(ProverKey::setup(circuit, &mut rng(6)).unwrap());
    let (_, z) = synthesize(circuit).unwrap();
    let mut rng = rng(7);
    let (r, s) = (Fr::rand(&mut rng), Fr::rand(&mut rng));

    let gpu = Engine::with_cuda(emulated(5, 3));
    let gpu_key = gpu.load(key.clone()).unwrap();
    let gpu_proof = gpu.prove_with_randomness(&gpu_key, &z, r, s).unwrap();

    let cpu = Engine::new(rampart_gpu_prover::BackendChoice::Cpu).unwrap();
    let cpu_key = cpu.load(key.clone()).unwrap();
    let cpu_proof = cpu.prove_with_randomness(&cpu_key, &z, r, s).unwrap();

    let ark = ark_groth16_proof(&key, &key.r1cs.to_matrices(), &z, r, s).unwrap();
    assert_eq!(gpu_proof, cpu_proof);
    assert_eq!(cpu_proof, ark);
    let inputs = &z[1..key.r1cs.num_instance];
    assert!(verify(&key.pk.vk, inputs, &gpu_proof).unwrap());
    assert!(!verify(&key.pk.vk, &[inputs[0] + Fr::one(), inputs[1]], &gpu_proof).unwrap());
    assert!(!gpu_proof.a.is_zero() && !gpu_proof.c.is_zero() && !G2Affine::is_zero(&gpu_proof.b));
}
