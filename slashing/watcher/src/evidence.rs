//! Equivocation evidence from aggregators: `GET {aggregator}/v1/evidence?after=ID&limit=N`
//! answers `{"evidence": [{id, operator, rollupId, batchIndex, first, second, detectedAt}]}`
//! with two signed attestations each (see the aggregator's API).
//!
//! Aggregators are not trusted: a page is read with a size cap, every attestation's signature is
//! parsed and subgroup-checked, and an item whose two attestations are not conflicting checkpoints
//! by the operator it names is dropped here. Whether the signatures are the operator's is left to
//! the contract (the slasher simulates every call before sending it).

use serde::Deserialize;

/// The largest page body read, in bytes.
pub const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;
/// Items asked for per page.
pub const PAGE: u32 = 100;

/// One item of evidence as an aggregator serves it.
pub use rampart_primitives::EquivocationEvidence as Evidence;

#[derive(Deserialize)]
struct Page {
    evidence: Vec<Evidence>,
}

/// Why a page or an item is unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceError {
    /// The body is not a page of evidence.
    #[error("not a page of evidence: {0}")]
    Malformed(String),
    /// The body is larger than [`MAX_PAGE_BYTES`].
    #[error("evidence page larger than {MAX_PAGE_BYTES} bytes")]
    TooLarge,
    /// The two attestations do not show the named operator equivocating.
    #[error("evidence {id} is not an equivocation: {reason}")]
    NotEquivocation {
        /// The item's id.
        id: i64,
        /// What is wrong.
        reason: &'static str,
    },
}

/// Parses a page body (ids must increase: a page that goes back is refused whole).
pub fn parse_page(body: &[u8]) -> Result<Vec<Evidence>, EvidenceError> {
    if body.len() > MAX_PAGE_BYTES {
        return Err(EvidenceError::TooLarge);
    }
    let page: Page =
        serde_json::from_slice(body).map_err(|e| EvidenceError::Malformed(e.to_string()))?;
    if page.evidence.windows(2).any(|w| w[0].id >= w[1].id) {
        return Err(EvidenceError::Malformed("ids do not increase".into()));
    }
    Ok(page.evidence)
}

/// Checks the item shows one operator signing two different checkpoints of its batch.
pub fn check(item: &Evidence) -> Result<(), EvidenceError> {
    item.check().map_err(|reason| EvidenceError::NotEquivocation { id: item.id, reason })
}

/// Reads one page from `aggregator` (a base URL).
pub async fn fetch(
    client: &reqwest::Client,
    aggregator: &str,
    after: i64,
) -> Result<Vec<Evidence>, String> {
    let url =
        format!("{}/v1/evidence?after={after}&limit={PAGE}", aggregator.trim_end_matches('/'));
    let mut response = client.get(&url).send().await.map_err(|e| format!("GET {url}: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("GET {url}: HTTP {}", response.status()));
    }
    if response.content_length().is_some_and(|n| n > MAX_PAGE_BYTES as u64) {
        return Err(format!("GET {url}: {}", EvidenceError::TooLarge));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| format!("GET {url}: {e}"))? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_PAGE_BYTES {
            return Err(format!("GET {url}: {}", EvidenceError::TooLarge));
        }
    }
    parse_page(&body).map_err(|e| format!("GET {url}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{Address, B256};
    use proptest::prelude::*;
    use rampart_crypto::SecretKey;
    use rampart_primitives::SignedAttestation;
    use rampart_primitives::{Checkpoint, RollupId};

    fn attestation(root: u8, operator: Address) -> SignedAttestation {
        let sk = SecretKey::key_gen(&[5u8; 32]).unwrap();
        let checkpoint = Checkpoint {
            rollup_id: RollupId(1),
            batch_index: 4,
            l2_block_number: 9,
            l2_block_hash: B256::repeat_byte(1),
            state_root: B256::repeat_byte(root),
        };
        SignedAttestation { operator, checkpoint, signature: sk.sign(&B256::repeat_byte(root)) }
    }

    fn page(items: &[(i64, SignedAttestation, SignedAttestation)]) -> String {
        let items: Vec<_> = items
            .iter()
            .map(|(id, a, b)| {
                serde_json::json!({
                    "id": id, "operator": a.operator, "rollupId": 1, "batchIndex": 4,
                    "first": a, "second": b, "detectedAt": 5,
                })
            })
            .collect();
        serde_json::json!({ "evidence": items }).to_string()
    }

    #[test]
    fn a_served_page_parses_and_checks() {
        let op = Address::repeat_byte(3);
        let (a, b) = (attestation(1, op), attestation(2, op));
        let items = parse_page(page(&[(1, a, b), (7, b, a)]).as_bytes()).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].first, a);
        items.iter().for_each(|e| check(e).unwrap());
    }

    #[test]
    fn items_that_show_no_equivocation_are_refused() {
        let op = Address::repeat_byte(3);
        let a = attestation(1, op);
        let same = parse_page(page(&[(1, a, a)]).as_bytes()).unwrap();
        assert!(matches!(check(&same[0]), Err(EvidenceError::NotEquivocation { .. })));
        let other = attestation(2, Address::repeat_byte(4));
        let two_operators = parse_page(page(&[(1, a, other)]).as_bytes()).unwrap();
        assert!(check(&two_operators[0]).is_err());
        let mut other_batch = attestation(2, op);
        other_batch.checkpoint.batch_index = 5;
        assert!(check(&parse_page(page(&[(1, a, other_batch)]).as_bytes()).unwrap()[0]).is_err());
    }

    #[test]
    fn malformed_pages_are_refused_whole() {
        let op = Address::repeat_byte(3);
        let (a, b) = (attestation(1, op), attestation(2, op));
        assert!(parse_page(page(&[(7, a, b), (7, b, a)]).as_bytes()).is_err(), "ids repeat");
        let good = page(&[(1, a, b)]);
        // A signature that is not a G2 point.
        let sig = serde_json::to_value(a.signature).unwrap().as_str().unwrap().to_string();
        let bad_point = good.replacen(&sig, &format!("0x{}", "11".repeat(96)), 1);
        assert!(matches!(parse_page(bad_point.as_bytes()), Err(EvidenceError::Malformed(_))));
        assert!(parse_page(b"{}").is_err());
        assert!(parse_page(b"[]").is_err());
        let huge = vec![b' '; MAX_PAGE_BYTES + 1];
        assert_eq!(parse_page(&huge), Err(EvidenceError::TooLarge));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any bytes: an error or a page, never a panic.
        #[test]
        fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = parse_page(&body);
        }

        /// A served page with one byte changed: refused or parsed, never a panic; when it parses,
        /// each item still passes or fails `check` cleanly.
        #[test]
        fn mutated_pages_never_panic(at in any::<prop::sample::Index>(), byte in any::<u8>()) {
            let op = Address::repeat_byte(3);
            let mut body = page(&[(1, attestation(1, op), attestation(2, op))]).into_bytes();
            let i = at.index(body.len());
            body[i] = byte;
            if let Ok(items) = parse_page(&body) {
                for item in items {
                    let _ = check(&item);
                }
            }
        }
    }
}
