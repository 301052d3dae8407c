//! Signatures over one checkpoint, their stake, and the certificate.

use crate::view::OperatorSetView;
use crate::{Error, Result};
use alloy_primitives::{Address, U256};
use rampart_crypto::{Digest, PublicKey, Signature, aggregate_signatures};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What `submitCertificate` takes (besides the checkpoint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// The reference block the stakes are taken at.
    pub reference_block: u32,
    /// Sum of the signers' signatures.
    pub aggregate_signature: Signature,
    /// Registered operators that did not sign, sorted ascending by key hash (as L1 requires).
    pub non_signers: Vec<PublicKey>,
    /// Stake of the signers.
    pub signed_stake: U256,
    /// Stake of the whole set.
    pub total_stake: U256,
    /// Number of signers.
    pub signers: usize,
}

/// Verified attestations for one checkpoint digest against one operator-set view.
#[derive(Debug, Clone)]
pub struct CheckpointAggregate {
    digest: Digest,
    view: Arc<OperatorSetView>,
    signatures: BTreeMap<Address, Signature>,
    signed_stake: U256,
}

impl CheckpointAggregate {
    /// No signatures yet.
    pub fn new(digest: Digest, view: Arc<OperatorSetView>) -> Self {
        Self { digest, view, signatures: BTreeMap::new(), signed_stake: U256::ZERO }
    }

    /// Adds a batch of attestations (operator, signature over the digest): unknown operators
    /// and repeats are refused without any pairing; the rest are verified optimistically
    /// ([`crate::verify::verify_batch`]). Returns one result per input, in order.
    pub fn add(&mut self, batch: &[(Address, Signature)]) -> Vec<Result<()>> {
        let mut results: Vec<Result<()>> = Vec::with_capacity(batch.len());
        let mut candidates = Vec::new();
        let mut in_batch = std::collections::HashSet::new();
        for (i, (operator, signature)) in batch.iter().enumerate() {
            let result = match self.view.operator(operator) {
                None => Err(Error::UnknownOperator(*operator)),
                Some(_)
                    if self.signatures.contains_key(operator) || !in_batch.insert(*operator) =>
                {
                    Err(Error::Duplicate(*operator))
                }
                Some(info) => {
                    candidates.push((i, info.pubkey, *signature));
                    Ok(())
                }
            };
            results.push(result);
        }
        let items: Vec<(&PublicKey, &Signature)> =
            candidates.iter().map(|(_, pk, sig)| (pk, sig)).collect();
        let verdict = crate::verify::verify_batch(&self.digest, &items);
        for index in verdict.invalid {
            let (i, _, _) = candidates[index];
            results[i] = Err(Error::InvalidSignature(batch[i].0));
        }
        for index in verdict.valid {
            let (i, _, signature) = candidates[index];
            let operator = batch[i].0;
            self.signed_stake += self.view.operator(&operator).map_or(U256::ZERO, |o| o.stake);
            self.signatures.insert(operator, signature);
        }
        results
    }

    /// Counts a signature the caller has already verified over this digest under the
    /// operator's registered key (e.g. at intake, before it was stored): no pairing here.
    /// Unknown operators and repeats are refused as in [`CheckpointAggregate::add`].
    pub fn add_verified(&mut self, operator: Address, signature: Signature) -> Result<()> {
        let info = self.view.operator(&operator).ok_or(Error::UnknownOperator(operator))?;
        if self.signatures.contains_key(&operator) {
            return Err(Error::Duplicate(operator));
        }
        self.signed_stake += info.stake;
        self.signatures.insert(operator, signature);
        Ok(())
    }

    /// The checkpoint digest the signatures are over.
    pub fn digest(&self) -> Digest {
        self.digest
    }

    /// Stake of the operators whose signatures are counted.
    pub fn signed_stake(&self) -> U256 {
        self.signed_stake
    }

    /// Whether the signers hold at least `threshold_bps` / 10,000 of the set's stake (the
    /// same inequality L1 checks).
    pub fn reached(&self, threshold_bps: u16) -> bool {
        self.view.reaches(self.signed_stake, threshold_bps)
    }

    /// The signers.
    pub fn signers(&self) -> impl Iterator<Item = &Address> {
        self.signatures.keys()
    }

    /// The certificate for the signatures so far.
    pub fn certificate(&self) -> Result<Certificate> {
        let sigs: Vec<&Signature> = self.signatures.values().collect();
        if sigs.is_empty() {
            return Err(Error::Empty);
        }
        let aggregate_signature = aggregate_signatures(&sigs).map_err(|_| Error::Identity)?;
        let mut non_signers: Vec<(alloy_primitives::B256, PublicKey)> = self
            .view
            .operators()
            .filter(|(address, _)| !self.signatures.contains_key(*address))
            .map(|(_, info)| (info.key_hash, info.pubkey))
            .collect();
        non_signers.sort_unstable_by_key(|(hash, _)| *hash);
        Ok(Certificate {
            reference_block: self.view.reference_block,
            aggregate_signature,
            non_signers: non_signers.into_iter().map(|(_, pk)| pk).collect(),
            signed_stake: self.signed_stake,
            total_stake: self.view.total_stake,
            signers: sigs.len(),
        })
    }
}
