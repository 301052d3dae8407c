//! Integration tests of rampart-keystore: EIP-2335 and EIP-2333 vectors, round-trips and
//! every way a keystore can be wrong.

use alloy_primitives::hex;
use proptest::prelude::*;
use rampart_crypto::SecretKey;
use rampart_crypto::test_utils::read_json;
use rampart_keystore::derivation::{derive_child_sk, derive_master_sk};
use rampart_keystore::{Error, Kdf, Keystore, normalize_password};

/// A decimal string as a 32-byte big-endian integer.
fn decimal_to_be32(text: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for digit in text.bytes() {
        let mut carry = u32::from(digit - b'0');
        for byte in out.iter_mut().rev() {
            let v = u32::from(*byte) * 10 + carry;
            *byte = v as u8;
            carry = v >> 8;
        }
        assert_eq!(carry, 0, "overflow");
    }
    out
}

#[test]
fn eip2335_vectors() {
    let file = read_json("eip2335.json");
    let vectors = file["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 2);
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let password = v["password"].as_str().unwrap();
        let encoded = hex::decode(v["encoded_password"].as_str().unwrap()).unwrap();
        assert_eq!(normalize_password(password).as_slice(), encoded, "{name}: password rule");

        let ks = Keystore::from_json(&v["keystore"].to_string()).unwrap();
        let sk = ks.decrypt(password).unwrap();
        let secret = hex::decode(v["secret"].as_str().unwrap()).unwrap();
        assert_eq!(sk.to_bytes().as_slice(), secret, "{name}");
        assert_eq!(sk.public_key().to_string(), v["pubkey"].as_str().unwrap(), "{name}");
        assert_eq!(ks.path(), v["keystore"]["path"].as_str().unwrap());

        assert!(matches!(ks.decrypt("testpassword"), Err(Error::WrongPassword)), "{name}");
    }
}

#[test]
fn eip2333_vectors() {
    let file = read_json("eip2333.json");
    let cases = file["test_cases"].as_array().unwrap();
    assert!(cases.len() >= 4);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let seed = hex::decode(case["seed"].as_str().unwrap()).unwrap();
        let master = derive_master_sk(&seed).unwrap();
        let expected = decimal_to_be32(case["master_SK"].as_str().unwrap());
        assert_eq!(master.to_bytes().as_slice(), expected, "{name}: master");
        let index = u32::try_from(case["child_index"].as_u64().unwrap()).unwrap();
        let child = derive_child_sk(&master, index);
        let expected = decimal_to_be32(case["child_SK"].as_str().unwrap());
        assert_eq!(child.to_bytes().as_slice(), expected, "{name}: child");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Our EIP-2333 (Lamport chunks written out here) agrees with blst's independent one.
    #[test]
    fn derivation_matches_blst(seed in any::<[u8; 48]>(), index in any::<u32>()) {
        let ours = derive_child_sk(&derive_master_sk(&seed).unwrap(), index);
        let theirs = blst::min_pk::SecretKey::derive_master_eip2333(&seed).unwrap().derive_child_eip2333(index);
        prop_assert_eq!(*ours.to_bytes(), theirs.to_bytes());
    }
}

fn sample_key() -> SecretKey {
    SecretKey::key_gen(&[0x42; 32]).unwrap()
}

#[test]
fn roundtrip_both_kdfs() {
    let sk = sample_key();
    for kdf in [Kdf::Pbkdf2, Kdf::Scrypt] {
        let ks = Keystore::encrypt(&sk, "correct horse battery staple", kdf, "m/12381/3600/0/0/0")
            .unwrap();
        let back = Keystore::from_json(&ks.to_json()).unwrap();
        assert_eq!(
            back.decrypt("correct horse battery staple").unwrap().public_key(),
            sk.public_key()
        );
        assert!(matches!(back.decrypt("wrong"), Err(Error::WrongPassword)));
        assert_eq!(back.public_key().unwrap(), Some(sk.public_key()));
        assert_eq!(back.path(), "m/12381/3600/0/0/0");
        let json: serde_json::Value = serde_json::from_str(&ks.to_json()).unwrap();
        assert_eq!(json["version"], 4);
        assert!(!ks.to_json().contains(&hex::encode(sk.to_bytes().as_ref())), "secret in clear");
    }
}

