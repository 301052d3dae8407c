//! Reading ECDSA keys and passwords from the files a configuration names.
//!
//! Secrets are held in [`Zeroizing`] buffers, never echoed in errors, and a file any user can
//! read is reported as a warning for the caller to show.

use alloy_signer_local::PrivateKeySigner;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Why a key or password file could not be used. The message never contains the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} {}: {message}", path.display())]
pub struct SecretError {
    /// Which file it was ("ECDSA key file", …).
    pub what: &'static str,
    /// Its path.
    pub path: PathBuf,
    /// What is wrong with it.
    pub message: String,
}

impl SecretError {
    fn new(what: &'static str, path: &Path, message: impl ToString) -> Self {
        Self { what, path: path.to_owned(), message: message.to_string() }
    }
}

/// Reads a password file, dropping one trailing `\n` or `\r\n`.
pub fn read_password(
    what: &'static str,
    path: &Path,
    warnings: &mut Vec<String>,
) -> Result<Zeroizing<String>, SecretError> {
    let mut text =
        Zeroizing::new(std::fs::read_to_string(path).map_err(|e| SecretError::new(what, path, e))?);
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
pub fn read_key_file(
    path: &Path,
    warnings: &mut Vec<String>,
) -> Result<PrivateKeySigner, SecretError> {
    const WHAT: &str = "ECDSA key file";
    let text =
        Zeroizing::new(std::fs::read_to_string(path).map_err(|e| SecretError::new(WHAT, path, e))?);
    let hex = text.trim();
    let hex = hex.strip_prefix("0x").or_else(|| hex.strip_prefix("0X")).unwrap_or(hex);
    let mut bytes = Zeroizing::new([0u8; 32]);
    if hex.len() != 64 || alloy::hex::decode_to_slice(hex, bytes.as_mut()).is_err() {
        return Err(SecretError::new(WHAT, path, "expected a 0x-prefixed 32-byte hex private key"));
    }
    let signer = PrivateKeySigner::from_slice(bytes.as_ref())
        .map_err(|_| SecretError::new(WHAT, path, "not a valid secp256k1 private key"))?;
    warn_if_world_readable(WHAT, path, warnings);
    Ok(signer)
}

/// Decrypts a geth (v3) keystore with the password in `password_file`.
pub fn decrypt_keystore(
    keystore: &Path,
    password_file: &Path,
    warnings: &mut Vec<String>,
) -> Result<PrivateKeySigner, SecretError> {
    let password = read_password("ECDSA password file", password_file, warnings)?;
    PrivateKeySigner::decrypt_keystore(keystore, password.as_bytes()).map_err(|e| {
        let message = match e.to_string() {
            m if m.contains("Mac Mismatch") => "wrong password (keystore MAC mismatch)".to_string(),
            m => m,
        };
        SecretError::new("ECDSA keystore", keystore, message)
    })
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
        tracing::warn!(target: "rampart::secrets", "{warning}");
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

    #[test]
    fn password_loses_one_trailing_newline() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pass");
        std::fs::write(&path, "secret\r\n").unwrap();
        assert_eq!(read_password("p", &path, &mut Vec::new()).unwrap().as_str(), "secret");
    }
}
