//! Proofs and verifying keys in the form the Solidity verifier consumes: uint256 words,
//! G2 coordinates with the imaginary part first (the order of the EVM's pairing precompile 0x08).

use alloy_primitives::U256;
use ark_bn254::{Bn254, Fq, Fq2, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, PrimeField};
use ark_groth16::{Proof, VerifyingKey};

use crate::error::{ProverError, Result};

fn fq_word(x: Fq) -> U256 {
    U256::from_be_slice(&x.into_bigint().to_bytes_be())
}

fn g1_words(p: &G1Affine) -> [U256; 2] {
    if p.is_zero() { [U256::ZERO; 2] } else { [fq_word(p.x), fq_word(p.y)] }
}

fn g2_words(p: &G2Affine) -> [[U256; 2]; 2] {
    if p.is_zero() {
        [[U256::ZERO; 2]; 2]
    } else {
        [[fq_word(p.x.c1), fq_word(p.x.c0)], [fq_word(p.y.c1), fq_word(p.y.c0)]]
    }
}

fn word_fq(w: U256) -> Result<Fq> {
    let bytes = w.to_be_bytes::<32>();
    let x = Fq::from_be_bytes_mod_order(&bytes);
    if fq_word(x) != w {
        return Err(ProverError::MalformedProof(format!("{w} is not below the field modulus")));
    }
    Ok(x)
}

fn word_g1(w: [U256; 2]) -> Result<G1Affine> {
    if w == [U256::ZERO; 2] {
        return Ok(G1Affine::zero());
    }
    let p = G1Affine::new_unchecked(word_fq(w[0])?, word_fq(w[1])?);
    if !p.is_on_curve() {
        return Err(ProverError::MalformedProof("G1 point is not on the curve".into()));
    }
    Ok(p)
}

fn word_g2(w: [[U256; 2]; 2]) -> Result<G2Affine> {
    if w == [[U256::ZERO; 2]; 2] {
        return Ok(G2Affine::zero());
    }
    let x = Fq2::new(word_fq(w[0][1])?, word_fq(w[0][0])?);
    let y = Fq2::new(word_fq(w[1][1])?, word_fq(w[1][0])?);
    let p = G2Affine::new_unchecked(x, y);
    if !p.is_on_curve() {
        return Err(ProverError::MalformedProof("G2 point is not on the curve".into()));
    }
    if !p.is_in_correct_subgroup_assuming_on_curve() {
        return Err(ProverError::MalformedProof(
            "G2 point is not in the prime-order subgroup".into(),
        ));
    }
    Ok(p)
}

/// A Groth16 proof as the Solidity verifier takes it: `uint256[2] a, uint256[2][2] b,
/// uint256[2] c`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SolidityProof {
    /// A = (x, y)
    pub a: [U256; 2],
    /// B = ((x.c1, x.c0), (y.c1, y.c0))
    pub b: [[U256; 2]; 2],
    /// C = (x, y)
    pub c: [U256; 2],
}

impl SolidityProof {
    /// From an arkworks proof.
    pub fn from_proof(p: &Proof<Bn254>) -> Self {
        SolidityProof { a: g1_words(&p.a), b: g2_words(&p.b), c: g1_words(&p.c) }
    }

    /// Back to an arkworks proof, checking every coordinate is a field element and every point
    /// is on its curve (and in G2's subgroup).
    pub fn to_proof(&self) -> Result<Proof<Bn254>> {
        Ok(Proof { a: word_g1(self.a)?, b: word_g2(self.b)?, c: word_g1(self.c)? })
    }

    /// The eight words in calldata order: a.x, a.y, b.x.c1, b.x.c0, b.y.c1, b.y.c0, c.x, c.y.
    pub fn to_words(&self) -> [U256; 8] {
        [
            self.a[0],
            self.a[1],
            self.b[0][0],
            self.b[0][1],
            self.b[1][0],
            self.b[1][1],
            self.c[0],
            self.c[1],
        ]
    }

    /// From eight words in calldata order.
    pub fn from_words(w: [U256; 8]) -> Self {
        SolidityProof { a: [w[0], w[1]], b: [[w[2], w[3]], [w[4], w[5]]], c: [w[6], w[7]] }
    }

    /// 256 bytes: the eight words big-endian, as `abi.encode(uint256[8])`.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_words().iter().flat_map(|w| w.to_be_bytes::<32>()).collect()
    }

    /// From 256 bytes (see [`SolidityProof::to_bytes`]); any other length is refused.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if bytes.len() != 256 {
            return Err(ProverError::MalformedProof(format!(
                "a proof is 256 bytes, got {}",
                bytes.len()
            )));
        }
        let mut w = [U256::ZERO; 8];
        for (i, word) in w.iter_mut().enumerate() {
            *word = U256::from_be_slice(&bytes[32 * i..32 * (i + 1)]);
        }
        Ok(Self::from_words(w))
    }
}

/// A verifying key as words for a Solidity verifier: alpha (G1), beta, gamma, delta (G2, imaginary
/// part first) and one G1 point per public input plus one (`ic`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SolidityVerifyingKey {
    /// alpha in G1
    pub alpha: [U256; 2],
    /// beta in G2
    pub beta: [[U256; 2]; 2],
    /// gamma in G2
    pub gamma: [[U256; 2]; 2],
    /// delta in G2
    pub delta: [[U256; 2]; 2],
    /// gamma_abc: the constant term and one point per public input
    pub ic: Vec<[U256; 2]>,
}

impl SolidityVerifyingKey {
    /// From an arkworks verifying key.
    pub fn from_vk(vk: &VerifyingKey<Bn254>) -> Self {
        SolidityVerifyingKey {
            alpha: g1_words(&vk.alpha_g1),
            beta: g2_words(&vk.beta_g2),
            gamma: g2_words(&vk.gamma_g2),
            delta: g2_words(&vk.delta_g2),
            ic: vk.gamma_abc_g1.iter().map(g1_words).collect(),
        }
    }
}
