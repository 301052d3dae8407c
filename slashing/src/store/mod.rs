//! The two database backends behind one interface.

mod ops;
mod postgres;
mod sqlite;

use crate::{Error, Identity, ImportReport, Result, SignedRecord};
use alloy_primitives::B256;
use rampart_crypto::Signature;
use rampart_primitives::Checkpoint;

pub(crate) use postgres::PostgresStore;
pub(crate) use sqlite::SqliteStore;

/// Name of the table in which sqlx tracks applied migrations. Ours, not sqlx's default, so the
/// protection schema can share a database with other sqlx applications without either seeing
/// the other's migrations. Never change it: a renamed table means re-running migrations.
const MIGRATIONS_TABLE: &str = "_rampart_slashing_migrations";

/// One storage backend of the protection database.
///
/// Every implementation upholds the same rules: a database is bound to one identity; a
/// `(rollup_id, batch_index)` has at most one checkpoint, ever; the signer is called only by the
/// transaction that owns the new record, and its signature is returned only after that
/// transaction committed.
pub(crate) trait Backend {
    /// `"sqlite"` or `"postgres"`.
    fn name(&self) -> &'static str;

    /// The record-check-sign-commit transaction of
    /// [`SlashingProtection::sign_checkpoint`](crate::SlashingProtection::sign_checkpoint).
    /// `digest` has been checked to be the checkpoint's digest under the bound domain.
    async fn sign<F>(&self, checkpoint: &Checkpoint, digest: B256, signer: F) -> Result<Signature>
    where
        F: FnOnce(&B256) -> Result<Signature>;

    /// The record of one batch.
    async fn get(&self, rollup_id: u64, batch_index: u64) -> Result<Option<SignedRecord>>;

    /// Every record, ordered by `(rollup_id, batch_index)` as unsigned numbers.
    async fn all(&self) -> Result<Vec<SignedRecord>>;

    /// Adds checkpoints (with their digests) in order, in one transaction, keeping whatever is
    /// on record for a batch by the time its checkpoint comes.
    async fn import(&self, records: &[(Checkpoint, B256)]) -> Result<ImportReport>;

    /// Closes the pool.
    async fn close(&self);
}

/// The backend a URL selects.
#[derive(Debug)]
pub(crate) enum AnyStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl AnyStore {
    /// Connects, migrates and binds the identity.
    pub(crate) async fn open(url: &str, identity: &Identity) -> Result<Self> {
        let lower = url.trim_start().to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Ok(Self::Postgres(PostgresStore::open(url, identity).await?))
        } else if lower.starts_with("sqlite:") {
            Ok(Self::Sqlite(SqliteStore::open_url(url, identity).await?))
        } else if url.contains("://") || url.trim().is_empty() {
            Err(Error::UnsupportedUrl(url.to_owned()))
        } else {
            Ok(Self::Sqlite(SqliteStore::open_path(url.as_ref(), identity).await?))
        }
    }

    pub(crate) fn name(&self) -> &'static str {
        match self {
            Self::Sqlite(s) => s.name(),
            Self::Postgres(s) => s.name(),
        }
    }

    pub(crate) async fn sign<F>(
        &self,
        checkpoint: &Checkpoint,
        digest: B256,
        signer: F,
    ) -> Result<Signature>
    where
        F: FnOnce(&B256) -> Result<Signature>,
    {
        match self {
            Self::Sqlite(s) => s.sign(checkpoint, digest, signer).await,
            Self::Postgres(s) => s.sign(checkpoint, digest, signer).await,
        }
    }

    pub(crate) async fn get(
        &self,
        rollup_id: u64,
        batch_index: u64,
    ) -> Result<Option<SignedRecord>> {
        match self {
            Self::Sqlite(s) => s.get(rollup_id, batch_index).await,
            Self::Postgres(s) => s.get(rollup_id, batch_index).await,
        }
    }

    pub(crate) async fn all(&self) -> Result<Vec<SignedRecord>> {
        let mut records = match self {
            Self::Sqlite(s) => s.all().await?,
            Self::Postgres(s) => s.all().await?,
        };
        // The columns hold u64s as signed 64-bit values: order as unsigned here.
        records.sort_by_key(|r| (r.checkpoint.rollup_id.0, r.checkpoint.batch_index));
        Ok(records)
    }

    pub(crate) async fn import(&self, records: &[(Checkpoint, B256)]) -> Result<ImportReport> {
        match self {
            Self::Sqlite(s) => s.import(records).await,
            Self::Postgres(s) => s.import(records).await,
        }
    }

    pub(crate) async fn close(&self) {
        match self {
            Self::Sqlite(s) => s.close().await,
            Self::Postgres(s) => s.close().await,
        }
    }
}

/// Compares the stored identity with the requested one.
pub(crate) fn check_identity(stored: Identity, requested: &Identity) -> Result<()> {
    if stored == *requested {
        Ok(())
    } else {
        Err(Error::IdentityMismatch { stored: Box::new(stored), requested: Box::new(*requested) })
    }
}

/// Decodes a stored identity row.
pub(crate) fn decode_identity(chain_id: i64, center: &[u8], pubkey: &[u8]) -> Result<Identity> {
    let attestation_center = alloy_primitives::Address::try_from(center).map_err(|_| {
        Error::Corrupt(format!("identity attestation_center has {} bytes", center.len()))
    })?;
    let pubkey = rampart_crypto::PublicKey::from_compressed(pubkey)
        .map_err(|e| Error::Corrupt(format!("identity pubkey: {e}")))?;
    Ok(Identity { chain_id: crate::record::from_db(chain_id), attestation_center, pubkey })
}
