//! Key registration and proof of possession.

use crate::{Domain, sol};
use alloy_primitives::{Address, B256, Bytes};
use alloy_sol_types::SolStruct;
use rampart_crypto::{PublicKey, SecretKey, Signature};
use serde::{Deserialize, Serialize};

/// The message an operator signs with the PoP DST to register a BLS key: it binds the key to
/// the operator's address, so another operator cannot replay the proof.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeyRegistration {
    /// The operator's EigenLayer (ECDSA) address.
    pub operator: Address,
    /// The BLS key being registered.
    pub pubkey: PublicKey,
}

impl KeyRegistration {
    /// The EIP-712 digest signed as proof of possession (domain: the operator registry).
    pub fn digest(&self, domain: &Domain) -> B256 {
        self.to_sol().eip712_signing_hash(&domain.eip712())
    }

    /// Signs the registration with `sk`, which must be the key being registered.
    pub fn prove(&self, sk: &SecretKey, domain: &Domain) -> ProofOfPossession {
        ProofOfPossession { registration: *self, signature: sk.sign_pop(&self.digest(domain)) }
    }

    fn to_sol(self) -> sol::KeyRegistration {
        sol::KeyRegistration {
            operator: self.operator,
            pubkey: Bytes::copy_from_slice(&self.pubkey.to_eip2537()),
        }
    }
}

/// A key registration together with its PoP signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProofOfPossession {
    /// What was signed.
    pub registration: KeyRegistration,
    /// The PoP signature by `registration.pubkey`.
    pub signature: Signature,
}

impl ProofOfPossession {
    /// Checks the PoP signature under `domain`.
    pub fn verify(&self, domain: &Domain) -> rampart_crypto::Result<()> {
        self.signature.verify_pop(&self.registration.pubkey, &self.registration.digest(domain))
    }
}
