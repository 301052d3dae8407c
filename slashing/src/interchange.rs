//! The EIP-3076-style interchange document: a signing history that moves between databases.
//!
//! Every value is a string, as in EIP-3076: integers in decimal, bytes as `0x`-hex. The document
//! is parsed as plain strings first and validated in one place ([`Interchange::validate`]), so
//! each error names the exact field that is wrong.

use crate::{Identity, InterchangeError};
use alloy_primitives::{Address, B256};
use rampart_crypto::PublicKey;
use rampart_primitives::{Checkpoint, Domain, RollupId};
use serde::{Deserialize, Serialize};

/// `metadata.interchange_format` of a Rampart checkpoint interchange.
pub const INTERCHANGE_FORMAT: &str = "rampart-checkpoints";

/// `metadata.interchange_format_version` this crate writes and reads.
pub const INTERCHANGE_FORMAT_VERSION: &str = "1";

/// A signing-history document (see the crate `README.md` for the format).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interchange {
    /// Format, version and the EIP-712 domain the history was signed under.
    pub metadata: InterchangeMetadata,
    /// The history, per public key.
    pub data: Vec<InterchangeData>,
}

/// The `metadata` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterchangeMetadata {
    /// Always [`INTERCHANGE_FORMAT`].
    pub interchange_format: String,
    /// Always [`INTERCHANGE_FORMAT_VERSION`].
    pub interchange_format_version: String,
    /// EIP-155 chain id, decimal.
    pub chain_id: String,
    /// The attestation center (EIP-712 verifying contract), `0x` + 20 bytes of hex.
    pub attestation_center: String,
}

/// One key's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterchangeData {
    /// The compressed BLS public key, `0x` + 48 bytes of hex.
    pub pubkey: String,
    /// Every checkpoint the key signed.
    pub signed_checkpoints: Vec<InterchangeCheckpoint>,
}

/// One signed checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterchangeCheckpoint {
    /// Decimal.
    pub rollup_id: String,
    /// Decimal.
    pub batch_index: String,
    /// Decimal.
    pub l2_block_number: String,
    /// `0x` + 32 bytes of hex.
    pub l2_block_hash: String,
    /// `0x` + 32 bytes of hex.
    pub state_root: String,
    /// The checkpoint's EIP-712 digest under the metadata's domain, `0x` + 32 bytes of hex.
    pub signing_root: String,
}

/// An interchange document that passed [`Interchange::validate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidInterchange {
    /// The domain of the metadata.
    pub domain: Domain,
    /// The entries, in document order.
    pub entries: Vec<ValidInterchangeEntry>,
}

/// One validated key history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidInterchangeEntry {
    /// The key.
    pub pubkey: PublicKey,
    /// Its checkpoints, in document order (their signing roots were checked).
    pub checkpoints: Vec<Checkpoint>,
}

impl Interchange {
    /// A document holding `checkpoints` as the history of `identity`, with their signing roots.
    pub fn new(identity: &Identity, checkpoints: impl IntoIterator<Item = Checkpoint>) -> Self {
        let domain = identity.domain();
        let signed_checkpoints = checkpoints
            .into_iter()
            .map(|cp| InterchangeCheckpoint {
                rollup_id: cp.rollup_id.0.to_string(),
                batch_index: cp.batch_index.to_string(),
                l2_block_number: cp.l2_block_number.to_string(),
                l2_block_hash: cp.l2_block_hash.to_string(),
                state_root: cp.state_root.to_string(),
                signing_root: cp.digest(&domain).to_string(),
            })
            .collect();
        Self {
            metadata: InterchangeMetadata {
                interchange_format: INTERCHANGE_FORMAT.to_owned(),
                interchange_format_version: INTERCHANGE_FORMAT_VERSION.to_owned(),
                chain_id: identity.chain_id.to_string(),
                attestation_center: identity.attestation_center.to_string(),
            },
            data: vec![InterchangeData { pubkey: identity.pubkey.to_string(), signed_checkpoints }],
        }
    }

