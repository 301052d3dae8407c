//! EIP-2335 keystores.

use crate::{Error, Result, normalize_password};
use aes::Aes128;
use alloy_primitives::hex;
use ctr::cipher::{KeyIvInit, StreamCipher};
use rampart_crypto::{PublicKey, SecretKey};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};
use std::path::Path;
use zeroize::Zeroizing;

type Aes128Ctr = ctr::Ctr128BE<Aes128>;

/// The key-derivation function protecting a new keystore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kdf {
    /// scrypt with n = 2^18, r = 8, p = 1 (the EIP's parameters; ~256 MiB, the default).
    Scrypt,
    /// PBKDF2-HMAC-SHA256 with c = 2^18.
    Pbkdf2,
}

const SCRYPT_LOG_N: u8 = 18;
const SCRYPT_R: u32 = 8;
const SCRYPT_P: u32 = 1;
const PBKDF2_C: u32 = 1 << 18;
const DKLEN: usize = 32;
/// Largest scrypt cost accepted when reading: n·r ≤ 2^23 (1 GiB of scrypt memory).
const MAX_SCRYPT_NR: u64 = 1 << 23;
/// Largest PBKDF2 iteration count accepted when reading.
const MAX_PBKDF2_C: u32 = 1 << 24;

/// One `{function, params, message}` module of the `crypto` section.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Module {
    function: String,
    params: serde_json::Map<String, Value>,
    message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CryptoSection {
    kdf: Module,
    checksum: Module,
    cipher: Module,
}

/// An EIP-2335 (version 4) keystore: a BLS secret key encrypted under a password.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Keystore {
    crypto: CryptoSection,
    #[serde(default)]
    description: String,
    #[serde(default)]
    pubkey: String,
    path: String,
    uuid: uuid::Uuid,
    version: u32,
}

/// Parsed KDF parameters, bounded so a hostile keystore cannot exhaust memory or time.
enum KdfParams {
    Scrypt { log_n: u8, r: u32, p: u32, salt: Vec<u8> },
    Pbkdf2 { c: u32, salt: Vec<u8> },
}

impl Keystore {
    /// Encrypts `sk` under `password` with fresh random salt, IV and UUID. `path` is the
    /// EIP-2334 derivation path of the key, or empty for a key not derived from a seed.
    pub fn encrypt(sk: &SecretKey, password: &str, kdf: Kdf, path: &str) -> Result<Self> {
        let mut salt = [0u8; 32];
        let mut iv = [0u8; 16];
        let mut uuid = [0u8; 16];
        for buf in [&mut salt[..], &mut iv[..], &mut uuid[..]] {
            getrandom::fill(buf).map_err(|_| Error::Rng)?;
        }
        let params = match kdf {
            Kdf::Scrypt => KdfParams::Scrypt {
                log_n: SCRYPT_LOG_N,
                r: SCRYPT_R,
                p: SCRYPT_P,
                salt: salt.to_vec(),
            },
            Kdf::Pbkdf2 => KdfParams::Pbkdf2 { c: PBKDF2_C, salt: salt.to_vec() },
        };
        let key = params.derive(&normalize_password(password))?;

        let mut ciphertext = sk.to_bytes();
        Aes128Ctr::new(key[..16].into(), (&iv).into()).apply_keystream(ciphertext.as_mut());
        let checksum = checksum(&key, ciphertext.as_ref());

        Ok(Self {
            crypto: CryptoSection {
                kdf: params.to_module(),
                checksum: Module {
                    function: "sha256".into(),
                    params: Default::default(),
                    message: hex::encode(checksum),
                },
                cipher: Module {
                    function: "aes-128-ctr".into(),
                    params: json!({ "iv": hex::encode(iv) })
                        .as_object()
                        .cloned()
                        .unwrap_or_default(),
                    message: hex::encode(ciphertext.as_ref()),
                },
            },
            description: String::new(),
            pubkey: hex::encode(sk.public_key().to_compressed()),
            path: path.into(),
            uuid: uuid::Builder::from_random_bytes(uuid).into_uuid(),
            version: 4,
        })
    }

