//! CUDA backend on a real device: every kernel and whole proofs compared with the CPU backend
//! on random inputs (never zeros). Runs when a CUDA device is present; otherwise each test says
//! "skipped: no CUDA device". Sizes grow with RAMPART_GPU_TEST_LOG (default 16).
#![allow(clippy::print_stdout)] // the skip notice and the ptxas report are the output

mod common;

use std::sync::Arc;

use ark_bn254::Fr;
use ark_ff::UniformRand;
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use common::*;
use rampart_gpu_prover::circuit::MulChain;
use rampart_gpu_prover::cuda::{self, CudaBackend};
use rampart_gpu_prover::key::synthesize;
use rampart_gpu_prover::{BackendChoice, Engine, ProverKey, cpu, verify};

fn device() -> Option<CudaBackend> {
    if let Some(why) = cuda::unavailable_reason() {
        println!("skipped: no CUDA device ({why})");
        return None;
    }
    let b = CudaBackend::new(0).expect("a CUDA device is present, so the backend must open");
    println!("device: {}", b.device());
    Some(b)
}

fn log_size() -> u32 {
    std::env::var("RAMPART_GPU_TEST_LOG").ok().and_then(|v| v.parse().ok()).unwrap_or(16)
}

#[test]
fn gpu_msm_equals_cpu() {
    let Some(b) = device() else { return };
    let n = 1usize << log_size();
    let mut rng = rng(21);
    let points = g1_points(n, &mut rng);
    let s = scalars(n, &mut rng);
    let dev = b.upload_g1(&points).unwrap();
    assert_eq!(b.msm_g1(&dev, &s).unwrap(), cpu::msm_g1(&points, &s));
    let n2 = n / 16;
    let g2 = g2_points(n2, &mut rng);
    let dev2 = b.upload_g2(&g2).unwrap();
    assert_eq!(b.msm_g2(&dev2, &s[..n2]).unwrap(), cpu::msm_g2(&g2, &s[..n2]));
}

#[test]
fn gpu_ntt_equals_cpu() {
    let Some(b) = device() else { return };
    let n = 1usize << log_size();
    let values = scalars(n, &mut rng(22));
    let domain = Radix2EvaluationDomain::<Fr>::new(n).unwrap();
    let t = b.ntt_tables(n).unwrap();
    assert_eq!(b.ntt(&t, &values, false).unwrap(), domain.fft(&values));
    assert_eq!(b.ntt(&t, &values, true).unwrap(), domain.ifft(&values));
}

#[test]
fn gpu_proof_equals_cpu_proof() {
    let Some(b) = device() else { return };
    let circuit = MulChain { constraints: (1 << log_size()) - 4, seed: 23 };
    let key = Arc::new(ProverKey::setup(circuit, &mut rng(23)).unwrap());
    let (_, z) = synthesize(circuit).unwrap();
    let mut rng = rng(24);
    let (r, s) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
    let gpu = Engine::with_cuda(b);
    let cpu = Engine::new(BackendChoice::Cpu).unwrap();
    let gk = gpu.load(key.clone()).unwrap();
    let ck = cpu.load(key.clone()).unwrap();
    let proof = gpu.prove_with_randomness(&gk, &z, r, s).unwrap();
    assert_eq!(proof, cpu.prove_with_randomness(&ck, &z, r, s).unwrap());
    assert!(verify(&key.pk.vk, &z[1..3], &proof).unwrap());
    // the key stays resident: a second proof with other randomness is also valid
    let again = gpu.prove(&gk, &z, &mut rng).unwrap();
    assert!(verify(&key.pk.vk, &z[1..3], &again).unwrap());
}

#[test]
fn auto_falls_back_to_cpu_and_says_why() {
    let engine = Engine::new(BackendChoice::Auto).unwrap();
    match cuda::unavailable_reason() {
        Some(why) => {
            assert_eq!(engine.backend_name(), "cpu");
            assert!(engine.reason().contains(&why), "{}", engine.reason());
            assert!(Engine::new(BackendChoice::Cuda).is_err());
        }
        None => assert_eq!(engine.backend_name(), "cuda", "{}", engine.reason()),
    }
}
