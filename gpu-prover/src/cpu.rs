//! The CPU backend: arkworks MSMs and FFTs, in parallel with rayon.

use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{FftField, Field, One, PrimeField, Zero};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use rayon::prelude::*;

use crate::error::{ProverError, Result};
use crate::key::ProverKey;
use crate::prover::{Evaluations, Parts};

/// The quotient h(X) = (A(X) B(X) - C(X)) / Z_H(X), from A, B, C's evaluations on the domain:
/// interpolate, evaluate on the coset g*H (g = Fr's multiplicative generator), divide by the
/// constant Z_H(g), interpolate back. Identical to ark-groth16's LibsnarkReduction.
pub fn quotient(evals: Evaluations) -> Result<Vec<Fr>> {
    let Evaluations { mut a, mut b, mut c } = evals;
    let n = a.len();
    let domain = Radix2EvaluationDomain::<Fr>::new(n).ok_or(ProverError::DomainTooLarge(n))?;
    let coset = domain.get_coset(Fr::GENERATOR).ok_or(ProverError::DomainTooLarge(n))?;
    let zinv = domain
        .evaluate_vanishing_polynomial(Fr::GENERATOR)
        .inverse()
        .ok_or(ProverError::DomainTooLarge(n))?;
    for v in [&mut a, &mut b, &mut c] {
        domain.ifft_in_place(v);
        coset.fft_in_place(v);
    }
    a.par_iter_mut()
        .zip(b.par_iter())
        .zip(c.par_iter())
        .for_each(|((a, b), c)| *a = (*a * b - c) * zinv);
    coset.ifft_in_place(&mut a);
    Ok(a)
}

/// sum_i scalars[i] * bases[i]. Zero scalars are dropped and scalars equal to one are summed
/// directly (witnesses are full of both); the rest go through arkworks' Pippenger.
pub fn msm_g1(bases: &[G1Affine], scalars: &[Fr]) -> G1Projective {
    msm_split::<G1Projective>(bases, scalars)
}

/// [`msm_g1`] over G2.
pub fn msm_g2(bases: &[G2Affine], scalars: &[Fr]) -> G2Projective {
    msm_split::<G2Projective>(bases, scalars)
}

fn msm_split<G>(bases: &[G::Affine], scalars: &[Fr]) -> G
where
    G: CurveGroup<ScalarField = Fr> + VariableBaseMSM<MulBase = G::Affine>,
{
    let n = bases.len().min(scalars.len());
    let (bases, scalars) = (&bases[..n], &scalars[..n]);
    let trivial = |s: &Fr| s.is_zero() || s.is_one();
    if !scalars.par_iter().any(trivial) {
        // Nothing to skip: no copies, straight to Pippenger.
        let bigints: Vec<_> = scalars.par_iter().map(|s| s.into_bigint()).collect();
        return G::msm_bigint(bases, &bigints);
    }
    let ones: G = bases
        .par_iter()
        .zip(scalars.par_iter())
        .filter(|(_, s)| s.is_one())
        .map(|(b, _)| b.into_group())
        .reduce(G::zero, |x, y| x + y);
    let (big_bases, big_scalars): (Vec<G::Affine>, Vec<<Fr as PrimeField>::BigInt>) = bases
        .par_iter()
        .zip(scalars.par_iter())
        .filter(|(_, s)| !trivial(s))
        .map(|(b, s)| (*b, s.into_bigint()))
        .unzip();
    ones + G::msm_bigint(&big_bases, &big_scalars)
}

/// The five MSMs of a Groth16 proof and the quotient, on the CPU.
pub fn prove_parts(key: &ProverKey, evals: Evaluations, z: &[Fr]) -> Result<Parts> {
    let pk = &key.pk;
    let num_instance = key.r1cs.num_instance;
    let (h, (a, (b_g1, b_g2), l)) = rayon::join(
        || quotient(evals).map(|h| msm_g1(&pk.h_query, &h)),
        || {
            let (a, b) = rayon::join(
                || msm_g1(&pk.a_query[1..], &z[1..]),
                || {
                    rayon::join(
                        || msm_g1(&pk.b_g1_query[1..], &z[1..]),
                        || msm_g2(&pk.b_g2_query[1..], &z[1..]),
                    )
                },
            );
            (a, b, msm_g1(&pk.l_query, &z[num_instance..]))
        },
    );
    Ok(Parts { h: h?, a, b_g1, b_g2, l })
}
