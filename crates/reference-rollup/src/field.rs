//! BN254 scalar-field elements as the 32-byte words L1 stores (big-endian).

use crate::error::DecodeError;
use alloy_primitives::B256;
use ark_ff::{BigInteger, PrimeField};

/// The BN254 scalar field: state roots, commitments and every rollup value live in it.
pub use ark_bn254::Fr;

/// `x` as a big-endian 32-byte word (how L1 stores roots and commitments).
pub fn to_b256(x: &Fr) -> B256 {
    let bytes = x.into_bigint().to_bytes_be();
    B256::from_slice(&bytes)
}

/// A big-endian word as a field element; words not below the modulus are refused.
pub fn from_b256(word: &B256, what: &'static str) -> Result<Fr, DecodeError> {
    let x = Fr::from_be_bytes_mod_order(word.as_slice());
    if to_b256(&x) == *word { Ok(x) } else { Err(DecodeError::Field(what)) }
}

/// Serde for field elements as 0x-prefixed 32-byte big-endian hex.
pub mod serde_fr {
    use super::*;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serializes as 0x-hex.
    pub fn serialize<S: Serializer>(x: &Fr, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&to_b256(x).to_string())
    }

    /// Deserializes 0x-hex, refusing non-canonical values.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Fr, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        let word: B256 = text
            .parse()
            .map_err(|_| serde::de::Error::custom(DecodeError::Hex("field element")))?;
        from_b256(&word, "field element").map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_reject_the_modulus() {
        let x = -Fr::from(5u64);
        assert_eq!(from_b256(&to_b256(&x), "x").unwrap(), x);
        let modulus = B256::from_slice(&Fr::MODULUS.to_bytes_be());
        assert_eq!(from_b256(&modulus, "x"), Err(DecodeError::Field("x")));
    }
}
