//! Secret keys.

use crate::{DST_POP, DST_SIGNATURE, Digest, Error, PublicKey, Result, SECRET_KEY_LEN, Signature};
use zeroize::Zeroizing;

/// A BLS12-381 secret key: a non-zero scalar below the group order.
///
/// The scalar is wiped from memory when the value is dropped (blst zeroizes on drop), and
/// `Debug` never prints it. There is deliberately no `Display`, `Serialize` or `Clone`.
pub struct SecretKey(blst::min_pk::SecretKey);

impl SecretKey {
    /// Generates a fresh key from 32 bytes of operating-system randomness (IETF KeyGen).
    pub fn random() -> Result<Self> {
        let mut ikm = Zeroizing::new([0u8; 32]);
        getrandom::fill(ikm.as_mut()).map_err(|_| Error::Rng)?;
        Self::key_gen(ikm.as_ref())
    }

    /// Derives a key deterministically from at least 32 bytes of key material (IETF KeyGen,
    /// which is EIP-2333's `HKDF_mod_r` with an empty `key_info`).
    pub fn key_gen(ikm: &[u8]) -> Result<Self> {
        blst::min_pk::SecretKey::key_gen(ikm, &[]).map(Self).map_err(|_| Error::InvalidSecretKey)
    }

    /// Parses a 32-byte big-endian scalar; zero and values ≥ r are rejected.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if bytes.len() != SECRET_KEY_LEN {
            return Err(Error::InvalidLength { expected: SECRET_KEY_LEN, got: bytes.len() });
        }
        blst::min_pk::SecretKey::from_bytes(bytes).map(Self).map_err(|_| Error::InvalidSecretKey)
    }

    /// The big-endian scalar, in a buffer wiped on drop.
    pub fn to_bytes(&self) -> Zeroizing<[u8; SECRET_KEY_LEN]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey::from_blst_unchecked(self.0.sk_to_pk())
    }

    /// Signs an attestation digest with [`DST_SIGNATURE`].
    pub fn sign(&self, digest: &Digest) -> Signature {
        Signature::from_blst_unchecked(self.0.sign(digest.as_slice(), DST_SIGNATURE, &[]))
    }

    /// Signs a key-registration digest with [`DST_POP`]: the proof of possession.
    pub fn sign_pop(&self, digest: &Digest) -> Signature {
        Signature::from_blst_unchecked(self.0.sign(digest.as_slice(), DST_POP, &[]))
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts() {
        let sk = SecretKey::from_bytes(&[7u8; 32]).unwrap();
        let shown = format!("{sk:?} {sk:#?}");
        assert!(!shown.contains("07"), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn rejects_zero_and_out_of_range() {
        assert_eq!(SecretKey::from_bytes(&[0u8; 32]).unwrap_err(), Error::InvalidSecretKey);
        assert_eq!(SecretKey::from_bytes(&[0xffu8; 32]).unwrap_err(), Error::InvalidSecretKey);
        assert!(matches!(SecretKey::from_bytes(&[1u8; 31]), Err(Error::InvalidLength { .. })));
    }

    #[test]
    fn bytes_roundtrip_and_random_differs() {
        let a = SecretKey::random().unwrap();
        let b = SecretKey::random().unwrap();
        assert_ne!(a.public_key(), b.public_key());
        let a2 = SecretKey::from_bytes(a.to_bytes().as_ref()).unwrap();
        assert_eq!(a.public_key(), a2.public_key());
    }

    #[test]
    fn attestation_and_pop_domains_are_separate() {
        let sk = SecretKey::from_bytes(&[9u8; 32]).unwrap();
        let pk = sk.public_key();
        let digest = Digest::repeat_byte(0x42);
        let sig = sk.sign(&digest);
        let pop = sk.sign_pop(&digest);
        assert_ne!(sig, pop);
        assert!(sig.verify(&pk, &digest).is_ok());
        assert!(pop.verify_pop(&pk, &digest).is_ok());
        assert!(sig.verify_pop(&pk, &digest).is_err(), "attestation accepted as PoP");
        assert!(pop.verify(&pk, &digest).is_err(), "PoP accepted as attestation");
    }
}
