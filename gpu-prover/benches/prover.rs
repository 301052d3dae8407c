//! Criterion benches of the proving engine's hot paths, each next to its arkworks baseline in
//! the same run: G1 MSM, G2 MSM, NTT and whole Groth16 proofs, on the CPU backend and (when a
//! CUDA device is present) the CUDA backend.
//!
//!   cargo bench -p rampart-gpu-prover --bench prover
//!
//! Sizes: RAMPART_BENCH_MSM_LOG (default 16), RAMPART_BENCH_G2_LOG (14),
//! RAMPART_BENCH_NTT_LOG (16), RAMPART_BENCH_PROOF_LOG (14; the circuit has 2^k - 3 constraints).

#![allow(missing_docs, clippy::print_stderr)]

use std::sync::Arc;

use ark_bn254::{Fr, G1Projective, G2Projective};
use ark_ec::VariableBaseMSM;
use ark_ff::UniformRand;
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rampart_gpu_prover::bench::{ark_groth16_proof, random_points, random_scalars};
use rampart_gpu_prover::circuit::MulChain;
use rampart_gpu_prover::cuda::{self, CudaBackend};
use rampart_gpu_prover::key::synthesize;
use rampart_gpu_prover::{BackendChoice, Engine, ProverKey, cpu};
use rand08::SeedableRng;

fn log(var: &str, default: u32) -> u32 {
    std::env::var(var).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn gpu() -> Option<CudaBackend> {
    match cuda::unavailable_reason() {
        None => CudaBackend::new(0).ok(),
        Some(why) => {
            eprintln!("CUDA rows skipped: {why}");
            None
        }
    }
}

fn msm(c: &mut Criterion) {
    let gpu = gpu();
    let k = log("RAMPART_BENCH_MSM_LOG", 16);
    let points = random_points::<G1Projective>(1 << k, 1);
    let scalars = random_scalars(1 << k, 2);
    let mut g = c.benchmark_group("msm_g1");
    g.sample_size(10);
    g.bench_function(BenchmarkId::new("arkworks", k), |b| {
        b.iter(|| G1Projective::msm_unchecked(&points, &scalars))
    });
    g.bench_function(BenchmarkId::new("rampart-cpu", k), |b| {
        b.iter(|| cpu::msm_g1(&points, &scalars))
    });
    if let Some(gpu) = &gpu {
        let dev = gpu.upload_g1(&points).unwrap();
        g.bench_function(BenchmarkId::new("rampart-cuda", k), |b| {
            b.iter(|| gpu.msm_g1(&dev, &scalars).unwrap())
        });
    }
    g.finish();

    let k = log("RAMPART_BENCH_G2_LOG", 14);
    let points = random_points::<G2Projective>(1 << k, 3);
    let scalars = random_scalars(1 << k, 4);
    let mut g = c.benchmark_group("msm_g2");
    g.sample_size(10);
    g.bench_function(BenchmarkId::new("arkworks", k), |b| {
        b.iter(|| G2Projective::msm_unchecked(&points, &scalars))
    });
    g.bench_function(BenchmarkId::new("rampart-cpu", k), |b| {
        b.iter(|| cpu::msm_g2(&points, &scalars))
    });
    if let Some(gpu) = &gpu {
        let dev = gpu.upload_g2(&points).unwrap();
        g.bench_function(BenchmarkId::new("rampart-cuda", k), |b| {
            b.iter(|| gpu.msm_g2(&dev, &scalars).unwrap())
        });
    }
    g.finish();
}

fn ntt(c: &mut Criterion) {
    let gpu = gpu();
    let k = log("RAMPART_BENCH_NTT_LOG", 16);
    let values = random_scalars(1 << k, 5);
    let domain = Radix2EvaluationDomain::<Fr>::new(1 << k).unwrap();
    let mut g = c.benchmark_group("ntt");
    g.sample_size(10);
    g.bench_function(BenchmarkId::new("arkworks", k), |b| b.iter(|| domain.fft(&values)));
    if let Some(gpu) = &gpu {
        let tables = gpu.ntt_tables(1 << k).unwrap();
        g.bench_function(BenchmarkId::new("rampart-cuda", k), |b| {
            b.iter(|| gpu.ntt(&tables, &values, false).unwrap())
        });
    }
    g.finish();
}

fn groth16(c: &mut Criterion) {
    let gpu = gpu();
    let k = log("RAMPART_BENCH_PROOF_LOG", 14);
    let circuit = MulChain { constraints: (1 << k) - 3, seed: 6 };
    let mut rng = rand08::rngs::StdRng::seed_from_u64(7);
    let key = Arc::new(ProverKey::setup(circuit, &mut rng).unwrap());
    let (_, z) = synthesize(circuit).unwrap();
    let (r, s) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
    let matrices = key.r1cs.to_matrices();
    let mut g = c.benchmark_group("groth16");
    g.sample_size(10);
    g.bench_function(BenchmarkId::new("arkworks", k), |b| {
        b.iter(|| ark_groth16_proof(&key, &matrices, &z, r, s).unwrap())
    });
    let engine = Engine::new(BackendChoice::Cpu).unwrap();
    let loaded = engine.load(key.clone()).unwrap();
    g.bench_function(BenchmarkId::new("rampart-cpu", k), |b| {
        b.iter(|| engine.prove_with_randomness(&loaded, &z, r, s).unwrap())
    });
    if let Some(gpu) = gpu {
        let engine = Engine::with_cuda(gpu);
        let loaded = engine.load(key.clone()).unwrap();
        g.bench_function(BenchmarkId::new("rampart-cuda", k), |b| {
            b.iter(|| engine.prove_with_randomness(&loaded, &z, r, s).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, msm, ntt, groth16);
criterion_main!(benches);
