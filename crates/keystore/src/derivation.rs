//! EIP-2333 hierarchical derivation of BLS keys and EIP-2334 paths.
//!
//! `derive_master_sk(seed) = HKDF_mod_r(seed)`; `derive_child_sk(parent, i) =
//! HKDF_mod_r(compressed_lamport_PK(parent, i))`, where the Lamport public key is built from two
//! 255-chunk HKDF expansions of the parent key and of its bitwise complement. `HKDF_mod_r` is
//! the IETF BLS KeyGen with empty `key_info`, which [`SecretKey::key_gen`] implements.

use crate::{Error, Result};
use hkdf::Hkdf;
use rampart_crypto::SecretKey;
use sha2::{Digest as _, Sha256};
use zeroize::Zeroizing;

const LAMPORT_CHUNKS: usize = 255;

/// The EIP-2334 path of Ethereum validator signing key `index`: `m/12381/3600/{index}/0/0`.
pub fn signing_key_path(index: u32) -> String {
    format!("m/12381/3600/{index}/0/0")
}

/// The master key of a seed (at least 32 bytes, e.g. a BIP-39 seed).
pub fn derive_master_sk(seed: &[u8]) -> Result<SecretKey> {
    if seed.len() < 32 {
        return Err(Error::SeedTooShort);
    }
    SecretKey::key_gen(seed).map_err(Error::InvalidSecret)
}

/// The child key `index` of `parent`.
pub fn derive_child_sk(parent: &SecretKey, index: u32) -> SecretKey {
    let compressed = compressed_lamport_pk(parent, index);
    SecretKey::key_gen(compressed.as_ref()).expect("32-byte input always yields a key")
}

/// Derives the key at an EIP-2334 `path` (`m/12381/3600/0/0/0`) from `seed`.
pub fn derive_path(seed: &[u8], path: &str) -> Result<SecretKey> {
    let mut parts = path.split('/');
    if parts.next() != Some("m") {
        return Err(Error::InvalidPath(path.into()));
    }
    let mut sk = derive_master_sk(seed)?;
    for part in parts {
        let index: u32 = part.parse().map_err(|_| Error::InvalidPath(path.into()))?;
        sk = derive_child_sk(&sk, index);
    }
    Ok(sk)
}

/// The 255 32-byte Lamport secret chunks of `ikm` under `salt`.
fn ikm_to_lamport_sk(ikm: &[u8], salt: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut okm = Zeroizing::new(vec![0u8; 32 * LAMPORT_CHUNKS]);
    Hkdf::<Sha256>::new(Some(salt), ikm)
        .expand(&[], okm.as_mut())
        .expect("255 chunks of 32 bytes is a valid HKDF-SHA256 output length");
    okm
}

/// Both Lamport secret keys of `parent` at `index` (the EIP's `lamport_0`, `lamport_1`).
fn lamport_sks(parent: &SecretKey, index: u32) -> [Zeroizing<Vec<u8>>; 2] {
    let salt = index.to_be_bytes();
    let ikm = parent.to_bytes();
    let not_ikm = Zeroizing::new(ikm.map(|b| !b));
    [ikm_to_lamport_sk(ikm.as_ref(), &salt), ikm_to_lamport_sk(not_ikm.as_ref(), &salt)]
}

fn compressed_lamport_pk(parent: &SecretKey, index: u32) -> Zeroizing<[u8; 32]> {
    let mut outer = Sha256::new();
    for sk in lamport_sks(parent, index) {
        for chunk in sk.chunks_exact(32) {
            outer.update(Sha256::digest(chunk));
        }
    }
    Zeroizing::new(outer.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::hex;
    use rampart_crypto::test_utils::read_json;

    /// The EIP-2333 intermediate-values vector: Lamport chunks and compressed public key.
    #[test]
    fn intermediate_values() {
        let v = &read_json("eip2333.json")["intermediate_values_test_case"];
        let seed = hex::decode(v["seed"].as_str().unwrap()).unwrap();
        let master = derive_master_sk(&seed).unwrap();
        let index = v["child_index"].as_u64().unwrap() as u32;
        let [l0, l1] = lamport_sks(&master, index);
        for (name, got) in [("lamport_0", l0), ("lamport_1", l1)] {
            let expected: Vec<Vec<u8>> = v[name]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| hex::decode(x.as_str().unwrap()).unwrap())
                .collect();
            assert_eq!(expected.len(), LAMPORT_CHUNKS);
            let chunks: Vec<Vec<u8>> = got.chunks_exact(32).map(<[u8]>::to_vec).collect();
            assert_eq!(chunks, expected, "{name}");
        }
        let expected = hex::decode(v["compressed_lamport_PK"].as_str().unwrap()).unwrap();
        assert_eq!(compressed_lamport_pk(&master, index).as_slice(), expected);
    }

    #[test]
    fn paths() {
        let seed = [7u8; 32];
        let direct = derive_child_sk(&derive_child_sk(&derive_master_sk(&seed).unwrap(), 12381), 5);
        assert_eq!(derive_path(&seed, "m/12381/5").unwrap().public_key(), direct.public_key());
        assert_eq!(signing_key_path(3), "m/12381/3600/3/0/0");
        for bad in ["", "12381/0", "m/x", "m/-1", "m//1", "m/4294967296"] {
            assert!(matches!(derive_path(&seed, bad), Err(Error::InvalidPath(_))), "{bad}");
        }
        assert!(matches!(derive_master_sk(&[0u8; 31]), Err(Error::SeedTooShort)));
    }
}
