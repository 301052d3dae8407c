//! Batch verification of independent signatures with random linear combination.

use crate::{DST_SIGNATURE, Digest, Error, PublicKey, Result, Signature};
use blst::BLST_ERROR;
use std::collections::HashSet;

/// One (key, message, signature) triple of a batch.
#[derive(Debug, Clone, Copy)]
pub struct SignatureSet<'a> {
    /// Signer.
    pub public_key: &'a PublicKey,
    /// Signed digest.
    pub digest: &'a Digest,
    /// Attestation signature ([`DST_SIGNATURE`]).
    pub signature: &'a Signature,
}

/// Bits of each random scalar: a forged batch passes with probability about 2^-64.
const RAND_BITS: usize = 64;

/// Verifies many attestation signatures at once, each weighted by a fresh random 64-bit scalar
/// so that invalid signatures cannot cancel out. One failing set fails the whole batch (find
/// the culprit by verifying individually or by bisection).
///
/// A batch in which the same (key, message) pair appears twice is rejected with
/// [`Error::DuplicateMessage`]: such pairs add nothing and only help an attacker play with the
/// combination. An empty batch is [`Error::Empty`].
pub fn batch_verify(sets: &[SignatureSet<'_>]) -> Result<()> {
    if sets.is_empty() {
        return Err(Error::Empty);
    }
    let mut seen = HashSet::with_capacity(sets.len());
    for set in sets {
        if !seen.insert((set.public_key.to_compressed(), *set.digest)) {
            return Err(Error::DuplicateMessage);
        }
    }

    let mut rands = Vec::with_capacity(sets.len());
    for _ in sets {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes[..RAND_BITS / 8]).map_err(|_| Error::Rng)?;
        // A zero scalar would drop its set from the check: force the low bit on.
        bytes[0] |= 1;
        rands.push(blst::blst_scalar { b: bytes });
    }

    let msgs: Vec<&[u8]> = sets.iter().map(|s| s.digest.as_slice()).collect();
    let pks: Vec<&blst::min_pk::PublicKey> = sets.iter().map(|s| s.public_key.as_blst()).collect();
    let sigs: Vec<&blst::min_pk::Signature> = sets.iter().map(|s| s.signature.as_blst()).collect();
    // Keys and signatures were validated on construction: no subgroup checks here.
    let res = blst::min_pk::Signature::verify_multiple_aggregate_signatures(
        &msgs,
        DST_SIGNATURE,
        &pks,
        false,
        &sigs,
        false,
        &rands,
        RAND_BITS,
    );
    if res == BLST_ERROR::BLST_SUCCESS { Ok(()) } else { Err(Error::VerificationFailed) }
}
