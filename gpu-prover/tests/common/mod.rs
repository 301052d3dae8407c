//! Shared helpers for the gpu-prover tests.
#![allow(dead_code, unreachable_pub)]

use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{CurveGroup, PrimeGroup};
use ark_ff::UniformRand;
use rand08::SeedableRng;
use rand08::rngs::StdRng;

/// A seeded RNG.
pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// `n` random G1 points.
pub fn g1_points(n: usize, rng: &mut StdRng) -> Vec<G1Affine> {
    let g = G1Projective::generator();
    let v: Vec<_> = (0..n).map(|_| g * Fr::rand(rng)).collect();
    G1Projective::normalize_batch(&v)
}

/// `n` random G2 points.
pub fn g2_points(n: usize, rng: &mut StdRng) -> Vec<G2Affine> {
    let g = G2Projective::generator();
    let v: Vec<_> = (0..n).map(|_| g * Fr::rand(rng)).collect();
    G2Projective::normalize_batch(&v)
}

/// `n` random scalars.
pub fn scalars(n: usize, rng: &mut StdRng) -> Vec<Fr> {
    (0..n).map(|_| Fr::rand(rng)).collect()
}

/// sum s_i P_i by scalar multiplications.
pub fn naive_g1(points: &[G1Affine], scalars: &[Fr]) -> G1Projective {
    points.iter().zip(scalars).map(|(p, s)| *p * s).sum()
}

/// sum s_i P_i over G2.
pub fn naive_g2(points: &[G2Affine], scalars: &[Fr]) -> G2Projective {
    points.iter().zip(scalars).map(|(p, s)| *p * s).sum()
}
