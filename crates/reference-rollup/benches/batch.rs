//! Witness generation and proving of reference-rollup batches, per batch size (CPU backend;
//! CUDA rows when a device is present). `RAMPART_BENCH_BATCHES` (comma-separated batch sizes,
//! default "1,2,4") and `RAMPART_BENCH_DEPTH` (tree depth, default 8) pick the shapes.
//!
//! - `witness`: executing the batch on the state and computing the circuit's full assignment
//!   (what the operators' provers do; the constraint matrices come from the proving key);
//! - `prove`: the Groth16 proof from that assignment (key resident).
#![allow(missing_docs, clippy::print_stderr)]

use criterion::{Criterion, criterion_group, criterion_main};
use rampart_gpu_prover::{BackendChoice, Engine, ProverKey, key};
use rampart_reference_rollup::{Batch, BatchCircuit, Genesis, Shape, State, Transfer};
use std::sync::Arc;

fn env_list(name: &str, default: &str) -> Vec<usize> {
    std::env::var(name)
        .unwrap_or_else(|_| default.into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

fn bench(c: &mut Criterion) {
    let depth = env_list("RAMPART_BENCH_DEPTH", "8")[0];
    let mut rng = <rand08::rngs::StdRng as rand08::SeedableRng>::seed_from_u64(1);
    let mut group = c.benchmark_group("rollup");
    group.sample_size(10);
    for batch_size in env_list("RAMPART_BENCH_BATCHES", "1,2,4") {
        let shape = Shape { rollup_id: 1, depth, batch_size };
        let genesis = Genesis::devnet(1, depth, (2 * batch_size) as u32, 1_000, "bench");
        let transfers: Vec<_> = (0..batch_size as u32)
            .map(|i| {
                Transfer { from: 2 * i, to: 2 * i + 1, amount: 5, nonce: 0 }
                    .sign(&Genesis::devnet_key("bench", 2 * i), 1)
            })
            .collect();
        let batch = Batch { rollup_id: 1, index: 0, transfers };
        let witness = || {
            let w = State::new(&genesis).apply_batch(&batch).unwrap();
            let inputs = w.public_inputs();
            (key::assignment(BatchCircuit::new(shape, w).unwrap()).unwrap(), inputs)
        };
        let (z, inputs) = witness();
        let r1cs = key::synthesize(BatchCircuit::blank(shape)).unwrap().0;
        eprintln!(
            "batch of {batch_size} at depth {depth}: {} constraints, domain 2^{}",
            r1cs.a.len(),
            r1cs.domain_size().unwrap().trailing_zeros()
        );
        let pk = Arc::new(ProverKey::setup(BatchCircuit::blank(shape), &mut rng).unwrap());
        group.bench_function(format!("witness/{batch_size}"), |b| b.iter(witness));
        for choice in [BackendChoice::Cpu, BackendChoice::Cuda] {
            let Ok(engine) = Engine::new(choice) else { continue };
            let loaded = engine.load(pk.clone()).unwrap();
            let proof = engine.prove(&loaded, &z, &mut rng).unwrap();
            assert!(rampart_gpu_prover::verify(pk.verifying_key(), &inputs, &proof).unwrap());
            group.bench_function(format!("prove-{}/{batch_size}", engine.backend_name()), |b| {
                b.iter(|| engine.prove(&loaded, &z, &mut rng).unwrap())
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
