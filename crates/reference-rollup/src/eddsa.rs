//! EdDSA over Baby Jubjub with a Poseidon challenge.
//!
//! Baby Jubjub is the twisted Edwards curve over the BN254 scalar field (`ark-ed-on-bn254`),
//! so its points are native to the rollup's circuit. A signature on a message `m` (a field
//! element) is `(R, s)` with `s·G = R + c·A`, where `A` is the signer's public key, `G` the
//! generator of the prime-order subgroup and `c = Poseidon(R.x, R.y, A.x, A.y, m)` read as an
//! integer. The nonce is derived from the key and the message (RFC 8032 style), so signing
//! needs no randomness and never reuses a nonce for two messages.

use crate::error::DecodeError;
use crate::field::{Fr, from_b256, to_b256};
use crate::poseidon;
use alloy_primitives::B256;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ed_on_bn254::{EdwardsAffine, EdwardsProjective, Fr as Scalar};
use ark_ff::{BigInteger, PrimeField};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha512};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The generator of Baby Jubjub's prime-order subgroup.
pub fn generator() -> EdwardsAffine {
    EdwardsAffine::generator()
}

/// A signing key: a 32-byte seed, zeroized on drop, never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretKey {
    seed: [u8; 32],
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl SecretKey {
    /// The key of a 32-byte seed.
    pub fn from_seed(seed: [u8; 32]) -> Self {
        Self { seed }
    }

    /// A fresh random key.
    pub fn random<R: rand08::RngCore + rand08::CryptoRng>(rng: &mut R) -> Self {
        let mut seed = [0u8; 32];
        rng.fill_bytes(&mut seed);
        Self { seed }
    }

    /// The signing scalar and the nonce prefix, from SHA-512 of the seed.
    fn expand(&self) -> (Scalar, zeroize::Zeroizing<[u8; 32]>) {
        let mut h = Sha512::new();
        h.update(b"rampart-rollup-eddsa-key");
        h.update(self.seed);
        let mut digest = zeroize::Zeroizing::new([0u8; 64]);
        digest.copy_from_slice(&h.finalize());
        let scalar = Scalar::from_le_bytes_mod_order(&digest[..32]);
        let mut prefix = zeroize::Zeroizing::new([0u8; 32]);
        prefix.copy_from_slice(&digest[32..]);
        (scalar, prefix)
    }

    /// The public key.
    pub fn public(&self) -> PublicKey {
        let (a, _) = self.expand();
        PublicKey((generator() * a).into_affine())
    }

    /// Signs the message `m`.
    pub fn sign(&self, m: Fr) -> Signature {
        let (a, prefix) = self.expand();
        let public = PublicKey((generator() * a).into_affine());
        let mut h = Sha512::new();
        h.update(*prefix);
        h.update(to_b256(&m));
        let r = Scalar::from_le_bytes_mod_order(&h.finalize());
        let big_r = (generator() * r).into_affine();
        let c = challenge(&big_r, &public, m);
        let s = r + Scalar::from_le_bytes_mod_order(&c.into_bigint().to_bytes_le()) * a;
        Signature { r: big_r, s }
    }
}

/// `c = Poseidon(R.x, R.y, A.x, A.y, m)`.
pub fn challenge(r: &EdwardsAffine, public: &PublicKey, m: Fr) -> Fr {
    poseidon::hash(&[r.x, r.y, public.0.x, public.0.y, m])
}

/// A public key: a point of the prime-order subgroup other than the identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey(pub EdwardsAffine);

impl PublicKey {
    /// A key from its coordinates, checked to be on the curve, in the subgroup and not the
    /// identity.
    pub fn from_xy(x: Fr, y: Fr) -> Result<Self, DecodeError> {
        let p = point(x, y, "public key")?;
        if p.is_zero() {
            return Err(DecodeError::Point("public key"));
        }
        Ok(Self(p))
    }

    /// Verifies `signature` on `m`.
    pub fn verify(&self, m: Fr, signature: &Signature) -> bool {
        let c = challenge(&signature.r, self, m);
        let lhs = generator() * signature.s;
        let rhs = EdwardsProjective::from(signature.r) + self.0.mul_bigint(c.into_bigint());
        lhs == rhs
    }
}

