//! Errors of the slashing-protection crate.

use crate::Identity;
use alloy_primitives::B256;
use rampart_primitives::Checkpoint;

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong opening the database, signing through it, or moving its history.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Signing `requested` would be equivocation: this key already signed `existing`, a different
    /// checkpoint for the same `(rollupId, batchIndex)`. Nothing was signed.
    #[error(
        "slashing protection refused to sign rollup {} batch {}: this key already signed a \
         different checkpoint for it (signed: {}, requested: {})",
        requested.rollup_id, requested.batch_index, show(existing), show(requested)
    )]
    Refused {
        /// The checkpoint on record.
        existing: Box<Checkpoint>,
        /// The checkpoint that was refused.
        requested: Box<Checkpoint>,
    },

    /// The database protects another key, chain or attestation center than the one it was
    /// opened for.
    #[error(
        "the slashing protection database is bound to {stored}, but was opened for {requested}; \
         refusing to use it (each key, chain and attestation center needs its own database)"
    )]
    IdentityMismatch {
        /// The identity the database is bound to.
        stored: Box<Identity>,
        /// The identity it was opened with.
        requested: Box<Identity>,
    },

    /// The digest handed to `sign_checkpoint` is not the checkpoint's EIP-712 digest under the
    /// database's domain. Nothing was signed.
    #[error(
        "digest {given} is not the EIP-712 digest {expected} of rollup {} batch {} under this \
         database's domain; refusing to sign",
        checkpoint.rollup_id, checkpoint.batch_index
    )]
    DigestMismatch {
        /// The checkpoint to be signed.
        checkpoint: Box<Checkpoint>,
        /// Its digest under the database's domain.
        expected: B256,
        /// The digest that was handed in.
        given: B256,
    },

    /// The signing closure produced a signature that does not verify under the database's
    /// public key: it signs with another key than the one this database protects. The record
    /// was rolled back and the signature discarded.
    #[error(
        "the signer produced a signature that does not verify under {pubkey}, the key this \
         slashing protection database protects; discarded it (wrong key configured?)"
    )]
    WrongSigner {
        /// The protected key.
        pubkey: String,
    },

    /// The database URL names a backend this crate does not support.
    #[error(
        "unsupported slashing protection database URL `{0}`: use `sqlite://PATH`, a plain file \
         path, or `postgres://…`"
    )]
    UnsupportedUrl(String),

    /// An in-memory SQLite database forgets everything on restart: no protection at all.
    #[error("an in-memory database gives no slashing protection across restarts; use a file")]
    InMemory,

    /// The database holds a value this crate did not write (bad length, invalid point).
    #[error("corrupt slashing protection database: {0}")]
    Corrupt(String),

    /// The interchange document is malformed or is for another identity. Nothing was imported.
    #[error("interchange rejected: {0}")]
    Interchange(#[from] InterchangeError),

    /// The database failed (connection, I/O, constraint, commit).
    #[error("slashing protection database error: {0}")]
    Database(#[from] sqlx::Error),

    /// Applying the embedded schema migrations failed.
    #[error("slashing protection database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Why an interchange document was rejected as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InterchangeError {
    /// Not JSON, or not the shape of an interchange document.
    #[error("not a valid interchange document: {0}")]
    Json(String),

    /// An Ethereum validator (EIP-3076) slashing-protection file: a different protocol.
    #[error(
        "this is an Ethereum validator slashing-protection interchange (EIP-3076), not a Rampart \
         checkpoint interchange (interchange_format \"rampart-checkpoints\")"
    )]
    EthereumInterchange,

    /// `metadata.interchange_format` is not `rampart-checkpoints`.
    #[error("unsupported interchange_format {found:?}: expected \"rampart-checkpoints\"")]
    UnsupportedFormat {
        /// The format named by the document.
        found: String,
    },

    /// `metadata.interchange_format_version` is not one this crate reads.
    #[error("unsupported interchange_format_version {found:?}: expected \"1\"")]
    UnsupportedVersion {
        /// The version named by the document.
        found: String,
    },

    /// A field does not parse: bad decimal, bad hex, wrong length, invalid public key.
    #[error("{path}: {reason}")]
    InvalidField {
        /// Where in the document, e.g. `data[0].signed_checkpoints[3].state_root`.
        path: String,
        /// What is wrong with it.
        reason: String,
    },

    /// A `signing_root` is not the EIP-712 digest of its checkpoint under the document's domain.
    #[error(
        "{path}: signing_root {found} is not the EIP-712 digest of the checkpoint under the \
         document's domain (expected {expected})"
    )]
    SigningRootMismatch {
        /// Where in the document.
        path: String,
        /// The digest recomputed from the fields and the metadata.
        expected: B256,
        /// The digest the document carries.
        found: B256,
    },

    /// The document is for another chain, attestation center or key than the database.
    #[error("{what} is {found}, but this database protects {expected}; refusing the whole import")]
    WrongIdentity {
        /// Which part of the identity differs (`chain_id`, `attestation_center`, `data[2].pubkey`).
        what: String,
        /// The database's value.
        expected: String,
        /// The document's value.
        found: String,
    },
}

fn show(c: &Checkpoint) -> String {
    format!(
        "l2BlockNumber {}, l2BlockHash {}, stateRoot {}",
        c.l2_block_number, c.l2_block_hash, c.state_root
    )
}