#[test]
fn fresh_keystores_differ() {
    let sk = sample_key();
    let a = Keystore::encrypt(&sk, "pw", Kdf::Pbkdf2, "").unwrap();
    let b = Keystore::encrypt(&sk, "pw", Kdf::Pbkdf2, "").unwrap();
    assert_ne!(a.uuid(), b.uuid());
    assert_ne!(a.to_json(), b.to_json(), "salt and IV must be fresh");
}

fn pbkdf2_json() -> serde_json::Value {
    let ks = Keystore::encrypt(&sample_key(), "pw", Kdf::Pbkdf2, "").unwrap();
    serde_json::from_str(&ks.to_json()).unwrap()
}

fn parse(v: &serde_json::Value) -> Result<Keystore, Error> {
    Keystore::from_json(&v.to_string())
}

#[test]
fn corrupted_keystores_are_refused() {
    let good = pbkdf2_json();

    let mut flipped = good.clone();
    let msg = flipped["crypto"]["cipher"]["message"].as_str().unwrap().to_owned();
    let last = if msg.ends_with('0') { "1" } else { "0" };
    flipped["crypto"]["cipher"]["message"] = format!("{}{last}", &msg[..msg.len() - 1]).into();
    assert!(matches!(parse(&flipped).unwrap().decrypt("pw"), Err(Error::WrongPassword)));

    let mut bad_checksum = good.clone();
    bad_checksum["crypto"]["checksum"]["message"] = "00".repeat(32).into();
    assert!(matches!(parse(&bad_checksum).unwrap().decrypt("pw"), Err(Error::WrongPassword)));

    let mut other_pubkey = good.clone();
    other_pubkey["pubkey"] =
        hex::encode(SecretKey::key_gen(&[1; 32]).unwrap().public_key().to_compressed()).into();
    assert!(matches!(parse(&other_pubkey).unwrap().decrypt("pw"), Err(Error::PubkeyMismatch)));

    let mut not_hex = good.clone();
    not_hex["crypto"]["kdf"]["params"]["salt"] = "zz".into();
    assert!(matches!(parse(&not_hex), Err(Error::Malformed(_))));

    let mut short_iv = good.clone();
    short_iv["crypto"]["cipher"]["params"]["iv"] = "00".into();
    assert!(matches!(parse(&short_iv), Err(Error::Malformed(_))));

    let mut unknown_kdf = good.clone();
    unknown_kdf["crypto"]["kdf"]["function"] = "argon2".into();
    assert!(matches!(parse(&unknown_kdf), Err(Error::Unsupported(_))));

    let mut version = good.clone();
    version["version"] = 3.into();
    assert!(matches!(parse(&version).unwrap().decrypt("pw"), Err(Error::Unsupported(_))));

    let mut missing = good.clone();
    missing["crypto"].as_object_mut().unwrap().remove("checksum");
    assert!(matches!(parse(&missing), Err(Error::Malformed(_))));

    assert!(matches!(Keystore::from_json("{"), Err(Error::Malformed(_))));
    assert!(matches!(Keystore::from_json("[]"), Err(Error::Malformed(_))));
}

#[test]
fn hostile_kdf_parameters_are_refused_before_any_work() {
    let mut scrypt_huge = pbkdf2_json();
    scrypt_huge["crypto"]["kdf"] = serde_json::json!({
        "function": "scrypt",
        "params": {"dklen": 32, "n": 1u64 << 30, "r": 8, "p": 1, "salt": "00"},
        "message": ""
    });
    assert!(matches!(parse(&scrypt_huge), Err(Error::InvalidParams(_))));

    let mut not_pow2 = scrypt_huge.clone();
    not_pow2["crypto"]["kdf"]["params"]["n"] = 1000.into();
    assert!(matches!(parse(&not_pow2), Err(Error::InvalidParams(_))));

    let mut pbkdf2_huge = pbkdf2_json();
    pbkdf2_huge["crypto"]["kdf"]["params"]["c"] = (1u64 << 40).into();
    assert!(matches!(parse(&pbkdf2_huge), Err(Error::InvalidParams(_))));

    let mut dklen = pbkdf2_json();
    dklen["crypto"]["kdf"]["params"]["dklen"] = 16.into();
    assert!(matches!(parse(&dklen), Err(Error::InvalidParams(_))));
}