/// A point of the prime-order subgroup from its coordinates.
fn point(x: Fr, y: Fr, what: &'static str) -> Result<EdwardsAffine, DecodeError> {
    let p = EdwardsAffine::new_unchecked(x, y);
    if p.is_on_curve() && p.is_in_correct_subgroup_assuming_on_curve() {
        Ok(p)
    } else {
        Err(DecodeError::Point(what))
    }
}

/// A signature `(R, s)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    /// The nonce point.
    pub r: EdwardsAffine,
    /// The response, below the subgroup order.
    pub s: Scalar,
}

/// The wire form of a [`Signature`]: three 0x-hex words.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignatureWire {
    r_x: B256,
    r_y: B256,
    s: B256,
}

impl Signature {
    /// The response as a big-endian word.
    pub fn s_word(&self) -> B256 {
        B256::from_slice(&self.s.into_bigint().to_bytes_be())
    }

    /// A signature from its words: `R` must be a subgroup point and `s` below the order.
    pub fn from_words(r_x: &B256, r_y: &B256, s: &B256) -> Result<Self, DecodeError> {
        let r = point(
            from_b256(r_x, "signature R.x")?,
            from_b256(r_y, "signature R.y")?,
            "signature R",
        )?;
        let scalar = Scalar::from_be_bytes_mod_order(s.as_slice());
        if B256::from_slice(&scalar.into_bigint().to_bytes_be()) != *s {
            return Err(DecodeError::Scalar("signature s"));
        }
        Ok(Self { r, s: scalar })
    }
}

impl Serialize for Signature {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        SignatureWire { r_x: to_b256(&self.r.x), r_y: to_b256(&self.r.y), s: self.s_word() }
            .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Signature {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = SignatureWire::deserialize(d)?;
        Self::from_words(&w.r_x, &w.r_y, &w.s).map_err(serde::de::Error::custom)
    }
}

impl Serialize for PublicKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        [to_b256(&self.0.x), to_b256(&self.0.y)].serialize(s)
    }
}

impl<'de> Deserialize<'de> for PublicKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let [x, y] = <[B256; 2]>::deserialize(d)?;
        let x = from_b256(&x, "public key x").map_err(serde::de::Error::custom)?;
        let y = from_b256(&y, "public key y").map_err(serde::de::Error::custom)?;
        Self::from_xy(x, y).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> SecretKey {
        SecretKey::from_seed([n; 32])
    }

    #[test]
    fn generator_is_in_the_prime_order_subgroup() {
        let g = generator();
        assert!(g.is_on_curve() && g.is_in_correct_subgroup_assuming_on_curve() && !g.is_zero());
    }

    #[test]
    fn signatures_verify_and_bind_key_and_message() {
        let (a, b) = (key(1), key(2));
        let m = Fr::from(42u64);
        let sig = a.sign(m);
        assert!(a.public().verify(m, &sig));
        assert!(!a.public().verify(m + Fr::from(1u64), &sig));
        assert!(!b.public().verify(m, &sig));
        // Deterministic nonce.
        assert_eq!(a.sign(m), sig);
        let mut tampered = sig;
        tampered.s += Scalar::from(1u64);
        assert!(!a.public().verify(m, &tampered));
    }

    #[test]
    fn wire_form_round_trips_and_rejects_bad_points() {
        let sig = key(3).sign(Fr::from(7u64));
        let json = serde_json::to_string(&sig).unwrap();
        assert_eq!(serde_json::from_str::<Signature>(&json).unwrap(), sig);
        let off_curve = json.replace(
            &to_b256(&sig.r.y).to_string(),
            &to_b256(&(sig.r.y + Fr::from(1u64))).to_string(),
        );
        assert!(serde_json::from_str::<Signature>(&off_curve).is_err());
        // s at or above the subgroup order is refused.
        let order = B256::from_slice(&Scalar::MODULUS.to_bytes_be());
        assert_eq!(
            Signature::from_words(&to_b256(&sig.r.x), &to_b256(&sig.r.y), &order),
            Err(DecodeError::Scalar("signature s"))
        );
        // A low-order point (order 2: (0, -1)) is not a key.
        assert!(PublicKey::from_xy(Fr::from(0u64), -Fr::from(1u64)).is_err());
        assert!(PublicKey::from_xy(Fr::from(0u64), Fr::from(1u64)).is_err());
    }

    #[test]
    fn debug_redacts_the_secret() {
        assert_eq!(format!("{:?}", key(9)), "SecretKey(<redacted>)");
    }
}
