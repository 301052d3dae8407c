//! A synthetic circuit of any size, for tests and benchmarks.

use ark_bn254::Fr;
use ark_ff::{Field, UniformRand, Zero};
use ark_relations::lc;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError, Variable};
use rand08::SeedableRng;
use rand08::rngs::StdRng;

/// A multiplication chain: public x, private w_i, v_{i+1} = v_i * w_i, and the public output
/// y = v_last. `constraints` constraints, two private variables per constraint; every value is
/// a random non-zero field element drawn from `seed` (no zeros or ones for the MSMs to skip).
#[derive(Clone, Copy, Debug)]
pub struct MulChain {
    /// Number of constraints (at least 1).
    pub constraints: usize,
    /// Seed for the witness values.
    pub seed: u64,
}

fn nonzero(rng: &mut StdRng) -> Fr {
    loop {
        let x = Fr::rand(rng);
        if !x.is_zero() && x != Fr::ONE {
            return x;
        }
    }
}

impl ConstraintSynthesizer<Fr> for MulChain {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let mut rng = StdRng::seed_from_u64(self.seed);
        let mut value = nonzero(&mut rng);
        let mut v = cs.new_input_variable(|| Ok(value))?;
        for _ in 1..self.constraints.max(1) {
            let w_value = nonzero(&mut rng);
            let w = cs.new_witness_variable(|| Ok(w_value))?;
            let next_value = value * w_value;
            let next = cs.new_witness_variable(|| Ok(next_value))?;
            cs.enforce_constraint(lc!() + v, lc!() + w, lc!() + next)?;
            v = next;
            value = next_value;
        }
        let y = cs.new_input_variable(|| Ok(value))?;
        cs.enforce_constraint(lc!() + v, lc!() + Variable::One, lc!() + y)?;
        Ok(())
    }
}
