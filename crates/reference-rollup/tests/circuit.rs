//! The batch circuit: satisfied by honest batches, unsatisfiable for every kind of cheat.

mod common;

use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystem};
use common::*;
use rampart_reference_rollup::{Batch, BatchCircuit, BatchWitness, Fr, Shape, State};

const SHAPE: Shape = Shape { rollup_id: ROLLUP, depth: 4, batch_size: 3 };

fn satisfied(w: BatchWitness) -> bool {
    let cs = ConstraintSystem::<Fr>::new_ref();
    BatchCircuit::new(SHAPE, w).unwrap().generate_constraints(cs.clone()).unwrap();
    cs.is_satisfied().unwrap()
}

fn honest(txs: Vec<rampart_reference_rollup::SignedTransfer>) -> BatchWitness {
    let mut s = State::new(&genesis(4, 4, 100));
    s.apply_batch(&Batch { rollup_id: ROLLUP, index: 0, transfers: txs }).unwrap()
}

#[test]
fn honest_batches_satisfy_the_circuit_full_partial_and_empty() {
    assert!(satisfied(honest(vec![
        signed(0, 1, 30, 0),
        signed(1, 2, 130, 0),
        signed(0, 3, 70, 1)
    ])));
    assert!(satisfied(honest(vec![signed(2, 3, 1, 0)])));
    assert!(satisfied(honest(vec![])));
}

#[test]
fn forged_honest_witness_matches_the_state() {
    // The forging helper equals real execution on valid input, so the negative tests below
    // differ from an honest batch only by the cheat.
    let txs = vec![signed(0, 1, 30, 0), signed(1, 2, 130, 0)];
    let forged = forge(&genesis(4, 4, 100), 0, &txs);
    let real = honest(txs);
    assert_eq!(forged.public_inputs(), real.public_inputs());
    assert!(satisfied(forged));
}

#[test]
fn a_bad_signature_is_unsatisfiable() {
    let mut tx = signed(0, 1, 30, 0);
    tx.signature = key(0).sign(Fr::from(1u64));
    assert!(!satisfied(forge(&genesis(4, 4, 100), 0, &[tx])));
    // Signed by another account's key.
    let other = rampart_reference_rollup::Transfer { from: 0, to: 1, amount: 30, nonce: 0 }
        .sign(&key(2), ROLLUP);
    assert!(!satisfied(forge(&genesis(4, 4, 100), 0, &[other])));
}

#[test]
fn an_overdraft_is_unsatisfiable() {
    assert!(!satisfied(forge(&genesis(4, 4, 100), 0, &[signed(0, 1, 101, 0)])));
    // Draining exactly the balance is fine.
    assert!(satisfied(forge(&genesis(4, 4, 100), 0, &[signed(0, 1, 100, 0)])));
}

#[test]
fn a_replayed_or_skipped_nonce_is_unsatisfiable() {
    let replay = signed(0, 1, 10, 0);
    assert!(!satisfied(forge(&genesis(4, 4, 100), 0, &[replay, replay])));
    assert!(!satisfied(forge(&genesis(4, 4, 100), 0, &[signed(0, 1, 10, 1)])));
}

#[test]
fn self_transfers_and_overflows_are_unsatisfiable() {
    assert!(!satisfied(forge(&genesis(4, 4, 100), 0, &[signed(1, 1, 10, 0)])));
    let mut g = genesis(4, 4, 100);
    g.accounts.get_mut(&1).unwrap().balance = u64::MAX - 5;
    assert!(!satisfied(forge(&g, 0, &[signed(0, 1, 6, 0)])));
}

#[test]
fn a_wrong_root_or_commitment_is_unsatisfiable() {
    let w = honest(vec![signed(0, 1, 30, 0)]);
    let one = Fr::from(1u64);
    let mut bad = w.clone();
    bad.new_root += one;
    assert!(!satisfied(bad));
    let mut bad = w.clone();
    bad.prev_root += one;
    assert!(!satisfied(bad));
    let mut bad = w.clone();
    bad.commitment += one;
    assert!(!satisfied(bad));
    // Dropping a transfer while keeping the commitment of the full batch.
    let mut bad = honest(vec![signed(0, 1, 30, 0), signed(1, 2, 5, 0)]);
    let full_commitment = bad.commitment;
    bad.steps.pop();
    bad.new_root = forge(&genesis(4, 4, 100), 0, &[signed(0, 1, 30, 0)]).new_root;
    assert_eq!(bad.commitment, full_commitment);
    assert!(!satisfied(bad));
}

#[test]
fn constraint_counts() {
    let count = |depth: usize, batch_size: usize| {
        let cs = ConstraintSystem::<Fr>::new_ref();
        BatchCircuit::blank(Shape { rollup_id: ROLLUP, depth, batch_size })
            .generate_constraints(cs.clone())
            .unwrap();
        cs.num_constraints()
    };
    let one = count(8, 1);
    let two = count(8, 2);
    let per_transfer = two - one;
    // Four Merkle paths per transfer: each level of depth adds four permutations.
    let per_level = count(9, 1) - one;
    println!(
        "constraints: depth 8: {one} for one transfer, {per_transfer} per transfer; +{per_level} per level of depth"
    );
    // A regression guard on the circuit's cost (docs/benchmarks.md quotes these numbers).
    assert!((15_000..17_500).contains(&per_transfer), "per transfer {per_transfer}");
    assert!((900..1100).contains(&per_level), "per level {per_level}");
}

#[test]
fn a_batch_proof_verifies_against_its_public_inputs_only() {
    use rampart_gpu_prover::{BackendChoice, Engine, ProverKey, key, verify};
    let shape = Shape { rollup_id: ROLLUP, depth: 2, batch_size: 1 };
    let mut rng = <rand08::rngs::StdRng as rand08::SeedableRng>::seed_from_u64(7);
    let pk = std::sync::Arc::new(ProverKey::setup(BatchCircuit::blank(shape), &mut rng).unwrap());
    let mut s = State::new(&genesis(2, 3, 100));
    let w = s
        .apply_batch(&Batch { rollup_id: ROLLUP, index: 0, transfers: vec![signed(0, 2, 9, 0)] })
        .unwrap();
    let inputs = w.public_inputs();
    let (_, z) = key::synthesize(BatchCircuit::new(shape, w).unwrap()).unwrap();
    let engine = Engine::new(BackendChoice::Cpu).unwrap();
    let proof = engine.prove(&engine.load(pk.clone()).unwrap(), &z, &mut rng).unwrap();
    let vk = pk.verifying_key();
    assert!(verify(vk, &inputs, &proof).unwrap());
    for i in 0..3 {
        let mut other = inputs;
        other[i] += Fr::from(1u64);
        assert!(!verify(vk, &other, &proof).unwrap(), "input {i} is bound");
    }
}
