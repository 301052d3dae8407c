//! Hex text forms shared by the point types.

use crate::{Error, Result};

/// Decodes hex with or without a `0x` prefix.
pub(crate) fn decode(s: &str) -> Result<Vec<u8>> {
    alloy_primitives::hex::decode(s).map_err(|_| Error::InvalidHex)
}

/// Implements serde for a type through its `Display` / `FromStr` pair, so JSON carries the
/// same `0x`-hex text that logs and the CLI show, and deserialization runs full validation.
macro_rules! serde_via_str {
    ($ty:ty) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(
                d: D,
            ) -> std::result::Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use serde_via_str;
