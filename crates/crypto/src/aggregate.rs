//! Aggregation of public keys and signatures.

use crate::{Error, PublicKey, Result, Signature};

/// A running sum of public keys (G1, projective), cheap to add to and subtract from.
///
/// The sum of validated keys is not itself validated: it may be the identity, which
/// [`AggregatePublicKey::to_public_key`] reports as [`Error::Infinity`].
#[derive(Clone, Copy)]
pub struct AggregatePublicKey(blst::min_pk::AggregatePublicKey);

impl AggregatePublicKey {
    /// Sums `keys`; an empty iterator is an error.
    pub fn from_keys<'a>(keys: impl IntoIterator<Item = &'a PublicKey>) -> Result<Self> {
        let mut keys = keys.into_iter();
        let first = keys.next().ok_or(Error::Empty)?;
        let mut agg = blst::min_pk::AggregatePublicKey::from_public_key(first.as_blst());
        for pk in keys {
            // Keys are already validated: no per-key subgroup check.
            agg.add_public_key(pk.as_blst(), false).map_err(Error::from)?;
        }
        Ok(Self(agg))
    }

    /// Adds one key.
    pub fn add(&mut self, pk: &PublicKey) {
        self.0
            .add_public_key(pk.as_blst(), false)
            .expect("adding a validated key without checks cannot fail");
    }

    /// The sum as a public key; the identity is rejected.
    pub fn to_public_key(&self) -> Result<PublicKey> {
        let pk = self.0.to_public_key();
        // A sum of subgroup points stays in the subgroup: only the identity needs checking, and
        // blst's affine identity is the all-zero point.
        if pk == blst::min_pk::PublicKey::default() {
            return Err(Error::Infinity);
        }
        Ok(PublicKey::from_blst_unchecked(pk))
    }
}

/// Sums signatures (all over the same message, or a mix for [`Signature::aggregate_verify`]).
/// Empty input and an identity result are errors.
pub fn aggregate_signatures(sigs: &[&Signature]) -> Result<Signature> {
    if sigs.is_empty() {
        return Err(Error::Empty);
    }
    let raw: Vec<&blst::min_pk::Signature> = sigs.iter().map(|s| s.as_blst()).collect();
    // Inputs are validated: no subgroup checks while summing.
    let agg = blst::min_pk::AggregateSignature::aggregate(&raw, false).map_err(Error::from)?;
    let sig = agg.to_signature();
    // As for keys: the sum is in the subgroup; reject only the identity, whose compressed
    // form is the infinity flag (0xc0) followed by zeros.
    let compressed = sig.compress();
    if compressed[0] == 0xc0 && compressed[1..].iter().all(|&b| b == 0) {
        return Err(Error::Infinity);
    }
    Ok(Signature::from_blst_unchecked(sig))
}
