//! The benchmark harness behind `rampart prover bench`: MSMs (G1, G2), NTTs and whole Groth16
//! proofs at chosen sizes on the CPU and, when present, the GPU, each next to its arkworks
//! baseline measured in the same run. Prints a table and writes JSON.

use std::time::Instant;

use ark_bn254::{Bn254, Fr, G1Projective, G2Affine, G2Projective};
use ark_ec::{CurveGroup, PrimeGroup, VariableBaseMSM};
use ark_ff::UniformRand;
use ark_groth16::{Groth16, Proof, r1cs_to_qap::LibsnarkReduction};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use ark_relations::r1cs::ConstraintMatrices;
use rand08::SeedableRng;
use rand08::rngs::StdRng;
use rayon::prelude::*;
use serde::Serialize;

use crate::circuit::MulChain;
use crate::cuda::CudaBackend;
use crate::engine::{BackendChoice, Engine};
use crate::error::{ProverError, Result};
use crate::key::{ProverKey, synthesize};
use crate::{cpu, cuda};

/// What to measure.
#[derive(Clone, Debug)]
pub struct Spec {
    /// log2 sizes of G1 MSMs.
    pub msm_g1: Vec<u32>,
    /// log2 sizes of G2 MSMs.
    pub msm_g2: Vec<u32>,
    /// log2 sizes of forward NTTs.
    pub ntt: Vec<u32>,
    /// log2 domain sizes of whole proofs (the circuit has 2^k - 3 constraints).
    pub groth16: Vec<u32>,
    /// `cpu`, `cuda`, or `auto` (CPU always, plus CUDA when usable).
    pub backend: BackendChoice,
    /// Timed runs per row (after one warm-up); the median is reported.
    pub samples: usize,
}

/// One measured row.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// `msm_g1`, `msm_g2`, `ntt` or `groth16`.
    pub what: &'static str,
    /// log2 of the size.
    pub log_size: u32,
    /// `arkworks` (the baseline), `rampart-cpu` or `rampart-cuda`.
    pub implementation: &'static str,
    /// The device, in words.
    pub device: String,
    /// Median over the samples, milliseconds.
    pub median_ms: f64,
    /// Fastest sample, milliseconds.
    pub min_ms: f64,
    /// Timed samples.
    pub samples: usize,
}

fn time<T>(samples: usize, mut f: impl FnMut() -> Result<T>) -> Result<(f64, f64)> {
    f()?; // warm-up (and, for the GPU, the first-use costs)
    let mut ms = Vec::with_capacity(samples);
    for _ in 0..samples.max(1) {
        let t = Instant::now();
        std::hint::black_box(f()?);
        ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    ms.sort_by(f64::total_cmp);
    Ok((ms[ms.len() / 2], ms[0]))
}

/// `n` distinct pseudo-random points, cheaply: chunks of a random start plus multiples of a
/// random step (one addition per point instead of a scalar multiplication).
pub fn random_points<G: CurveGroup + PrimeGroup>(n: usize, seed: u64) -> Vec<G::Affine>
where
    G::ScalarField: UniformRand,
{
    const CHUNK: usize = 1 << 12;
    let mut rng = StdRng::seed_from_u64(seed);
    let step = G::generator() * G::ScalarField::rand(&mut rng);
    let starts: Vec<G> =
        (0..n.div_ceil(CHUNK)).map(|_| G::generator() * G::ScalarField::rand(&mut rng)).collect();
    let projective: Vec<G> = starts
        .par_iter()
        .enumerate()
        .flat_map_iter(|(c, start)| {
            let len = CHUNK.min(n - c * CHUNK);
            std::iter::successors(Some(*start), move |p| Some(*p + step)).take(len)
        })
        .collect();
    G::normalize_batch(&projective)
}

/// The baseline: ark-groth16's own prover on the same key, witness and randomness
/// (`matrices` = `key.r1cs.to_matrices()`, made once outside any timed loop).
pub fn ark_groth16_proof(
    key: &ProverKey,
    matrices: &ConstraintMatrices<Fr>,
    z: &[Fr],
    r: Fr,
    s: Fr,
) -> Result<Proof<Bn254>> {
    Groth16::<Bn254, LibsnarkReduction>::create_proof_with_reduction_and_matrices(
        &key.pk,
        r,
        s,
        matrices,
        key.r1cs.num_instance,
        key.r1cs.num_constraints(),
        z,
    )
    .map_err(|e| ProverError::Synthesis(e.to_string()))
}

/// Random non-zero scalars.
pub fn random_scalars(n: usize, seed: u64) -> Vec<Fr> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n).map(|_| Fr::rand(&mut rng)).collect()
}

