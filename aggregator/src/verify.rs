//! Optimistic verification with bisection.
//!
//! A batch of signatures over one digest is checked with a single `fast_aggregate_verify`
//! (aggregate the signatures, aggregate the keys, one pairing equation). Only if that fails is
//! the batch split in halves, recursively. When a failing set's left half passes, its right half
//! is known to contain a bad signature, so that half is split without being checked itself. A
//! batch of n with k bad signatures costs about 1 + 2k·log2(n) checks instead of n, and every
//! bad signature is pinned to its index. The keys must carry checked proofs of possession
//! (registry keys do), which is what makes same-message aggregation sound.

use rampart_crypto::{Digest, PublicKey, Signature, aggregate_signatures};

/// Which signatures of a batch verify.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    /// Indices whose signature verifies.
    pub valid: Vec<usize>,
    /// Indices whose signature does not.
    pub invalid: Vec<usize>,
    /// Pairing checks spent.
    pub checks: usize,
}

/// Verifies every `(key, signature)` of `items` over `digest`.
pub fn verify_batch(digest: &Digest, items: &[(&PublicKey, &Signature)]) -> Verdict {
    let mut verdict = Verdict::default();
    let all: Vec<usize> = (0..items.len()).collect();
    bisect(digest, items, &all, false, &mut verdict);
    verdict.valid.sort_unstable();
    verdict.invalid.sort_unstable();
    verdict
}

/// Checks `subset` (unless it is already `known_bad`); returns whether all of it is valid.
fn bisect(
    digest: &Digest,
    items: &[(&PublicKey, &Signature)],
    subset: &[usize],
    known_bad: bool,
    verdict: &mut Verdict,
) -> bool {
    if subset.is_empty() {
        return true;
    }
    if !known_bad {
        verdict.checks += 1;
        if holds(digest, items, subset) {
            verdict.valid.extend_from_slice(subset);
            return true;
        }
    }
    if let [single] = subset {
        verdict.invalid.push(*single);
        return false;
    }
    let (left, right) = subset.split_at(subset.len() / 2);
    let left_valid = bisect(digest, items, left, false, verdict);
    // The whole failed: if the left half is fine, the right half must hold the culprit.
    bisect(digest, items, right, left_valid, verdict);
    false
}

fn holds(digest: &Digest, items: &[(&PublicKey, &Signature)], subset: &[usize]) -> bool {
    if let [single] = subset {
        let (pk, sig) = items[*single];
        return sig.verify(pk, digest).is_ok();
    }
    let sigs: Vec<&Signature> = subset.iter().map(|&i| items[i].1).collect();
    let pks: Vec<&PublicKey> = subset.iter().map(|&i| items[i].0).collect();
    match aggregate_signatures(&sigs) {
        Ok(aggregate) => aggregate.fast_aggregate_verify(digest, &pks).is_ok(),
        // The signatures cancel out: certainly not all valid.
        Err(_) => false,
    }
}
