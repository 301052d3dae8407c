//! The rollup proving key file and batch proofs through it.

mod common;

use common::{ROLLUP, genesis, signed};
use rampart_gpu_prover::{BackendChoice, Engine, KeyCheck};
use rampart_reference_rollup::{Batch, Fr, ProvingError, RollupKey, Shape, State};

fn rng() -> rand08::rngs::StdRng {
    <rand08::rngs::StdRng as rand08::SeedableRng>::seed_from_u64(11)
}

#[test]
fn a_saved_key_loads_with_its_shape_and_proves_batches_that_verify() {
    let shape = Shape { rollup_id: ROLLUP, depth: 2, batch_size: 2 };
    let key = RollupKey::setup(shape, &mut rng()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rollup.pk");
    key.save(&path).unwrap();
    let loaded = RollupKey::load(&path, KeyCheck::Full).unwrap();
    assert_eq!(loaded.shape(), shape);
    assert_eq!(loaded.solidity_verifying_key(), key.solidity_verifying_key());

    let engine = Engine::new(BackendChoice::Cpu).unwrap();
    let device_key = engine.load(loaded.prover_key().clone()).unwrap();
    let mut state = State::new(&genesis(2, 3, 100));
    // A partly filled batch (one of two slots) and then a full one.
    for (index, transfers) in
        [(0, vec![signed(0, 2, 9, 0)]), (1, vec![signed(1, 0, 4, 0), signed(0, 1, 1, 1)])]
    {
        let witness = state.apply_batch(&Batch { rollup_id: ROLLUP, index, transfers }).unwrap();
        let inputs = witness.public_inputs();
        let proof = loaded.prove(&engine, &device_key, witness, &mut rng()).unwrap();
        assert_eq!(proof.public_inputs, inputs);
        let ark = proof.proof.to_proof().unwrap();
        let vk = key.prover_key().verifying_key();
        assert!(rampart_gpu_prover::verify(vk, &inputs, &ark).unwrap());
        let mut other = inputs;
        other[1] += Fr::from(1u64);
        assert!(!rampart_gpu_prover::verify(vk, &other, &ark).unwrap());
    }
}

#[test]
fn the_assignment_alone_equals_the_full_synthesis() {
    use rampart_gpu_prover::key;
    use rampart_reference_rollup::BatchCircuit;
    let shape = Shape { rollup_id: ROLLUP, depth: 3, batch_size: 2 };
    let witness = State::new(&genesis(3, 3, 100))
        .apply_batch(&Batch { rollup_id: ROLLUP, index: 0, transfers: vec![signed(0, 2, 9, 0)] })
        .unwrap();
    let circuit = BatchCircuit::new(shape, witness).unwrap();
    let (r1cs, full) = key::synthesize(circuit.clone()).unwrap();
    assert_eq!(key::assignment(circuit).unwrap(), full);
    assert_eq!(full.len(), r1cs.num_variables());
}

#[test]
fn a_witness_of_another_shape_is_refused() {
    let key =
        RollupKey::setup(Shape { rollup_id: ROLLUP, depth: 2, batch_size: 1 }, &mut rng()).unwrap();
    let engine = Engine::new(BackendChoice::Cpu).unwrap();
    let device_key = engine.load(key.prover_key().clone()).unwrap();
    // Two transfers do not fit one slot.
    let witness = State::new(&genesis(2, 3, 100))
        .apply_batch(&Batch {
            rollup_id: ROLLUP,
            index: 0,
            transfers: vec![signed(0, 2, 9, 0), signed(1, 2, 9, 0)],
        })
        .unwrap();
    let err = key.prove(&engine, &device_key, witness, &mut rng()).unwrap_err();
    assert!(matches!(err, ProvingError::Shape(_)), "{err}");
    // A deeper tree is another circuit.
    let witness = State::new(&genesis(3, 3, 100))
        .apply_batch(&Batch { rollup_id: ROLLUP, index: 0, transfers: vec![signed(0, 2, 9, 0)] })
        .unwrap();
    let err = key.prove(&engine, &device_key, witness, &mut rng()).unwrap_err();
    assert!(matches!(err, ProvingError::Shape(_)), "{err}");
}

#[test]
fn files_that_are_not_rollup_keys_are_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let key =
        RollupKey::setup(Shape { rollup_id: ROLLUP, depth: 2, batch_size: 1 }, &mut rng()).unwrap();
    let good = dir.path().join("good.pk");
    key.save(&good).unwrap();
    let bytes = std::fs::read(&good).unwrap();

    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("bad magic", [b"NOTAKEY!".as_slice(), &bytes[8..]].concat()),
        ("depth 0", [&bytes[..16], &0u32.to_le_bytes(), &bytes[20..]].concat()),
        ("depth 33", [&bytes[..16], &33u32.to_le_bytes(), &bytes[20..]].concat()),
        ("batch size 0", [&bytes[..20], &0u32.to_le_bytes(), &bytes[24..]].concat()),
        ("truncated", bytes[..bytes.len() / 2].to_vec()),
    ];
    for (what, bytes) in cases {
        let path = dir.path().join("bad.pk");
        std::fs::write(&path, bytes).unwrap();
        let err = RollupKey::load(&path, KeyCheck::Full).unwrap_err();
        assert!(matches!(err, ProvingError::Malformed { .. }), "{what}: {err}");
        assert!(err.to_string().contains("bad.pk"), "{what}: {err}");
    }
    let err = RollupKey::load(&dir.path().join("missing.pk"), KeyCheck::Full).unwrap_err();
    assert!(matches!(err, ProvingError::Io { .. }), "{err}");
}
