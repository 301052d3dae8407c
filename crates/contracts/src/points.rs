//! Conversions between Rampart's Rust types and the contracts' ABI structs.
//!
//! `BLS12381.G1Point` / `G2Point` hold the EIP-2537 encodings of a point as 32-byte words
//! (4 for G1, 8 for G2), and `Checkpoint` mirrors [`rampart_primitives::Checkpoint`]. Every
//! bindings module that uses them gets the same conversions, so callers never lay out words by
//! hand.

use alloy_primitives::U256;
use rampart_crypto::{PublicKey, Signature};

/// The EIP-2537 encoding of a point split into big-endian 32-byte words.
pub fn words<const N: usize>(bytes: &[u8]) -> [U256; N] {
    assert_eq!(bytes.len(), 32 * N, "an EIP-2537 point has {N} words");
    std::array::from_fn(|i| U256::from_be_slice(&bytes[32 * i..32 * (i + 1)]))
}

/// Words back to bytes.
pub fn unwords<const N: usize>(words: &[U256]) -> Vec<u8> {
    words.iter().take(N).flat_map(|w| w.to_be_bytes::<32>()).collect()
}

macro_rules! g1_conversions {
    ($($module:ident),* $(,)?) => {$(
        impl From<&PublicKey> for crate::$module::BLS12381::G1Point {
            fn from(pk: &PublicKey) -> Self {
                let [xa, xb, ya, yb] = words::<4>(&pk.to_eip2537());
                Self { xA: xa, xB: xb, yA: ya, yB: yb }
            }
        }

        impl crate::$module::BLS12381::G1Point {
            /// The point as a validated public key; `None` for the all-zero "no key", a point
            /// off the curve or outside the subgroup.
            pub fn to_public_key(&self) -> Option<PublicKey> {
                PublicKey::from_eip2537(&unwords::<4>(&[self.xA, self.xB, self.yA, self.yB])).ok()
            }
        }
    )*};
}

macro_rules! g2_conversions {
    ($($module:ident),* $(,)?) => {$(
        impl From<&Signature> for crate::$module::BLS12381::G2Point {
            fn from(sig: &Signature) -> Self {
                let w = words::<8>(&sig.to_eip2537());
                Self {
                    x0A: w[0],
                    x0B: w[1],
                    x1A: w[2],
                    x1B: w[3],
                    y0A: w[4],
                    y0B: w[5],
                    y1A: w[6],
                    y1B: w[7],
                }
            }
        }
    )*};
}

g1_conversions!(operator_registry, attestation_center);
g2_conversions!(attestation_center, slasher);

macro_rules! checkpoint_conversions {
    ($($module:ident :: $contract:ident),* $(,)?) => {$(
        impl From<&rampart_primitives::Checkpoint> for crate::$module::$contract::Checkpoint {
            fn from(c: &rampart_primitives::Checkpoint) -> Self {
                Self {
                    rollupId: c.rollup_id.0,
                    batchIndex: c.batch_index,
                    l2BlockNumber: c.l2_block_number,
                    l2BlockHash: c.l2_block_hash,
                    stateRoot: c.state_root,
                }
            }
        }

        impl From<&crate::$module::$contract::Checkpoint> for rampart_primitives::Checkpoint {
            fn from(c: &crate::$module::$contract::Checkpoint) -> Self {
                Self {
                    rollup_id: rampart_primitives::RollupId(c.rollupId),
                    batch_index: c.batchIndex,
                    l2_block_number: c.l2BlockNumber,
                    l2_block_hash: c.l2BlockHash,
                    state_root: c.stateRoot,
                }
            }
        }
    )*};
}

checkpoint_conversions!(attestation_center::RampartAttestationCenter, slasher::RampartSlasher,);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attestation_center::BLS12381 as Center;
    use crate::operator_registry::BLS12381 as Registry;
    use rampart_crypto::SecretKey;

    #[test]
    fn points_are_the_eip2537_words() {
        let sk = SecretKey::key_gen(&[9u8; 32]).unwrap();
        let pk = sk.public_key();
        let g1 = Registry::G1Point::from(&pk);
        assert_eq!(unwords::<4>(&[g1.xA, g1.xB, g1.yA, g1.yB]), pk.to_eip2537().to_vec());
        assert_eq!(g1.to_public_key(), Some(pk));
        let zero = U256::ZERO;
        let none = Registry::G1Point { xA: zero, xB: zero, yA: zero, yB: zero };
        assert_eq!(none.to_public_key(), None);

        let sig = sk.sign(&[3u8; 32].into());
        let g2 = Center::G2Point::from(&sig);
        let raw = [g2.x0A, g2.x0B, g2.x1A, g2.x1B, g2.y0A, g2.y0B, g2.y1A, g2.y1B];
        assert_eq!(unwords::<8>(&raw), sig.to_eip2537().to_vec());
    }

    #[test]
    fn checkpoints_round_trip() {
        let c = rampart_primitives::Checkpoint {
            rollup_id: rampart_primitives::RollupId(7),
            batch_index: u64::MAX,
            l2_block_number: 12,
            l2_block_hash: [1u8; 32].into(),
            state_root: [2u8; 32].into(),
        };
        let abi = crate::attestation_center::RampartAttestationCenter::Checkpoint::from(&c);
        assert_eq!(rampart_primitives::Checkpoint::from(&abi), c);
    }
}
