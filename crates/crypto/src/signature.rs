//! Signatures.

use crate::{DST_POP, DST_SIGNATURE, Digest, Error, PublicKey, Result, SIGNATURE_LEN, eip2537};
use blst::BLST_ERROR;

/// A validated BLS12-381 signature (G2): on the curve, in the subgroup, not the identity.
///
/// Because validation happens once on the way in, verification skips blst's subgroup checks.
/// Serde uses the compressed form as `0x`-prefixed hex.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Signature(blst::min_pk::Signature);

impl Signature {
    pub(crate) fn from_blst_unchecked(sig: blst::min_pk::Signature) -> Self {
        Self(sig)
    }

    fn validated(sig: blst::min_pk::Signature) -> Result<Self> {
        // `validate(true)` rejects the identity and points outside the subgroup.
        sig.validate(true)?;
        Ok(Self(sig))
    }

    /// Parses the 96-byte compressed encoding, rejecting the identity and non-subgroup points.
    pub fn from_compressed(bytes: &[u8]) -> Result<Self> {
        if bytes.len() != SIGNATURE_LEN {
            return Err(Error::InvalidLength { expected: SIGNATURE_LEN, got: bytes.len() });
        }
        Self::validated(blst::min_pk::Signature::uncompress(bytes)?)
    }

    /// Parses the 256-byte EIP-2537 encoding, with the same checks.
    pub fn from_eip2537(bytes: &[u8]) -> Result<Self> {
        let zcash = eip2537::g2_to_zcash(bytes)?;
        Self::validated(blst::min_pk::Signature::deserialize(&zcash)?)
    }

    /// The 96-byte compressed encoding.
    pub fn to_compressed(&self) -> [u8; SIGNATURE_LEN] {
        self.0.compress()
    }

    /// The 256-byte EIP-2537 encoding.
    pub fn to_eip2537(&self) -> [u8; eip2537::G2_LEN] {
        eip2537::g2_from_zcash(&self.0.serialize())
    }

    /// Verifies an attestation signature ([`DST_SIGNATURE`]) over `digest` by `pk`.
    pub fn verify(&self, pk: &PublicKey, digest: &Digest) -> Result<()> {
        self.verify_with_dst(pk, digest, DST_SIGNATURE)
    }

    /// Verifies a proof of possession ([`DST_POP`]) over a key-registration `digest` by `pk`.
    pub fn verify_pop(&self, pk: &PublicKey, digest: &Digest) -> Result<()> {
        self.verify_with_dst(pk, digest, DST_POP)
    }

    fn verify_with_dst(&self, pk: &PublicKey, digest: &Digest, dst: &[u8]) -> Result<()> {
        // Both points were validated on construction: skip blst's checks.
        check(self.0.verify(false, digest.as_slice(), dst, &[], pk.as_blst(), false))
    }

    /// Verifies this signature as the aggregate of attestation signatures by every key in
    /// `pks` over the same `digest`. Only sound for keys whose proof of possession was checked.
    pub fn fast_aggregate_verify(&self, digest: &Digest, pks: &[&PublicKey]) -> Result<()> {
        if pks.is_empty() {
            return Err(Error::Empty);
        }
        let raw: Vec<&blst::min_pk::PublicKey> = pks.iter().map(|pk| pk.as_blst()).collect();
        check(self.0.fast_aggregate_verify(false, digest.as_slice(), DST_SIGNATURE, &raw))
    }

    /// Verifies this signature as the aggregate of attestation signatures over distinct
    /// messages, `pks[i]` having signed `digests[i]`.
    pub fn aggregate_verify(&self, digests: &[Digest], pks: &[&PublicKey]) -> Result<()> {
        if pks.is_empty() {
            return Err(Error::Empty);
        }
        if pks.len() != digests.len() {
            return Err(Error::LengthMismatch);
        }
        let msgs: Vec<&[u8]> = digests.iter().map(|d| d.as_slice()).collect();
        let raw: Vec<&blst::min_pk::PublicKey> = pks.iter().map(|pk| pk.as_blst()).collect();
        check(self.0.aggregate_verify(false, &msgs, DST_SIGNATURE, &raw, false))
    }

    pub(crate) fn as_blst(&self) -> &blst::min_pk::Signature {
        &self.0
    }
}

fn check(res: BLST_ERROR) -> Result<()> {
    if res == BLST_ERROR::BLST_SUCCESS { Ok(()) } else { Err(Error::VerificationFailed) }
}

impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signature({self})")
    }
}

impl std::fmt::Display for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "0x{}", alloy_primitives::hex::encode(self.to_compressed()))
    }
}

impl std::str::FromStr for Signature {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::from_compressed(&crate::hex::decode(s)?)
    }
}

crate::hex::serde_via_str!(Signature);