    /// Decrypts the secret key. A wrong password is [`Error::WrongPassword`]; a keystore whose
    /// secret does not match its stated public key is [`Error::PubkeyMismatch`].
    pub fn decrypt(&self, password: &str) -> Result<SecretKey> {
        if self.version != 4 {
            return Err(Error::Unsupported(format!("version {}", self.version)));
        }
        let params = KdfParams::from_module(&self.crypto.kdf)?;
        let (iv, ciphertext) = self.cipher()?;
        let expected_checksum = self.checksum()?;

        let key = params.derive(&normalize_password(password))?;
        if !constant_time_eq(&checksum(&key, &ciphertext), &expected_checksum) {
            return Err(Error::WrongPassword);
        }
        let mut secret = Zeroizing::new(ciphertext);
        Aes128Ctr::new(key[..16].into(), iv.as_slice().into()).apply_keystream(secret.as_mut());
        let sk = SecretKey::from_bytes(&secret).map_err(Error::InvalidSecret)?;
        if let Some(stated) = self.public_key()?
            && stated != sk.public_key()
        {
            return Err(Error::PubkeyMismatch);
        }
        Ok(sk)
    }

    /// Parses keystore JSON (structure only; nothing is decrypted).
    pub fn from_json(json: &str) -> Result<Self> {
        let ks: Self = serde_json::from_str(json).map_err(|e| Error::Malformed(e.to_string()))?;
        // Surface structural problems now rather than at decryption time.
        KdfParams::from_module(&ks.crypto.kdf)?;
        ks.cipher()?;
        ks.checksum()?;
        ks.public_key()?;
        Ok(ks)
    }

    /// Reads and parses a keystore file.
    pub fn from_file(path: &Path) -> std::io::Result<Result<Self>> {
        Ok(Self::from_json(&std::fs::read_to_string(path)?))
    }

    /// Pretty JSON, as written to disk.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("keystore serializes")
    }

    /// The stated public key, if the keystore has one.
    pub fn public_key(&self) -> Result<Option<PublicKey>> {
        if self.pubkey.is_empty() {
            return Ok(None);
        }
        let bytes = hex_field(&self.pubkey, "pubkey")?;
        PublicKey::from_compressed(&bytes)
            .map(Some)
            .map_err(|e| Error::Malformed(format!("pubkey: {e}")))
    }

    /// The EIP-2334 derivation path (empty if none).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The keystore's UUID.
    pub fn uuid(&self) -> uuid::Uuid {
        self.uuid
    }

    fn cipher(&self) -> Result<(Vec<u8>, Vec<u8>)> {
        let cipher = &self.crypto.cipher;
        if cipher.function != "aes-128-ctr" {
            return Err(Error::Unsupported(format!("cipher {:?}", cipher.function)));
        }
        let iv = hex_field(str_param(&cipher.params, "iv")?, "cipher.params.iv")?;
        if iv.len() != 16 {
            return Err(Error::Malformed("cipher IV must be 16 bytes".into()));
        }
        let ciphertext = hex_field(&cipher.message, "cipher.message")?;
        if ciphertext.len() != rampart_crypto::SECRET_KEY_LEN {
            return Err(Error::Malformed("cipher message must be 32 bytes".into()));
        }
        Ok((iv, ciphertext))
    }

    fn checksum(&self) -> Result<Vec<u8>> {
        let checksum = &self.crypto.checksum;
        if checksum.function != "sha256" {
            return Err(Error::Unsupported(format!("checksum {:?}", checksum.function)));
        }
        let value = hex_field(&checksum.message, "checksum.message")?;
        if value.len() != 32 {
            return Err(Error::Malformed("checksum must be 32 bytes".into()));
        }
        Ok(value)
    }
}

