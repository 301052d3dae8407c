//! ethereum/bls12-381-tests v0.1.2 (ciphersuite `BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_`)
//! and the RFC 9380 G2 hash-to-curve vectors, from `../shared/vectors`.
//!
//! Rampart is stricter than the generic suite in one documented way: the identity point is
//! never a valid public key or signature, so it is refused at decoding. Where a vector expects
//! the identity to decode (or to be the result of aggregating identities), the test checks that
//! the input is well-formed and refused for exactly that reason.

use alloy_primitives::hex;
use rampart_crypto::test_utils::{read_dir_json, read_json};
use rampart_crypto::{
    Digest, Error, PublicKey, SecretKey, Signature, SignatureSet, aggregate_signatures,
    batch_verify, hash_to_g2,
};
use serde_json::Value;

const G1_INFINITY: &str = "0xc00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";

fn bytes(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().expect("hex string")).expect("valid hex in vector")
}

fn digest(v: &Value) -> Digest {
    Digest::from_slice(&bytes(v))
}

fn pk(v: &Value) -> Result<PublicKey, Error> {
    PublicKey::from_compressed(&bytes(v))
}

fn sig(v: &Value) -> Result<Signature, Error> {
    Signature::from_compressed(&bytes(v))
}

fn is_infinity(encoded: &[u8]) -> bool {
    encoded[0] == 0xc0 && encoded[1..].iter().all(|&b| b == 0)
}

#[test]
fn deserialization_g1() {
    for (name, case) in read_dir_json("bls12-381-tests/deserialization_G1") {
        let input = bytes(&case["input"]["pubkey"]);
        let expected = case["output"].as_bool().unwrap();
        let got = PublicKey::from_compressed(&input);
        match (expected, got) {
            (true, Ok(pk)) => assert_eq!(pk.to_compressed().as_slice(), input, "{name}"),
            (true, Err(Error::Infinity)) => assert!(is_infinity(&input), "{name}"),
            (true, Err(e)) => panic!("{name}: expected success, got {e}"),
            (false, Ok(_)) => panic!("{name}: expected failure, decoded"),
            (false, Err(_)) => {}
        }
    }
}

#[test]
fn deserialization_g2() {
    for (name, case) in read_dir_json("bls12-381-tests/deserialization_G2") {
        let input = bytes(&case["input"]["signature"]);
        let expected = case["output"].as_bool().unwrap();
        let got = Signature::from_compressed(&input);
        match (expected, got) {
            (true, Ok(sig)) => assert_eq!(sig.to_compressed().as_slice(), input, "{name}"),
            (true, Err(Error::Infinity)) => assert!(is_infinity(&input), "{name}"),
            (true, Err(e)) => panic!("{name}: expected success, got {e}"),
            (false, Ok(_)) => panic!("{name}: expected failure, decoded"),
            (false, Err(_)) => {}
        }
    }
}

#[test]
fn sign() {
    for (name, case) in read_dir_json("bls12-381-tests/sign") {
        let sk = SecretKey::from_bytes(&bytes(&case["input"]["privkey"]));
        let msg = digest(&case["input"]["message"]);
        match (&case["output"], sk) {
            (Value::Null, Err(e)) => assert_eq!(e, Error::InvalidSecretKey, "{name}"),
            (Value::Null, Ok(_)) => panic!("{name}: invalid key accepted"),
            (out, Ok(sk)) => {
                let sig = sk.sign(&msg);
                assert_eq!(sig.to_compressed().as_slice(), bytes(out), "{name}");
                sig.verify(&sk.public_key(), &msg).unwrap();
            }
            (_, Err(e)) => panic!("{name}: {e}"),
        }
    }
}

#[test]
fn verify() {
    for (name, case) in read_dir_json("bls12-381-tests/verify") {
        let input = &case["input"];
        let expected = case["output"].as_bool().unwrap();
        let got = match (pk(&input["pubkey"]), sig(&input["signature"])) {
            (Ok(pk), Ok(sig)) => sig.verify(&pk, &digest(&input["message"])).is_ok(),
            _ => false,
        };
        assert_eq!(got, expected, "{name}");
    }
}

#[test]
fn aggregate() {
    for (name, case) in read_dir_json("bls12-381-tests/aggregate") {
        let inputs: Vec<Vec<u8>> = case["input"].as_array().unwrap().iter().map(bytes).collect();
        let decoded: Result<Vec<Signature>, Error> =
            inputs.iter().map(|b| Signature::from_compressed(b)).collect();
        match (&case["output"], decoded) {
            (Value::Null, Ok(sigs)) => {
                let refs: Vec<&Signature> = sigs.iter().collect();
                assert!(aggregate_signatures(&refs).is_err(), "{name}: expected failure");
            }
            (Value::Null, Err(e)) => panic!("{name}: unexpected decode error {e}"),
            (out, Ok(sigs)) => {
                let refs: Vec<&Signature> = sigs.iter().collect();
                let agg = aggregate_signatures(&refs).unwrap();
                assert_eq!(agg.to_compressed().as_slice(), bytes(out), "{name}");
            }
            // The suite aggregates a lone identity signature into the identity; Rampart refuses
            // identity signatures outright.
            (out, Err(e)) => {
                assert_eq!(e, Error::Infinity, "{name}");
                assert!(is_infinity(&bytes(out)), "{name}");
            }
        }
    }
}