    /// Parses a JSON document (its shape only: the values are checked by [`validate`]).
    /// An Ethereum validator (EIP-3076) file is recognised and refused by name.
    ///
    /// [`validate`]: Interchange::validate
    pub fn from_json(json: &str) -> Result<Self, InterchangeError> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| InterchangeError::Json(e.to_string()))?;
        if is_ethereum_interchange(&value) {
            return Err(InterchangeError::EthereumInterchange);
        }
        serde_json::from_value(value).map_err(|e| InterchangeError::Json(e.to_string()))
    }

    /// The document as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        // Plain strings, vectors and structs always serialize.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks every value: format and version, decimal numbers (u64), hex lengths, public-key
    /// points, and each `signing_root` against the EIP-712 digest recomputed from the fields
    /// under the metadata's domain.
    pub fn validate(&self) -> Result<ValidInterchange, InterchangeError> {
        self.validate_inner(None)
    }

    /// [`validate`](Self::validate), refusing a document for another chain, attestation center
    /// or key than `identity` (checked before the checkpoints, so that is the error reported).
    pub(crate) fn validate_for(
        &self,
        identity: &Identity,
    ) -> Result<ValidInterchange, InterchangeError> {
        self.validate_inner(Some(identity))
    }

    fn validate_inner(
        &self,
        identity: Option<&Identity>,
    ) -> Result<ValidInterchange, InterchangeError> {
        let meta = &self.metadata;
        if meta.interchange_format != INTERCHANGE_FORMAT {
            return Err(InterchangeError::UnsupportedFormat {
                found: meta.interchange_format.clone(),
            });
        }
        if meta.interchange_format_version != INTERCHANGE_FORMAT_VERSION {
            return Err(InterchangeError::UnsupportedVersion {
                found: meta.interchange_format_version.clone(),
            });
        }
        let chain_id = decimal("metadata.chain_id", &meta.chain_id)?;
        let center = Address::from(fixed_hex::<20>(
            "metadata.attestation_center",
            &meta.attestation_center,
        )?);
        if let Some(id) = identity {
            if chain_id != id.chain_id {
                return Err(wrong("metadata.chain_id", id.chain_id, chain_id));
            }
            if center != id.attestation_center {
                return Err(wrong("metadata.attestation_center", id.attestation_center, center));
            }
        }
        let domain = Domain::new(chain_id, center);

        let mut pubkeys = Vec::with_capacity(self.data.len());
        for (i, entry) in self.data.iter().enumerate() {
            let path = format!("data[{i}].pubkey");
            let bytes = fixed_hex::<48>(&path, &entry.pubkey)?;
            let pubkey = PublicKey::from_compressed(&bytes).map_err(|e| invalid(&path, e))?;
            if let Some(id) = identity
                && pubkey != id.pubkey
            {
                return Err(wrong(&path, id.pubkey, pubkey));
            }
            pubkeys.push(pubkey);
        }

        let mut entries = Vec::with_capacity(self.data.len());
        for (i, (entry, pubkey)) in self.data.iter().zip(pubkeys).enumerate() {
            let checkpoints = entry
                .signed_checkpoints
                .iter()
                .enumerate()
                .map(|(j, cp)| cp.validate(&format!("data[{i}].signed_checkpoints[{j}]"), &domain))
                .collect::<Result<_, _>>()?;
            entries.push(ValidInterchangeEntry { pubkey, checkpoints });
        }
        Ok(ValidInterchange { domain, entries })
    }
}

impl InterchangeCheckpoint {
    fn validate(&self, path: &str, domain: &Domain) -> Result<Checkpoint, InterchangeError> {
        let field = |name: &str| format!("{path}.{name}");
        let checkpoint = Checkpoint {
            rollup_id: RollupId(decimal(&field("rollup_id"), &self.rollup_id)?),
            batch_index: decimal(&field("batch_index"), &self.batch_index)?,
            l2_block_number: decimal(&field("l2_block_number"), &self.l2_block_number)?,
            l2_block_hash: fixed_hex::<32>(&field("l2_block_hash"), &self.l2_block_hash)?.into(),
            state_root: fixed_hex::<32>(&field("state_root"), &self.state_root)?.into(),
        };
        let found = B256::from(fixed_hex::<32>(&field("signing_root"), &self.signing_root)?);
        let expected = checkpoint.digest(domain);
        if found != expected {
            return Err(InterchangeError::SigningRootMismatch {
                path: field("signing_root"),
                expected,
                found,
            });
        }
        Ok(checkpoint)
    }
}

/// EIP-3076 documents carry `genesis_validators_root` and signed blocks/attestations.
fn is_ethereum_interchange(value: &serde_json::Value) -> bool {
    let has = |v: Option<&serde_json::Value>, key: &str| v.and_then(|v| v.get(key)).is_some();
    has(value.get("metadata"), "genesis_validators_root")
        || value.get("data").and_then(|d| d.as_array()).is_some_and(|entries| {
            entries
                .iter()
                .any(|e| has(Some(e), "signed_blocks") || has(Some(e), "signed_attestations"))
        })
}

/// A u64 in decimal digits (no sign, no spaces, no `0x`).
fn decimal(path: &str, s: &str) -> Result<u64, InterchangeError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(path, format!("{s:?} is not a decimal integer")));
    }
    s.parse().map_err(|_| invalid(path, format!("{s} does not fit in 64 bits")))
}

/// Exactly `N` bytes of `0x`-prefixed hex.
fn fixed_hex<const N: usize>(path: &str, s: &str) -> Result<[u8; N], InterchangeError> {
    let Some(digits) = s.strip_prefix("0x") else {
        return Err(invalid(path, format!("{s:?} is not 0x-prefixed hex")));
    };
    let bytes = alloy_primitives::hex::decode(digits)
        .map_err(|e| invalid(path, format!("{s:?} is not hex: {e}")))?;
    <[u8; N]>::try_from(bytes.as_slice())
        .map_err(|_| invalid(path, format!("expected {N} bytes, got {}", bytes.len())))
}

fn invalid(path: &str, reason: impl std::fmt::Display) -> InterchangeError {
    InterchangeError::InvalidField { path: path.to_owned(), reason: reason.to_string() }
}

fn wrong(
    what: &str,
    expected: impl std::fmt::Display,
    found: impl std::fmt::Display,
) -> InterchangeError {
    InterchangeError::WrongIdentity {
        what: what.to_owned(),
        expected: expected.to_string(),
        found: found.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_strict() {
        assert_eq!(decimal("x", "0").unwrap(), 0);
        assert_eq!(decimal("x", "18446744073709551615").unwrap(), u64::MAX);
        for bad in ["", "-1", "+1", " 1", "1 ", "0x10", "1.5", "1e3", "18446744073709551616"] {
            assert!(decimal("x", bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn hex_is_strict() {
        assert_eq!(fixed_hex::<2>("x", "0xabCD").unwrap(), [0xab, 0xcd]);
        for bad in ["abcd", "0xabc", "0xabcdef", "0x", "0xzzzz", "0Xabcd", " 0xabcd"] {
            assert!(fixed_hex::<2>("x", bad).is_err(), "{bad:?} accepted");
        }
    }
}
