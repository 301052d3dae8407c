//! Public keys.

use crate::{Error, PUBLIC_KEY_LEN, Result, eip2537};
use alloy_primitives::{B256, keccak256};

/// A validated BLS12-381 public key (G1): on the curve, in the subgroup, not the identity.
///
/// Equality, ordering and hashing follow the compressed encoding. Serde uses the compressed
/// form as `0x`-prefixed hex and validates on the way in.
#[derive(Clone, Copy)]
pub struct PublicKey {
    point: blst::min_pk::PublicKey,
    compressed: [u8; PUBLIC_KEY_LEN],
}

impl PublicKey {
    pub(crate) fn from_blst_unchecked(point: blst::min_pk::PublicKey) -> Self {
        Self { compressed: point.compress(), point }
    }

    fn validated(point: blst::min_pk::PublicKey) -> Result<Self> {
        point.validate()?;
        Ok(Self::from_blst_unchecked(point))
    }

    /// Parses the 48-byte compressed encoding (`key_validate`: subgroup and identity checks).
    pub fn from_compressed(bytes: &[u8]) -> Result<Self> {
        if bytes.len() != PUBLIC_KEY_LEN {
            return Err(Error::InvalidLength { expected: PUBLIC_KEY_LEN, got: bytes.len() });
        }
        Self::validated(blst::min_pk::PublicKey::uncompress(bytes)?)
    }

    /// Parses the 128-byte EIP-2537 encoding, with the same checks.
    pub fn from_eip2537(bytes: &[u8]) -> Result<Self> {
        let zcash = eip2537::g1_to_zcash(bytes)?;
        Self::validated(blst::min_pk::PublicKey::deserialize(&zcash)?)
    }

    /// The 48-byte compressed encoding.
    pub fn to_compressed(&self) -> [u8; PUBLIC_KEY_LEN] {
        self.compressed
    }

    /// The 128-byte EIP-2537 encoding.
    pub fn to_eip2537(&self) -> [u8; eip2537::G1_LEN] {
        eip2537::g1_from_zcash(&self.point.serialize())
    }

    /// `keccak256` of the EIP-2537 encoding: the key's identifier on chain (non-signer lists are
    /// sorted by it).
    pub fn key_hash(&self) -> B256 {
        keccak256(self.to_eip2537())
    }

    pub(crate) fn as_blst(&self) -> &blst::min_pk::PublicKey {
        &self.point
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.compressed == other.compressed
    }
}
impl Eq for PublicKey {}

impl PartialOrd for PublicKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for PublicKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.compressed.cmp(&other.compressed)
    }
}

impl std::hash::Hash for PublicKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.compressed.hash(state);
    }
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({self})")
    }
}

impl std::fmt::Display for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "0x{}", alloy_primitives::hex::encode(self.compressed))
    }
}

impl std::str::FromStr for PublicKey {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::from_compressed(&crate::hex::decode(s)?)
    }
}

crate::hex::serde_via_str!(PublicKey);