fn keys(v: &Value) -> Result<Vec<PublicKey>, Error> {
    v.as_array().unwrap().iter().map(pk).collect()
}

#[test]
fn fast_aggregate_verify() {
    for (name, case) in read_dir_json("bls12-381-tests/fast_aggregate_verify") {
        let input = &case["input"];
        let expected = case["output"].as_bool().unwrap();
        let got = match (keys(&input["pubkeys"]), sig(&input["signature"])) {
            (Ok(pks), Ok(sig)) => {
                let refs: Vec<&PublicKey> = pks.iter().collect();
                sig.fast_aggregate_verify(&digest(&input["message"]), &refs).is_ok()
            }
            _ => false,
        };
        assert_eq!(got, expected, "{name}");
    }
}

#[test]
fn aggregate_verify() {
    for (name, case) in read_dir_json("bls12-381-tests/aggregate_verify") {
        let input = &case["input"];
        let expected = case["output"].as_bool().unwrap();
        let digests: Vec<Digest> =
            input["messages"].as_array().unwrap().iter().map(digest).collect();
        let got = match (keys(&input["pubkeys"]), sig(&input["signature"])) {
            (Ok(pks), Ok(sig)) => {
                let refs: Vec<&PublicKey> = pks.iter().collect();
                sig.aggregate_verify(&digests, &refs).is_ok()
            }
            _ => false,
        };
        assert_eq!(got, expected, "{name}");
    }
}

#[test]
fn batch_verify_vectors() {
    for (name, case) in read_dir_json("bls12-381-tests/batch_verify") {
        let input = &case["input"];
        let expected = case["output"].as_bool().unwrap();
        let digests: Vec<Digest> =
            input["messages"].as_array().unwrap().iter().map(digest).collect();
        let sigs: Result<Vec<Signature>, Error> =
            input["signatures"].as_array().unwrap().iter().map(sig).collect();
        let got = match (keys(&input["pubkeys"]), sigs) {
            (Ok(pks), Ok(sigs)) => {
                let sets: Vec<SignatureSet<'_>> = (0..pks.len())
                    .map(|i| SignatureSet {
                        public_key: &pks[i],
                        digest: &digests[i],
                        signature: &sigs[i],
                    })
                    .collect();
                batch_verify(&sets).is_ok()
            }
            _ => false,
        };
        assert_eq!(got, expected, "{name}");
    }
}

/// The generic suite's infinity public key must fail for the reason we claim.
#[test]
fn infinity_public_key_is_refused_as_infinity() {
    let infinity = hex::decode(G1_INFINITY).unwrap();
    assert_eq!(PublicKey::from_compressed(&infinity), Err(Error::Infinity));
}

/// Splits a vector's "c0,c1" text into the two 48-byte halves.
fn fp2(text: &str) -> Vec<u8> {
    let (c0, c1) = text.split_once(',').expect("c0,c1");
    let mut out = Vec::new();
    for part in [c0, c1] {
        out.extend_from_slice(&rampart_crypto::eip2537::encode_fp(&hex::decode(part).unwrap()));
    }
    out
}

#[test]
fn hash_to_g2_bls_tests() {
    const QUUX_DST: &[u8] = b"QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_";
    for (name, case) in read_dir_json("bls12-381-tests/hash_to_G2") {
        let msg = case["input"]["msg"].as_str().unwrap();
        let mut expected = fp2(case["output"]["x"].as_str().unwrap());
        expected.extend(fp2(case["output"]["y"].as_str().unwrap()));
        assert_eq!(hash_to_g2(msg.as_bytes(), QUUX_DST).as_slice(), expected, "{name}");
    }
}

#[test]
fn hash_to_g2_rfc9380() {
    let file = read_json("rfc9380_bls12381g2_xmd_sha256_sswu_ro.json");
    let suite = &file["BLS12381G2_XMD:SHA-256_SSWU_RO_"];
    let dst = suite["dst"].as_str().unwrap();
    let vectors = suite["vectors"].as_array().unwrap();
    assert!(!vectors.is_empty());
    for v in vectors {
        let mut expected = Vec::new();
        for coord in ["x", "y"] {
            for part in ["c0", "c1"] {
                let value = hex::decode(v["P"][coord][part].as_str().unwrap()).unwrap();
                expected.extend_from_slice(&rampart_crypto::eip2537::encode_fp(&value));
            }
        }
        let msg = v["msg"].as_str().unwrap();
        assert_eq!(hash_to_g2(msg.as_bytes(), dst.as_bytes()).as_slice(), expected, "msg {msg:?}");
    }
}
