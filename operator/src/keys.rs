//! Loading the operator's keys from the files the configuration names.

use crate::config::{Config, EcdsaKeySource};
use crate::{Error, Result};
use alloy::primitives::Address;
use alloy_signer_local::PrivateKeySigner;
use rampart_chain::secrets;
use rampart_crypto::SecretKey;
use rampart_keystore::Keystore;
use std::path::Path;

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
            secrets::decrypt_keystore(&keystore, &password_file, &mut warnings)
        }
        Some(EcdsaKeySource::KeyFile(path)) => secrets::read_key_file(&path, &mut warnings),
        None => {
            return Err(Error::config(&config.source, "no ECDSA key configured"));
        }
    }
    .map_err(|e| Error::key(e.what, e.path, e.message))?;
    let bls = load_bls(&op.bls_keystore, &op.bls_password_file, &mut warnings)?;
    Ok(OperatorKeys { signer, bls, warnings })
}

pub(crate) fn load_bls(
    keystore: &Path,
    password_file: &Path,
    warnings: &mut Vec<String>,
) -> Result<SecretKey> {
    let password = secrets::read_password("BLS password file", password_file, warnings)
        .map_err(|e| Error::key(e.what, e.path, e.message))?;
    let ks = Keystore::from_file(keystore)
        .map_err(|e| Error::key("BLS keystore", keystore, e))?
        .map_err(|e| Error::key("BLS keystore", keystore, e))?;
    ks.decrypt(&password).map_err(|e| Error::key("BLS keystore", keystore, e))
}
