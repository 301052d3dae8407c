//! Property tests: encodings round-trip, signatures bind key, message and domain, batches and
//! aggregates reject any tampering.

use proptest::prelude::*;
use rampart_crypto::{
    AggregatePublicKey, Digest, Error, PublicKey, SecretKey, Signature, SignatureSet,
    aggregate_signatures, batch_verify,
};

fn secret(seed: [u8; 32]) -> SecretKey {
    SecretKey::key_gen(&seed).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn encodings_roundtrip(seed in any::<[u8; 32]>(), msg in any::<[u8; 32]>()) {
        let sk = secret(seed);
        let pk = sk.public_key();
        let sig = sk.sign(&Digest::from(msg));
        prop_assert_eq!(PublicKey::from_compressed(&pk.to_compressed()).unwrap(), pk);
        prop_assert_eq!(PublicKey::from_eip2537(&pk.to_eip2537()).unwrap(), pk);
        prop_assert_eq!(pk.to_string().parse::<PublicKey>().unwrap(), pk);
        prop_assert_eq!(Signature::from_compressed(&sig.to_compressed()).unwrap(), sig);
        prop_assert_eq!(Signature::from_eip2537(&sig.to_eip2537()).unwrap(), sig);
        let json = serde_json::to_string(&(pk, sig)).unwrap();
        prop_assert_eq!(serde_json::from_str::<(PublicKey, Signature)>(&json).unwrap(), (pk, sig));
    }

    #[test]
    fn signature_binds_key_and_message(a in any::<[u8; 32]>(), b in any::<[u8; 32]>(), msg in any::<[u8; 32]>(), other in any::<[u8; 32]>()) {
        prop_assume!(a != b && msg != other);
        let (ska, skb) = (secret(a), secret(b));
        let digest = Digest::from(msg);
        let sig = ska.sign(&digest);
        prop_assert!(sig.verify(&ska.public_key(), &digest).is_ok());
        prop_assert_eq!(sig.verify(&skb.public_key(), &digest), Err(Error::VerificationFailed));
        prop_assert_eq!(sig.verify(&ska.public_key(), &Digest::from(other)), Err(Error::VerificationFailed));
    }

    #[test]
    fn single_byte_corruption_never_verifies(seed in any::<[u8; 32]>(), msg in any::<[u8; 32]>(), index in 0usize..96, flip in 1u8..=255) {
        let sk = secret(seed);
        let digest = Digest::from(msg);
        let mut bytes = sk.sign(&digest).to_compressed();
        bytes[index] ^= flip;
        // Either refused at decoding or refused at verification, never accepted.
        if let Ok(sig) = Signature::from_compressed(&bytes) {
            prop_assert!(sig.verify(&sk.public_key(), &digest).is_err());
        }
    }

    #[test]
    fn aggregate_and_batch_catch_one_bad_signature(n in 2usize..12, bad in any::<prop::sample::Index>(), seed in any::<u8>()) {
        let keys: Vec<SecretKey> = (0..n).map(|i| secret([seed.wrapping_add(i as u8); 32])).collect();
        let pks: Vec<PublicKey> = keys.iter().map(SecretKey::public_key).collect();
        let digest = Digest::repeat_byte(seed);
        let mut sigs: Vec<Signature> = keys.iter().map(|k| k.sign(&digest)).collect();
        let pk_refs: Vec<&PublicKey> = pks.iter().collect();

        let agg = aggregate_signatures(&sigs.iter().collect::<Vec<_>>()).unwrap();
        prop_assert!(agg.fast_aggregate_verify(&digest, &pk_refs).is_ok());
        let apk = AggregatePublicKey::from_keys(&pks).unwrap().to_public_key().unwrap();
        prop_assert!(agg.verify(&apk, &digest).is_ok());

        let digests: Vec<Digest> = (0..n).map(|i| Digest::repeat_byte(i as u8)).collect();
        let per_msg: Vec<Signature> = keys.iter().zip(&digests).map(|(k, d)| k.sign(d)).collect();
        let good: Vec<SignatureSet<'_>> = (0..n).map(|i| SignatureSet { public_key: &pks[i], digest: &digests[i], signature: &per_msg[i] }).collect();
        prop_assert!(batch_verify(&good).is_ok());

        // Replace one signature with a valid signature over another message.
        let i = bad.index(n);
        sigs[i] = keys[i].sign(&Digest::repeat_byte(seed.wrapping_add(1)));
        let agg = aggregate_signatures(&sigs.iter().collect::<Vec<_>>()).unwrap();
        prop_assert!(agg.fast_aggregate_verify(&digest, &pk_refs).is_err());
        let forged = keys[i].sign(&Digest::repeat_byte(0xee));
        let mut bad_sets = good.clone();
        bad_sets[i].signature = &forged;
        prop_assert_eq!(batch_verify(&bad_sets), Err(Error::VerificationFailed));
    }
}

