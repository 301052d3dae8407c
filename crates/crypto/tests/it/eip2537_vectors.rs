//! EIP-2537 precompile vectors (`../shared/vectors/eip2537`), used here to check the EIP-2537
//! point encoding: every point of the ADD vectors decodes, sums and re-encodes exactly; every
//! failure vector for ADD, MUL, MSM, PAIRING and the MAP field elements is refused for the
//! reason the vector gives. (The precompiles themselves are exercised by the contracts' tests.)

use alloy_primitives::hex;
use rampart_crypto::test_utils::read_json;
use rampart_crypto::{
    AggregatePublicKey, Error, PublicKey, Signature, aggregate_signatures, eip2537,
};
use serde_json::Value;

#[derive(Clone, Copy)]
enum Part {
    G1,
    G2,
    Scalar,
    Fp,
}

impl Part {
    fn len(self) -> usize {
        match self {
            Part::G1 => eip2537::G1_LEN,
            Part::G2 => eip2537::G2_LEN,
            Part::Scalar => 32,
            Part::Fp => eip2537::FP_LEN,
        }
    }
}

/// Why a failure vector must fail, from its `ExpectedError` text.
#[derive(Debug, PartialEq)]
enum Reason {
    Length,
    Encoding,
    NotOnCurve,
    NotInSubgroup,
}

fn expected_reason(text: &str) -> Reason {
    if text.contains("length") {
        Reason::Length
    } else if text.contains("not on curve") {
        Reason::NotOnCurve
    } else if text.contains("subgroup") {
        Reason::NotInSubgroup
    } else if text.contains("fp.Element") || text.contains("top bytes") {
        Reason::Encoding
    } else {
        panic!("unclassified expected error {text:?}")
    }
}

/// Decodes `input` as repetitions of `layout`, treating the identity as well-formed, and
/// returns the first reason it is refused (None if every part decodes).
fn refusal(input: &[u8], layout: &[Part]) -> Option<Reason> {
    let unit: usize = layout.iter().map(|p| p.len()).sum();
    if input.is_empty() || !input.len().is_multiple_of(unit) {
        return Some(Reason::Length);
    }
    let mut offset = 0;
    for part in layout.iter().cycle().take(layout.len() * (input.len() / unit)) {
        let bytes = &input[offset..offset + part.len()];
        offset += part.len();
        let res = match part {
            Part::G1 => PublicKey::from_eip2537(bytes).map(drop),
            Part::G2 => Signature::from_eip2537(bytes).map(drop),
            Part::Fp => eip2537::decode_fp(bytes).map(drop),
            Part::Scalar => Ok(()),
        };
        match res {
            Ok(()) | Err(Error::Infinity) => {}
            Err(Error::NotOnCurve) => return Some(Reason::NotOnCurve),
            Err(Error::NotInSubgroup) => return Some(Reason::NotInSubgroup),
            Err(Error::InvalidEncoding) => return Some(Reason::Encoding),
            Err(e) => panic!("unexpected error {e}"),
        }
    }
    None
}

fn cases(file: &str) -> Vec<Value> {
    let cases = read_json(&format!("eip2537/{file}")).as_array().unwrap().clone();
    assert!(!cases.is_empty(), "{file} has no cases");
    cases
}

#[test]
fn failure_vectors_are_refused_for_the_stated_reason() {
    use Part::*;
    let files: &[(&str, &[Part])] = &[
        ("eips-assets/fail-add_G1_bls.json", &[G1, G1]),
        ("eips-assets/fail-add_G2_bls.json", &[G2, G2]),
        ("eips-assets/fail-mul_G1_bls.json", &[G1, Scalar]),
        ("eips-assets/fail-mul_G2_bls.json", &[G2, Scalar]),
        ("eips-assets/fail-msm_G1_bls.json", &[G1, Scalar]),
        ("eips-assets/fail-msm_G2_bls.json", &[G2, Scalar]),
        ("eips-assets/fail-pairing_check_bls.json", &[G1, G2]),
        ("eips-assets/fail-map_fp_to_G1_bls.json", &[Fp]),
        ("eips-assets/fail-map_fp2_to_G2_bls.json", &[Fp, Fp]),
        ("go-ethereum/fail-blsG1Add.json", &[G1, G1]),
        ("go-ethereum/fail-blsG2Add.json", &[G2, G2]),
        ("go-ethereum/fail-blsG1Mul.json", &[G1, Scalar]),
        ("go-ethereum/fail-blsG2Mul.json", &[G2, Scalar]),
        ("go-ethereum/fail-blsG1MultiExp.json", &[G1, Scalar]),
        ("go-ethereum/fail-blsG2MultiExp.json", &[G2, Scalar]),
        ("go-ethereum/fail-blsPairing.json", &[G1, G2]),
        ("go-ethereum/fail-blsMapG1.json", &[Fp]),
        ("go-ethereum/fail-blsMapG2.json", &[Fp, Fp]),
    ];
    for (file, layout) in files {
        for case in cases(file) {
            let name = case["Name"].as_str().unwrap();
            let input = hex::decode(case["Input"].as_str().unwrap()).unwrap();
            let want = expected_reason(case["ExpectedError"].as_str().unwrap());
            assert_eq!(refusal(&input, layout), Some(want), "{file}: {name}");
        }
    }
}

