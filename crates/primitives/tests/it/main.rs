//! Integration tests of rampart-primitives: digests against an independent EIP-712 encoding,
//! JSON stability and round-trips.

use alloy_primitives::{Address, B256, U256, keccak256};
use proptest::prelude::*;
use rampart_crypto::SecretKey;
use rampart_primitives::{
    CHECKPOINT_TYPE, Checkpoint, Domain, KEY_REGISTRATION_TYPE, KeyRegistration, ProofOfPossession,
    RollupId, SignedAttestation,
};

/// EIP-712 by hand: `keccak256(0x1901 ‖ domainSeparator ‖ structHash)`, each struct hash the
/// keccak of the typehash and the 32-byte words of the fields.
fn word_u64(v: u64) -> [u8; 32] {
    U256::from(v).to_be_bytes()
}

fn word_address(a: Address) -> [u8; 32] {
    let mut w = [0u8; 32];
    w[12..].copy_from_slice(a.as_slice());
    w
}

fn hash_words(words: &[[u8; 32]]) -> B256 {
    keccak256(words.concat())
}

fn manual_domain_separator(chain_id: u64, contract: Address) -> B256 {
    let typehash = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)",
    );
    hash_words(&[
        typehash.0,
        keccak256("Rampart").0,
        keccak256("1").0,
        word_u64(chain_id),
        word_address(contract),
    ])
}

fn manual_digest(domain: B256, struct_hash: B256) -> B256 {
    let mut buf = vec![0x19, 0x01];
    buf.extend_from_slice(domain.as_slice());
    buf.extend_from_slice(struct_hash.as_slice());
    keccak256(buf)
}

fn manual_checkpoint_hash(c: &Checkpoint) -> B256 {
    hash_words(&[
        keccak256(CHECKPOINT_TYPE).0,
        word_u64(c.rollup_id.0),
        word_u64(c.batch_index),
        word_u64(c.l2_block_number),
        c.l2_block_hash.0,
        c.state_root.0,
    ])
}

fn arb_checkpoint() -> impl Strategy<Value = Checkpoint> {
    (any::<u64>(), any::<u64>(), any::<u64>(), any::<[u8; 32]>(), any::<[u8; 32]>()).prop_map(
        |(r, b, n, h, s)| Checkpoint {
            rollup_id: RollupId(r),
            batch_index: b,
            l2_block_number: n,
            l2_block_hash: B256::from(h),
            state_root: B256::from(s),
        },
    )
}