#[test]
fn batch_rejects_duplicates_and_empty() {
    let sk = secret([3; 32]);
    let pk = sk.public_key();
    let digest = Digest::repeat_byte(1);
    let sig = sk.sign(&digest);
    let set = SignatureSet { public_key: &pk, digest: &digest, signature: &sig };
    assert_eq!(batch_verify(&[set, set]), Err(Error::DuplicateMessage));
    assert_eq!(batch_verify(&[]), Err(Error::Empty));
}

#[test]
fn aggregates_refuse_empty_and_identity() {
    assert!(matches!(AggregatePublicKey::from_keys([]), Err(Error::Empty)));
    assert_eq!(aggregate_signatures(&[]), Err(Error::Empty));
    let sk = secret([5; 32]);
    let sig = sk.sign(&Digest::ZERO);
    assert_eq!(sig.fast_aggregate_verify(&Digest::ZERO, &[]), Err(Error::Empty));
    // A signature plus its negation sums to the identity, which is refused.
    let mut neg = sig.to_compressed();
    neg[0] ^= 0x20; // flip the sign bit of the compressed y-coordinate
    let neg = Signature::from_compressed(&neg).unwrap();
    assert_eq!(aggregate_signatures(&[&sig, &neg]), Err(Error::Infinity));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary bytes never panic a decoder; whatever decodes re-encodes to the same bytes.
    #[test]
    fn decoders_are_total_and_canonical(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(pk) = PublicKey::from_compressed(&bytes) {
            prop_assert_eq!(pk.to_compressed().to_vec(), bytes.to_vec());
        }
        if let Ok(pk) = PublicKey::from_eip2537(&bytes) {
            prop_assert_eq!(pk.to_eip2537().to_vec(), bytes.to_vec());
        }
        if let Ok(sig) = Signature::from_compressed(&bytes) {
            prop_assert_eq!(sig.to_compressed().to_vec(), bytes.to_vec());
        }
        if let Ok(sig) = Signature::from_eip2537(&bytes) {
            prop_assert_eq!(sig.to_eip2537().to_vec(), bytes.to_vec());
        }
        let text = String::from_utf8_lossy(&bytes);
        let _ = text.parse::<PublicKey>();
        let _ = text.parse::<Signature>();
    }

    /// Fixed-length inputs with valid flag bits reach the curve and subgroup checks.
    #[test]
    fn flagged_inputs_are_decided(mut g1 in any::<[u8; 48]>(), mut g2 in prop::collection::vec(any::<u8>(), 96)) {
        g1[0] = (g1[0] & 0x1f) | 0x80;
        g2[0] = (g2[0] & 0x1f) | 0x80;
        if let Ok(pk) = PublicKey::from_compressed(&g1) {
            prop_assert_eq!(pk.to_compressed(), g1);
        }
        if let Ok(sig) = Signature::from_compressed(&g2) {
            prop_assert_eq!(sig.to_compressed().to_vec(), g2.to_vec());
        }
    }
}
