//! BLS key storage for Rampart operators, in the formats Ethereum validator operators know:
//!
//! - [`Keystore`]: EIP-2335 encrypted keystores (scrypt or PBKDF2-HMAC-SHA256, AES-128-CTR,
//!   SHA-256 checksum, passwords normalized per the EIP);
//! - [`derivation`]: EIP-2333 hierarchical key derivation (and EIP-2334 paths).
//!
//! Decrypted secrets live only in zeroizing buffers and [`rampart_crypto::SecretKey`] values.

pub mod derivation;
mod error;
mod keystore;
mod password;

pub use error::{Error, Result};
pub use keystore::{Kdf, Keystore};
pub use password::normalize_password;