/// Runs `spec`, calling `on_row` as each row is measured.
pub fn run(spec: &Spec, mut on_row: impl FnMut(&Row)) -> Result<Vec<Row>> {
    let cpu_label = format!("CPU, {} threads", rayon::current_num_threads());
    // One CUDA engine for every row: the kernels compile once (NVRTC, ~25 s).
    let gpu_engine = match spec.backend {
        BackendChoice::Cpu => None,
        BackendChoice::Cuda => Some(Engine::with_cuda(CudaBackend::new(0)?)),
        BackendChoice::Auto => match cuda::unavailable_reason() {
            None => Some(Engine::with_cuda(CudaBackend::new(0)?)),
            Some(why) => {
                tracing::info!(%why, "benchmarking the CPU only");
                None
            }
        },
    };
    let gpu = gpu_engine.as_ref().and_then(Engine::cuda_backend);
    let cpu_engine = Engine::new(BackendChoice::Cpu)?;
    let mut rows = Vec::new();
    let mut push = |what, log_size, implementation, device: &str, (median_ms, min_ms)| {
        let row = Row {
            what,
            log_size,
            implementation,
            device: device.to_string(),
            median_ms,
            min_ms,
            samples: spec.samples,
        };
        on_row(&row);
        rows.push(row);
    };
    let samples = spec.samples;

    for &k in &spec.msm_g1 {
        let n = 1usize << k;
        let points = random_points::<G1Projective>(n, k as u64);
        let scalars = random_scalars(n, 1000 + k as u64);
        push(
            "msm_g1",
            k,
            "arkworks",
            &cpu_label,
            time(samples, || Ok(G1Projective::msm_unchecked(&points, &scalars)))?,
        );
        push(
            "msm_g1",
            k,
            "rampart-cpu",
            &cpu_label,
            time(samples, || Ok(cpu::msm_g1(&points, &scalars)))?,
        );
        if let Some(g) = gpu {
            let dev = g.upload_g1(&points)?;
            push(
                "msm_g1",
                k,
                "rampart-cuda",
                g.device(),
                time(samples, || g.msm_g1(&dev, &scalars))?,
            );
        }
    }
    for &k in &spec.msm_g2 {
        let n = 1usize << k;
        let points: Vec<G2Affine> = random_points::<G2Projective>(n, k as u64);
        let scalars = random_scalars(n, 2000 + k as u64);
        push(
            "msm_g2",
            k,
            "arkworks",
            &cpu_label,
            time(samples, || Ok(G2Projective::msm_unchecked(&points, &scalars)))?,
        );
        push(
            "msm_g2",
            k,
            "rampart-cpu",
            &cpu_label,
            time(samples, || Ok(cpu::msm_g2(&points, &scalars)))?,
        );
        if let Some(g) = gpu {
            let dev = g.upload_g2(&points)?;
            push(
                "msm_g2",
                k,
                "rampart-cuda",
                g.device(),
                time(samples, || g.msm_g2(&dev, &scalars))?,
            );
        }
    }
    for &k in &spec.ntt {
        let n = 1usize << k;
        let values = random_scalars(n, 3000 + k as u64);
        let domain = Radix2EvaluationDomain::<Fr>::new(n).ok_or(ProverError::DomainTooLarge(n))?;
        push("ntt", k, "arkworks", &cpu_label, time(samples, || Ok(domain.fft(&values)))?);
        if let Some(g) = gpu {
            let tables = g.ntt_tables(n)?;
            push(
                "ntt",
                k,
                "rampart-cuda",
                g.device(),
                time(samples, || g.ntt(&tables, &values, false))?,
            );
        }
    }
    for &k in &spec.groth16 {
        let circuit = MulChain { constraints: (1usize << k) - 3, seed: k as u64 };
        let mut rng = StdRng::seed_from_u64(k as u64);
        let started = Instant::now();
        let key = std::sync::Arc::new(ProverKey::setup(circuit, &mut rng)?);
        tracing::info!(
            log_size = k,
            setup_s = started.elapsed().as_secs_f64(),
            "benchmark key ready"
        );
        let (_, z) = synthesize(circuit)?;
        let (r, s) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
        let matrices = key.r1cs.to_matrices();
        push(
            "groth16",
            k,
            "arkworks",
            &cpu_label,
            time(samples, || ark_groth16_proof(&key, &matrices, &z, r, s))?,
        );
        let loaded = cpu_engine.load(key.clone())?;
        push(
            "groth16",
            k,
            "rampart-cpu",
            &cpu_label,
            time(samples, || cpu_engine.prove_with_randomness(&loaded, &z, r, s))?,
        );
        if let Some(engine) = &gpu_engine {
            let loaded = engine.load(key.clone())?;
            let device = engine.cuda_backend().map(CudaBackend::device).unwrap_or_default();
            push(
                "groth16",
                k,
                "rampart-cuda",
                device,
                time(samples, || engine.prove_with_randomness(&loaded, &z, r, s))?,
            );
        }
    }
    Ok(rows)
}

/// The rows as a plain-text table, with each row's speed-up over the arkworks baseline of the
/// same kind and size.
pub fn table(rows: &[Row]) -> String {
    let mut out = format!(
        "{:<8} {:>5} {:<13} {:>12} {:>12} {:>9}  {}\n",
        "what", "log2", "impl", "median ms", "min ms", "vs ark", "device"
    );
    for r in rows {
        let base = rows
            .iter()
            .find(|b| {
                b.what == r.what && b.log_size == r.log_size && b.implementation == "arkworks"
            })
            .map(|b| format!("{:.2}x", b.median_ms / r.median_ms))
            .unwrap_or_default();
        out.push_str(&format!(
            "{:<8} {:>5} {:<13} {:>12.3} {:>12.3} {:>9}  {}\n",
            r.what, r.log_size, r.implementation, r.median_ms, r.min_ms, base, r.device
        ));
    }
    out
}
