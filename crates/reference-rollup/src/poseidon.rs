//! Poseidon over the BN254 scalar field: width 3 (rate 2, capacity 1), S-box x^5, 8 full and
//! 57 partial rounds (the 128-bit-security parameters for this field and width), round
//! constants and MDS matrix from the reference Grain LFSR.
//!
//! [`hash`] is a sponge: the capacity element starts as the number of inputs (so inputs of
//! different lengths never collide), two inputs are absorbed per permutation, and the output is
//! the first rate element. Two inputs cost one permutation, four two, five three. The circuit
//! ([`crate::circuit`]) computes exactly the same function.

use crate::field::Fr;
use ark_crypto_primitives::sponge::poseidon::find_poseidon_ark_and_mds;
use ark_ff::{Field, Zero};
use std::sync::OnceLock;

/// State width.
pub const WIDTH: usize = 3;
/// Full rounds (half before, half after the partial rounds).
pub const FULL_ROUNDS: usize = 8;
/// Partial rounds.
pub const PARTIAL_ROUNDS: usize = 57;

/// Round constants (one row of [`WIDTH`] per round) and the MDS matrix.
#[derive(Debug)]
pub struct Params {
    /// Round constants, `FULL_ROUNDS + PARTIAL_ROUNDS` rows.
    pub ark: Vec<[Fr; WIDTH]>,
    /// The MDS matrix.
    pub mds: [[Fr; WIDTH]; WIDTH],
}

/// The parameters (generated once).
pub fn params() -> &'static Params {
    static PARAMS: OnceLock<Params> = OnceLock::new();
    PARAMS.get_or_init(|| {
        let (ark, mds) = find_poseidon_ark_and_mds::<Fr>(
            254,
            WIDTH - 1,
            FULL_ROUNDS as u64,
            PARTIAL_ROUNDS as u64,
            0,
        );
        let row = |r: &Vec<Fr>| [r[0], r[1], r[2]];
        Params {
            ark: ark.iter().map(row).collect(),
            mds: [row(&mds[0]), row(&mds[1]), row(&mds[2])],
        }
    })
}

fn sbox(x: Fr) -> Fr {
    let x2 = x.square();
    x2.square() * x
}

/// The Poseidon permutation.
pub fn permute(state: &mut [Fr; WIDTH]) {
    let p = params();
    let half = FULL_ROUNDS / 2;
    for (round, constants) in p.ark.iter().enumerate() {
        for (s, c) in state.iter_mut().zip(constants) {
            *s += c;
        }
        if round < half || round >= half + PARTIAL_ROUNDS {
            for s in state.iter_mut() {
                *s = sbox(*s);
            }
        } else {
            state[0] = sbox(state[0]);
        }
        let old = *state;
        for (i, s) in state.iter_mut().enumerate() {
            *s = p.mds[i][0] * old[0] + p.mds[i][1] * old[1] + p.mds[i][2] * old[2];
        }
    }
}

/// Poseidon hash of `inputs` (see the module docs).
pub fn hash(inputs: &[Fr]) -> Fr {
    let mut state = [Fr::from(inputs.len() as u64), Fr::zero(), Fr::zero()];
    for chunk in inputs.chunks(WIDTH - 1) {
        for (s, x) in state[1..].iter_mut().zip(chunk) {
            *s += x;
        }
        permute(&mut state);
    }
    if inputs.is_empty() {
        permute(&mut state);
    }
    state[1]
}

/// Poseidon hash of two elements (one permutation): Merkle nodes, the batch commitment chain.
pub fn hash2(a: Fr, b: Fr) -> Fr {
    hash(&[a, b])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_have_the_expected_shape() {
        let p = params();
        assert_eq!(p.ark.len(), FULL_ROUNDS + PARTIAL_ROUNDS);
        // The MDS matrix is invertible (a Cauchy matrix is): its determinant is non-zero.
        let m = p.mds;
        let det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        assert!(!det.is_zero());
    }

    #[test]
    fn hash_separates_lengths_and_orders() {
        let (a, b) = (Fr::from(1u64), Fr::from(2u64));
        assert_ne!(hash(&[a, b]), hash(&[b, a]));
        assert_ne!(hash(&[a]), hash(&[a, Fr::zero()]));
        assert_ne!(hash(&[]), hash(&[Fr::zero()]));
        assert_eq!(hash2(a, b), hash(&[a, b]));
        // Deterministic across calls.
        assert_eq!(hash(&[a, b, a]), hash(&[a, b, a]));
    }
}