fn arb_domain() -> impl Strategy<Value = Domain> {
    (any::<u64>(), any::<[u8; 20]>()).prop_map(|(c, a)| Domain::new(c, Address::from(a)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn checkpoint_digest_matches_manual_eip712(c in arb_checkpoint(), d in arb_domain()) {
        let separator = manual_domain_separator(d.chain_id, d.verifying_contract);
        prop_assert_eq!(d.separator(), separator);
        prop_assert_eq!(c.struct_hash(), manual_checkpoint_hash(&c));
        prop_assert_eq!(c.digest(&d), manual_digest(separator, manual_checkpoint_hash(&c)));
    }

    #[test]
    fn checkpoint_json_roundtrips(c in arb_checkpoint()) {
        let json = serde_json::to_string(&c).unwrap();
        prop_assert_eq!(serde_json::from_str::<Checkpoint>(&json).unwrap(), c);
    }

    #[test]
    fn every_field_and_domain_part_changes_the_digest(c in arb_checkpoint(), d in arb_domain(), flip in 1u64..) {
        let base = c.digest(&d);
        let variants = [
            Checkpoint { rollup_id: RollupId(c.rollup_id.0 ^ flip), ..c },
            Checkpoint { batch_index: c.batch_index ^ flip, ..c },
            Checkpoint { l2_block_number: c.l2_block_number ^ flip, ..c },
            Checkpoint { l2_block_hash: B256::from(U256::from_be_bytes(c.l2_block_hash.0) ^ U256::from(flip)), ..c },
            Checkpoint { state_root: B256::from(U256::from_be_bytes(c.state_root.0) ^ U256::from(flip)), ..c },
        ];
        for v in variants {
            prop_assert_ne!(v.digest(&d), base);
        }
        prop_assert_ne!(c.digest(&Domain::new(d.chain_id ^ flip, d.verifying_contract)), base);
        let mut other = d.verifying_contract;
        other.0[19] ^= 1;
        prop_assert_ne!(c.digest(&Domain::new(d.chain_id, other)), base);
    }

    #[test]
    fn attestation_and_pop_roundtrip_and_verify(seed in any::<[u8; 32]>(), c in arb_checkpoint(), d in arb_domain(), op in any::<[u8; 20]>()) {
        let sk = SecretKey::key_gen(&seed).unwrap();
        let pk = sk.public_key();
        let operator = Address::from(op);

        let att = SignedAttestation { operator, checkpoint: c, signature: sk.sign(&c.digest(&d)) };
        let json = serde_json::to_string(&att).unwrap();
        let back: SignedAttestation = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, att);
        prop_assert!(back.verify(&pk, &d).is_ok());

        let pop = KeyRegistration { operator, pubkey: pk }.prove(&sk, &d);
        let back: ProofOfPossession = serde_json::from_str(&serde_json::to_string(&pop).unwrap()).unwrap();
        prop_assert!(back.verify(&d).is_ok());
        // Replayed for another operator, the proof fails.
        let mut other = op;
        other[0] ^= 1;
        let replay = ProofOfPossession { registration: KeyRegistration { operator: Address::from(other), pubkey: pk }, ..pop };
        prop_assert!(replay.verify(&d).is_err());
    }
}

#[test]
fn key_registration_digest_matches_manual_eip712() {
    let sk = SecretKey::key_gen(&[1u8; 32]).unwrap();
    let pubkey = sk.public_key();
    let operator = Address::repeat_byte(0xab);
    let domain = Domain::new(31337, Address::repeat_byte(0x11));
    let struct_hash = hash_words(&[
        keccak256(KEY_REGISTRATION_TYPE).0,
        word_address(operator),
        keccak256(pubkey.to_eip2537()).0,
    ]);
    let expected =
        manual_digest(manual_domain_separator(31337, domain.verifying_contract), struct_hash);
    assert_eq!(KeyRegistration { operator, pubkey }.digest(&domain), expected);
}

#[test]
fn json_form_is_stable() {
    let c = Checkpoint {
        rollup_id: RollupId(7),
        batch_index: 42,
        l2_block_number: 1_000,
        l2_block_hash: B256::repeat_byte(0xaa),
        state_root: B256::repeat_byte(0xbb),
    };
    let expected = format!(
        r#"{{"rollupId":7,"batchIndex":42,"l2BlockNumber":1000,"l2BlockHash":"0x{}","stateRoot":"0x{}"}}"#,
        "aa".repeat(32),
        "bb".repeat(32)
    );
    assert_eq!(serde_json::to_string(&c).unwrap(), expected);
}

#[test]
fn malformed_json_is_refused() {
    let sk = SecretKey::key_gen(&[2u8; 32]).unwrap();
    let c = Checkpoint {
        rollup_id: RollupId(1),
        batch_index: 1,
        l2_block_number: 1,
        l2_block_hash: B256::ZERO,
        state_root: B256::ZERO,
    };
    let d = Domain::new(1, Address::ZERO);
    let good = SignedAttestation {
        operator: Address::ZERO,
        checkpoint: c,
        signature: sk.sign(&c.digest(&d)),
    };
    let json: serde_json::Value = serde_json::to_value(good).unwrap();

    let mut unknown = json.clone();
    unknown["extra"] = 1.into();
    assert!(serde_json::from_value::<SignedAttestation>(unknown).is_err());

    let mut short = json.clone();
    short["signature"] = "0x1234".into();
    let err = serde_json::from_value::<SignedAttestation>(short).unwrap_err().to_string();
    assert!(err.contains("invalid length"), "{err}");

    let mut infinity = json.clone();
    infinity["signature"] = format!("0xc0{}", "00".repeat(95)).into();
    let err = serde_json::from_value::<SignedAttestation>(infinity).unwrap_err().to_string();
    assert!(err.contains("infinity"), "{err}");

    let mut negative = json;
    negative["checkpoint"]["batchIndex"] = (-1).into();
    assert!(serde_json::from_value::<SignedAttestation>(negative).is_err());
}

#[test]
fn conflicts() {
    let a = Checkpoint {
        rollup_id: RollupId(1),
        batch_index: 5,
        l2_block_number: 9,
        l2_block_hash: B256::ZERO,
        state_root: B256::repeat_byte(1),
    };
    let b = Checkpoint { state_root: B256::repeat_byte(2), ..a };
    assert!(a.conflicts_with(&b));
    assert!(!a.conflicts_with(&a), "the same checkpoint twice is not equivocation");
    assert!(!a.conflicts_with(&Checkpoint { batch_index: 6, ..b }), "different batches");
    assert!(!a.conflicts_with(&Checkpoint { rollup_id: RollupId(2), ..b }), "different rollups");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Attestation bodies arrive from the network: arbitrary bytes must never panic the parser.
    #[test]
    fn attestation_parser_is_total(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = serde_json::from_slice::<SignedAttestation>(&bytes);
        let _ = serde_json::from_slice::<ProofOfPossession>(&bytes);
    }

    /// Structurally valid JSON with random field values: parsed or refused, never a panic, and
    /// anything parsed serializes back to an equal value.
    #[test]
    fn attestation_fields_fuzzed(op in "0x[0-9a-f]{0,44}", sig in "0x[0-9a-f]{0,200}", n in any::<i128>(), root in "0x[0-9a-f]{0,70}") {
        let json = format!(
            r#"{{"operator":"{op}","checkpoint":{{"rollupId":{n},"batchIndex":1,"l2BlockNumber":2,"l2BlockHash":"{root}","stateRoot":"{root}"}},"signature":"{sig}"}}"#
        );
        if let Ok(att) = serde_json::from_str::<SignedAttestation>(&json) {
            let back: SignedAttestation = serde_json::from_str(&serde_json::to_string(&att).unwrap()).unwrap();
            prop_assert_eq!(back, att);
        }
    }
}

/// The Solidity tests read fixtures generated from this crate: the committed file must match.
#[test]
fn committed_contract_fixtures_are_current() {
    use rampart_primitives::fixtures::{FIXTURE_PATH, contract_fixtures_text};
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(FIXTURE_PATH);
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == contract_fixtures_text(),
        "{} is stale: run `cargo run -p rampart-primitives --features test-utils --example contract-fixtures`",
        path.display()
    );
}