impl KdfParams {
    fn from_module(module: &Module) -> Result<Self> {
        let p = &module.params;
        if uint_param(p, "dklen")? != DKLEN as u64 {
            return Err(Error::InvalidParams("dklen must be 32".into()));
        }
        let salt = hex_field(str_param(p, "salt")?, "kdf.params.salt")?;
        match module.function.as_str() {
            "scrypt" => {
                let n = uint_param(p, "n")?;
                let r = uint_param(p, "r")?;
                let pp = uint_param(p, "p")?;
                if n < 2 || !n.is_power_of_two() {
                    return Err(Error::InvalidParams("scrypt n must be a power of two ≥ 2".into()));
                }
                if r == 0 || pp == 0 || n.saturating_mul(r) > MAX_SCRYPT_NR || pp > 16 {
                    return Err(Error::InvalidParams(format!(
                        "scrypt cost out of bounds (n={n}, r={r}, p={pp})"
                    )));
                }
                Ok(Self::Scrypt {
                    log_n: n.trailing_zeros() as u8,
                    r: r as u32,
                    p: pp as u32,
                    salt,
                })
            }
            "pbkdf2" => {
                if str_param(p, "prf")? != "hmac-sha256" {
                    return Err(Error::Unsupported("pbkdf2 prf other than hmac-sha256".into()));
                }
                let c = uint_param(p, "c")?;
                if c == 0 || c > u64::from(MAX_PBKDF2_C) {
                    return Err(Error::InvalidParams(format!("pbkdf2 c={c} out of bounds")));
                }
                Ok(Self::Pbkdf2 { c: c as u32, salt })
            }
            other => Err(Error::Unsupported(format!("kdf {other:?}"))),
        }
    }

    fn to_module(&self) -> Module {
        let params = match self {
            Self::Scrypt { log_n, r, p, salt } => json!({
                "dklen": DKLEN, "n": 1u64 << log_n, "r": r, "p": p, "salt": hex::encode(salt)
            }),
            Self::Pbkdf2 { c, salt } => json!({
                "dklen": DKLEN, "c": c, "prf": "hmac-sha256", "salt": hex::encode(salt)
            }),
        };
        let function = match self {
            Self::Scrypt { .. } => "scrypt",
            Self::Pbkdf2 { .. } => "pbkdf2",
        };
        Module {
            function: function.into(),
            params: params.as_object().cloned().unwrap_or_default(),
            message: String::new(),
        }
    }

    fn derive(&self, password: &[u8]) -> Result<Zeroizing<[u8; DKLEN]>> {
        let mut key = Zeroizing::new([0u8; DKLEN]);
        match self {
            Self::Scrypt { log_n, r, p, salt } => {
                let params = scrypt::Params::new(*log_n, *r, *p, DKLEN)
                    .map_err(|e| Error::InvalidParams(e.to_string()))?;
                scrypt::scrypt(password, salt, &params, key.as_mut())
                    .map_err(|e| Error::InvalidParams(e.to_string()))?;
            }
            Self::Pbkdf2 { c, salt } => {
                pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, *c, key.as_mut());
            }
        }
        Ok(key)
    }
}

/// `SHA256(decryption_key[16..32] ‖ cipher_message)`.
fn checksum(key: &[u8; DKLEN], ciphertext: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(&key[16..]);
    h.update(ciphertext);
    h.finalize().into()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn hex_field(text: &str, what: &str) -> Result<Vec<u8>> {
    hex::decode(text).map_err(|_| Error::Malformed(format!("{what} is not hex")))
}

fn str_param<'a>(params: &'a serde_json::Map<String, Value>, name: &str) -> Result<&'a str> {
    params
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| Error::Malformed(format!("missing string parameter {name:?}")))
}

fn uint_param(params: &serde_json::Map<String, Value>, name: &str) -> Result<u64> {
    params
        .get(name)
        .and_then(Value::as_u64)
        .ok_or_else(|| Error::Malformed(format!("missing integer parameter {name:?}")))
}
