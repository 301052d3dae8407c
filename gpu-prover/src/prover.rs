//! The backend-independent half of a Groth16 proof: evaluating the constraints on the witness,
//! and assembling the proof from the backend's quotient and MSMs.
//!
//! The arithmetic is exactly ark-groth16's (LibsnarkReduction): for the same key, witness and
//! randomness (r, s) every backend returns the same proof, bit for bit, as
//! `Groth16::create_proof_with_reduction_and_matrices`.

use ark_bn254::{Bn254, Fr, G1Projective, G2Projective};
use ark_ec::CurveGroup;
use ark_ff::{One, Zero};
use ark_groth16::Proof;
use rayon::prelude::*;

use crate::error::{ProverError, Result};
use crate::key::{ProverKey, Row};

/// A, B and C evaluated on the witness, one value per row of the evaluation domain (constraint
/// rows, then one row per instance variable, then zero padding).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluations {
    /// <A_i, z>, with z_j on the instance rows.
    pub a: Vec<Fr>,
    /// <B_i, z>.
    pub b: Vec<Fr>,
    /// <C_i, z>.
    pub c: Vec<Fr>,
}

/// What a backend computes for one proof.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts {
    /// sum h_i * h_query_i
    pub h: G1Projective,
    /// sum_{i >= 1} z_i * a_query_i
    pub a: G1Projective,
    /// sum_{i >= 1} z_i * b_g1_query_i
    pub b_g1: G1Projective,
    /// sum_{i >= 1} z_i * b_g2_query_i
    pub b_g2: G2Projective,
    /// sum over private variables of z_i * l_query_i
    pub l: G1Projective,
}

fn dot(row: &Row, z: &[Fr]) -> Fr {
    row.iter().map(|(coeff, i)| *coeff * z[*i]).sum()
}

/// Checks the witness against the key's R1CS and evaluates A, B, C on it. A witness that does
/// not satisfy every constraint is refused: no valid proof exists for it.
pub fn evaluate(key: &ProverKey, z: &[Fr]) -> Result<Evaluations> {
    let r1cs = &key.r1cs;
    if z.len() != r1cs.num_variables() {
        return Err(ProverError::WitnessLength { expected: r1cs.num_variables(), got: z.len() });
    }
    if !z[0].is_one() {
        return Err(ProverError::WitnessConstant);
    }
    let n = r1cs.domain_size()?;
    let m = r1cs.num_constraints();
    let mut a = vec![Fr::zero(); n];
    let mut b = vec![Fr::zero(); n];
    let mut c = vec![Fr::zero(); n];
    a[..m]
        .par_iter_mut()
        .zip(b[..m].par_iter_mut())
        .zip(c[..m].par_iter_mut())
        .enumerate()
        .for_each(|(i, ((a, b), c))| {
            *a = dot(&r1cs.a[i], z);
            *b = dot(&r1cs.b[i], z);
            *c = dot(&r1cs.c[i], z);
        });
    if let Some(constraint) = (0..m).into_par_iter().find_first(|&i| a[i] * b[i] != c[i]) {
        return Err(ProverError::Unsatisfied { constraint });
    }
    a[m..m + r1cs.num_instance].copy_from_slice(&z[..r1cs.num_instance]);
    Ok(Evaluations { a, b, c })
}

/// The proof from the backend's parts and the randomness (r, s):
/// A = alpha + a_0 + sum + r delta, B = beta + b_0 + sum + s delta (in G2),
/// C = h + l + s A + r B_1 - r s delta.
pub fn assemble(key: &ProverKey, parts: &Parts, r: Fr, s: Fr) -> Proof<Bn254> {
    let pk = &key.pk;
    let g_a = pk.delta_g1 * r + pk.a_query[0] + parts.a + pk.vk.alpha_g1;
    let g1_b = if r.is_zero() {
        G1Projective::zero()
    } else {
        pk.delta_g1 * s + pk.b_g1_query[0] + parts.b_g1 + pk.beta_g1
    };
    let g2_b = pk.vk.delta_g2 * s + pk.b_g2_query[0] + parts.b_g2 + pk.vk.beta_g2;
    let g_c = g_a * s + g1_b * r - pk.delta_g1 * (r * s) + parts.l + parts.h;
    Proof { a: g_a.into_affine(), b: g2_b.into_affine(), c: g_c.into_affine() }
}
