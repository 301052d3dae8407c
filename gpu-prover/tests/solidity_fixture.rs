//! Real Groth16 proofs for the Solidity verifier's tests: `contracts/test/fixtures/groth16.json`.
//!
//! A tiny circuit with exactly the three public inputs the L1 proof center passes,
//! `(prevStateRoot, newStateRoot, batchCommitment)`, and one witness `w` bound by
//! `new = prev · w + commitment`. A seeded setup and two chained proofs on the CPU engine
//! (genesis → r1 with commitment c0, r1 → r2 with c1) make the file deterministic. This test
//! regenerates it and fails if the committed file differs; run it with
//! `RAMPART_UPDATE_FIXTURES=1` to rewrite the file instead.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use alloy_primitives::U256;
use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField, UniformRand};
use ark_relations::lc;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use rampart_gpu_prover::key::synthesize;
use rampart_gpu_prover::{
    BackendChoice, Engine, ProverKey, SolidityProof, SolidityVerifyingKey, verify,
};
use serde_json::{Value, json};

/// One state transition: public `prev`, `new`, `commitment` (allocated in that order, so they
/// are the verifier's inputs 0, 1, 2) and private `w` with `prev · w = new − commitment`.
#[derive(Clone, Copy, Debug)]
struct Step {
    prev: Fr,
    commitment: Fr,
    w: Fr,
}

impl Step {
    fn new_root(&self) -> Fr {
        self.prev * self.w + self.commitment
    }
}

impl ConstraintSynthesizer<Fr> for Step {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let prev = cs.new_input_variable(|| Ok(self.prev))?;
        let new = cs.new_input_variable(|| Ok(self.new_root()))?;
        let commitment = cs.new_input_variable(|| Ok(self.commitment))?;
        let w = cs.new_witness_variable(|| Ok(self.w))?;
        cs.enforce_constraint(lc!() + prev, lc!() + w, lc!() + new - commitment)?;
        Ok(())
    }
}

fn word(x: U256) -> Value {
    Value::String(format!("0x{x:064x}"))
}

fn fr_word(x: Fr) -> Value {
    word(U256::from_be_slice(&x.into_bigint().to_bytes_be()))
}

fn words(ws: &[U256]) -> Value {
    Value::Array(ws.iter().copied().map(word).collect())
}

fn g2_words(p: &[[U256; 2]; 2]) -> Value {
    words(&[p[0][0], p[0][1], p[1][0], p[1][1]])
}

/// The fixture document, generated from scratch.
fn generate() -> Value {
    let mut rng = common::rng(0x6716);
    let genesis = Fr::rand(&mut rng);
    let shape = Step { prev: genesis, commitment: Fr::from(1u64), w: Fr::from(1u64) };
    let key = Arc::new(ProverKey::setup(shape, &mut rng).expect("setup"));
    assert_eq!(key.r1cs.num_instance, 4, "the constant 1 and three public inputs");
    let engine = Engine::new(BackendChoice::Cpu).expect("cpu engine");
    let loaded = engine.load(key.clone()).expect("load key");

    let mut proofs = Vec::new();
    let mut prev = genesis;
    for _ in 0..2 {
        let step = Step { prev, commitment: Fr::rand(&mut rng), w: Fr::rand(&mut rng) };
        let (_, z) = synthesize(step).expect("synthesize");
        let inputs = [step.prev, step.new_root(), step.commitment];
        assert_eq!(z[1..4], inputs, "inputs are (prev, new, commitment)");
        let proof = engine.prove(&loaded, &z, &mut rng).expect("prove");
        assert!(verify(&key.pk.vk, &inputs, &proof).expect("verify"), "proof verifies");
        let exported = SolidityProof::from_proof(&proof);
        assert_eq!(exported.to_proof().expect("round trip"), proof, "export round-trips");
        proofs.push(json!({
            "prevStateRoot": fr_word(step.prev),
            "newStateRoot": fr_word(step.new_root()),
            "batchCommitment": fr_word(step.commitment),
            "proof": words(&exported.to_words()),
        }));
        prev = step.new_root();
    }

    let vk = SolidityVerifyingKey::from_vk(key.verifying_key());
    json!({
        "about": "Groth16/BN254 verifying key and two chained proofs of new = prev * w + \
                  commitment, inputs (prevStateRoot, newStateRoot, batchCommitment). Generated \
                  by gpu-prover/tests/solidity_fixture.rs (RAMPART_UPDATE_FIXTURES=1 rewrites).",
        "genesisStateRoot": fr_word(genesis),
        "vk": {
            "alpha": words(&vk.alpha),
            "beta": g2_words(&vk.beta),
            "gamma": g2_words(&vk.gamma),
            "delta": g2_words(&vk.delta),
            "ic": Value::Array(vk.ic.iter().map(|p| words(p)).collect()),
        },
        "proofs": proofs,
    })
}

fn fixture_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../contracts/test/fixtures/groth16.json")
}

#[test]
fn groth16_fixture_is_current() {
    let mut text = serde_json::to_string_pretty(&generate()).expect("serialize");
    text.push('\n');
    let path = fixture_path();
    if std::env::var_os("RAMPART_UPDATE_FIXTURES").is_some_and(|v| v == "1") {
        std::fs::write(&path, &text).expect("write the fixture");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{} is not what this test generates: run `RAMPART_UPDATE_FIXTURES=1 cargo test -p \
         rampart-gpu-prover --test solidity_fixture` and commit the result",
        path.display()
    );
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(generate(), generate());
}
