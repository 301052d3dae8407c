//! Loading the operator's keys from the files the configuration names.

use crate::config::{Config, EcdsaKeySource};
use crate::{Error, Result};
use alloy::primitives::Address;
use alloy_signer_local::PrivateKeySigner;
use rampart_crypto::SecretKey;
use rampart_keystore::Keystore;
use std::path::Path;
use zeroize::Zeroizing;

/// The operator's ECDSA signer and BLS key. `Debug` shows only the public halves.
pub(crate) struct OperatorKeys {
    /// Signs every transaction; its address is the operator.
    pub(crate) signer: PrivateKeySigner,
    /// The BLS key registered with Rampart.
    pub(crate) bls: SecretKey,
    /// Problems worth telling the user about (e.g. a world-readable key file).
    pub(crate) warnings: Vec<String>,
}

impl std::fmt::Debug for OperatorKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperatorKeys")
            .field("operator", &self.signer.address())
            .field("bls_pubkey", &self.bls.public_key())
            .finish_non_exhaustive()
    }
}

impl OperatorKeys {
    /// The operator's address.
    pub(crate) fn operator(&self) -> Address {
        self.signer.address()
    }
}

/// Decrypts or reads both keys.
pub(crate) fn load(config: &Config) -> Result<OperatorKeys> {
    let mut warnings = Vec::new();
    let op = &config.operator;
    let signer = match op.ecdsa_source() {
        Some(EcdsaKeySource::Keystore { keystore, password_file }) => {
            let password = read_password("ECDSA password file", &password_file, &mut warnings)?;
            PrivateKeySigner::decrypt_keystore(&keystore, password.as_bytes()).map_err(|e| {
                let message = match e.to_string() {
                    m if m.contains("Mac Mismatch") => {
                        "wrong password (keystore MAC mismatch)".to_string()
                    }
                    m => m,
                };
                Error::key("ECDSA keystore", &keystore, message)
            })?
        }
        Some(EcdsaKeySource::KeyFile(path)) => read_key_file(&path, &mut warnings)?,
        None => {
            return Err(Error::config(&config.source, "no ECDSA key configured"));
        }
    };
    let bls = load_bls(&op.bls_keystore, &op.bls_password_file, &mut warnings)?;
    Ok(OperatorKeys { signer, bls, warnings })
}

pub(crate) fn load_bls(
    keystore: &Path,
    password_file: &Path,
    warnings: &mut Vec<String>,
) -> Result<SecretKey> {
    let password = read_password("BLS password file", password_file, warnings)?;
    let ks = Keystore::from_file(keystore)
        .map_err(|e| Error::key("BLS keystore", keystore, e))?
        .map_err(|e| Error::key("BLS keystore", keystore, e))?;
    ks.decrypt(&password).map_err(|e| Error::key("BLS keystore", keystore, e))
}

/// Reads a password file, dropping one trailing `\n` or `\r\n`.
fn read_password(
    what: &'static str,
    path: &Path,
    warnings: &mut Vec<String>,
) -> Result<Zeroizing<String>> {
    let mut text =
        Zeroizing::new(std::fs::read_to_string(path).map_err(|e| Error::key(what, path, e))?);
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    warn_if_world_readable(what, path, warnings);
    Ok(text)
}

/// Reads a file holding a 0x-hex (or bare hex) secp256k1 private key.
fn read_key_file(path: &Path, warnings: &mut Vec<String>) -> Result<PrivateKeySigner> {
    const WHAT: &str = "ECDSA key file";
    let text =
        Zeroizing::new(std::fs::read_to_string(path).map_err(|e| Error::key(WHAT, path, e))?);
    let hex = text.trim();
    let hex = hex.strip_prefix("0x").or_else(|| hex.strip_prefix("0X")).unwrap_or(hex);
    let mut bytes = Zeroizing::new([0u8; 32]);
    if hex.len() != 64 || alloy::hex::decode_to_slice(hex, bytes.as_mut()).is_err() {
        return Err(Error::key(WHAT, path, "expected a 0x-prefixed 32-byte hex private key"));
    }
    let signer = PrivateKeySigner::from_slice(bytes.as_ref())
        .map_err(|_| Error::key(WHAT, path, "not a valid secp256k1 private key"))?;
    warn_if_world_readable(WHAT, path, warnings);
    Ok(signer)
}

fn warn_if_world_readable(what: &str, path: &Path, warnings: &mut Vec<String>) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o004 != 0
    {
        let warning = format!(
            "{what} {} is readable by every user on this machine; restrict it (chmod 600)",
            path.display()
        );
        tracing::warn!(target: "rampart::operator", "{warning}");
        warnings.push(warning);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn key_file_is_read_and_world_readable_is_warned() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ecdsa.key");
        let expected = PrivateKeySigner::random();
        std::fs::write(&path, format!("0x{}\n", alloy::hex::encode(expected.to_bytes()))).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let mut warnings = Vec::new();
        let signer = read_key_file(&path, &mut warnings).unwrap();
        assert_eq!(signer.address(), expected.address());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let mut warnings = Vec::new();
        read_key_file(&path, &mut warnings).unwrap();
        assert!(warnings.is_empty());
    }

    #[test]
    fn bad_key_file_does_not_echo_contents() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ecdsa.key");
        std::fs::write(&path, "0xnot-a-key-but-secret-ish").unwrap();
        let err = read_key_file(&path, &mut Vec::new()).unwrap_err().to_string();
        assert!(!err.contains("secret-ish"), "{err}");
        assert!(err.contains("32-byte hex private key"), "{err}");
    }
}