/// ADD vectors may use the identity or points outside the subgroup (the precompile checks
/// neither); Rampart's decoder refuses both, and nothing else, on those inputs.
fn refused_as_identity_or_non_subgroup(a: Option<Error>, b: Option<Error>) -> bool {
    let ok = |e: Option<Error>| matches!(e, None | Some(Error::Infinity | Error::NotInSubgroup));
    ok(a) && ok(b) && (a.is_some() || b.is_some())
}

fn split(hex_text: &str, len: usize) -> (Vec<u8>, Vec<u8>) {
    let bytes = hex::decode(hex_text).unwrap();
    assert_eq!(bytes.len(), 2 * len);
    (bytes[..len].to_vec(), bytes[len..].to_vec())
}

/// Runs the ADD success vectors through decode → add → encode. Cases with the identity as an
/// operand or result are checked to be refused as identity (Rampart never accepts it).
#[test]
fn add_vectors_roundtrip_through_the_encoding() {
    let mut summed = 0;
    for file in ["eips-assets/add_G1_bls.json", "go-ethereum/blsG1Add.json"] {
        for case in cases(file) {
            let name = case["Name"].as_str().unwrap();
            let (a, b) = split(case["Input"].as_str().unwrap(), eip2537::G1_LEN);
            let expected = hex::decode(case["Expected"].as_str().unwrap()).unwrap();
            match (PublicKey::from_eip2537(&a), PublicKey::from_eip2537(&b)) {
                (Ok(a), Ok(b)) => {
                    match AggregatePublicKey::from_keys([&a, &b]).unwrap().to_public_key() {
                        Ok(sum) => {
                            assert_eq!(sum.to_eip2537().as_slice(), expected, "{file}: {name}");
                            summed += 1;
                        }
                        Err(e) => {
                            assert_eq!(e, Error::Infinity, "{file}: {name}");
                            assert!(expected.iter().all(|&x| x == 0), "{file}: {name}");
                        }
                    }
                }
                (a, b) => assert!(
                    refused_as_identity_or_non_subgroup(a.err(), b.err()),
                    "{file}: {name}: operand refused for a reason other than identity/subgroup"
                ),
            }
        }
    }
    for file in ["eips-assets/add_G2_bls.json", "go-ethereum/blsG2Add.json"] {
        for case in cases(file) {
            let name = case["Name"].as_str().unwrap();
            let (a, b) = split(case["Input"].as_str().unwrap(), eip2537::G2_LEN);
            let expected = hex::decode(case["Expected"].as_str().unwrap()).unwrap();
            match (Signature::from_eip2537(&a), Signature::from_eip2537(&b)) {
                (Ok(a), Ok(b)) => match aggregate_signatures(&[&a, &b]) {
                    Ok(sum) => {
                        assert_eq!(sum.to_eip2537().as_slice(), expected, "{file}: {name}");
                        summed += 1;
                    }
                    Err(e) => {
                        assert_eq!(e, Error::Infinity, "{file}: {name}");
                        assert!(expected.iter().all(|&x| x == 0), "{file}: {name}");
                    }
                },
                (a, b) => assert!(
                    refused_as_identity_or_non_subgroup(a.err(), b.err()),
                    "{file}: {name}: operand refused for a reason other than identity/subgroup"
                ),
            }
        }
    }
    assert!(summed >= 8, "only {summed} ADD cases were summed");
}
