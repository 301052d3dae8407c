//! Transfers and what their signatures cover.

use crate::eddsa::{SecretKey, Signature};
use crate::field::Fr;
use crate::poseidon;
use ark_ff::{Field, PrimeField};
use serde::{Deserialize, Serialize};

/// Domain tag of transfer messages (separates them from any other Poseidon-hashed message).
pub fn transfer_domain() -> Fr {
    Fr::from_be_bytes_mod_order(b"rampart-rollup/transfer/v1")
}

/// A transfer of `amount` from account `from` to account `to`; `nonce` is the sender's
/// transaction count before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// Sender account index.
    pub from: u32,
    /// Recipient account index.
    pub to: u32,
    /// Amount moved.
    pub amount: u64,
    /// The sender's nonce.
    pub nonce: u64,
}

impl Transfer {
    /// The four fields packed into one field element:
    /// `from + to·2^32 + amount·2^64 + nonce·2^128` (below 2^192, so injective).
    pub fn packed(&self) -> Fr {
        let shift = |x: Fr, bits: u64| x * Fr::from(2u64).pow([bits]);
        Fr::from(self.from)
            + shift(Fr::from(self.to), 32)
            + shift(Fr::from(self.amount), 64)
            + shift(Fr::from(self.nonce), 128)
    }

    /// The message the sender signs: `Poseidon(domain, rollupId, packed)`, so a signature is
    /// valid on one rollup only.
    pub fn message(&self, rollup_id: u64) -> Fr {
        poseidon::hash(&[transfer_domain(), Fr::from(rollup_id), self.packed()])
    }

    /// Signs this transfer for `rollup_id`.
    pub fn sign(self, key: &SecretKey, rollup_id: u64) -> SignedTransfer {
        SignedTransfer { signature: key.sign(self.message(rollup_id)), transfer: self }
    }
}

/// A transfer and its sender's signature, as sent to the sequencer and served in batch data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedTransfer {
    /// The transfer.
    pub transfer: Transfer,
    /// The sender's signature over [`Transfer::message`].
    pub signature: Signature,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_is_injective_at_the_edges() {
        let t = Transfer { from: u32::MAX, to: u32::MAX, amount: u64::MAX, nonce: u64::MAX };
        let u = Transfer { from: 0, to: 0, amount: 0, nonce: 0 };
        assert_ne!(t.packed(), u.packed());
        let a = Transfer { from: 1, to: 0, amount: 0, nonce: 0 };
        let b = Transfer { from: 0, to: 1, amount: 0, nonce: 0 };
        assert_ne!(a.packed(), b.packed());
        // Rollup ids separate messages.
        assert_ne!(a.message(1), a.message(2));
    }

    #[test]
    fn signed_transfers_round_trip_as_json() {
        let key = SecretKey::from_seed([4; 32]);
        let tx = Transfer { from: 1, to: 2, amount: 5, nonce: 0 }.sign(&key, 7);
        let json = serde_json::to_string(&tx).unwrap();
        assert_eq!(serde_json::from_str::<SignedTransfer>(&json).unwrap(), tx);
        assert!(
            serde_json::from_str::<SignedTransfer>(&json.replace("\"amount\":5", "\"amount\":-5"))
                .is_err()
        );
        assert!(key.public().verify(tx.transfer.message(7), &tx.signature));
    }
}
