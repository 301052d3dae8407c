//! Operator-side slashing protection for Rampart.
//!
//! An operator is slashed for *equivocation* if its key signs two different checkpoints for the
//! same `(rollupId, batchIndex)`. This crate keeps a durable record of every checkpoint the key
//! signed and is the only path to a signature: [`SlashingProtection::sign_checkpoint`] checks the
//! record, writes the new checkpoint, asks the caller's closure for the BLS signature and commits,
//! all in one database transaction, and hands the signature out only after the commit. So:
//!
//! - a different checkpoint for a batch already on record is refused, and the signer is not called;
//! - the same checkpoint again returns the stored signature (idempotent re-signing);
//! - a crash at any point leaves either no record and no signature, or a durable record;
//! - two processes or tasks racing on one database sign at most one checkpoint per batch.
//!
//! A database is bound, on first open, to one [`Identity`] (chain id, attestation center, BLS
//! public key) and refuses to open for any other. It is SQLite (one file, WAL journal,
//! `synchronous=FULL`) or PostgreSQL, chosen by the URL; the schema migrations are embedded.
//!
//! History moves between databases and machines as an EIP-3076-style JSON [`Interchange`]
//! (`"interchange_format": "rampart-checkpoints"`); importing merges it without ever lowering
//! protection. The format is documented in this crate's `README.md`.

mod error;
mod interchange;
mod record;
mod store;

pub use error::{Error, InterchangeError, Result};
pub use interchange::{
    INTERCHANGE_FORMAT, INTERCHANGE_FORMAT_VERSION, Interchange, InterchangeCheckpoint,
    InterchangeData, InterchangeMetadata, ValidInterchange, ValidInterchangeEntry,
};
pub use record::{ImportConflict, ImportReport, SignedRecord};

use alloy_primitives::{Address, B256};
use rampart_crypto::{PublicKey, Signature};
use rampart_primitives::{Checkpoint, Domain};
use store::AnyStore;

/// What a protection database protects: one BLS key, signing checkpoints for one attestation
/// center (the EIP-712 verifying contract) on one chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Identity {
    /// EIP-155 chain id of the attestation center.
    pub chain_id: u64,
    /// The attestation center: the verifying contract of checkpoint signatures.
    pub attestation_center: Address,
    /// The operator's BLS public key.
    pub pubkey: PublicKey,
}

impl Identity {
    /// The EIP-712 domain checkpoint signatures of this identity are made under.
    pub fn domain(&self) -> Domain {
        Domain::new(self.chain_id, self.attestation_center)
    }
}

impl std::fmt::Display for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "key {} on chain {} with attestation center {}",
            self.pubkey, self.chain_id, self.attestation_center
        )
    }
}

/// The slashing-protection database of one [`Identity`].
///
/// Cheap to share: wrap it in an `Arc` and call it from any number of tasks. Any number of
/// processes may open the same database too; they serialize through it.
#[derive(Debug)]
pub struct SlashingProtection {
    store: AnyStore,
    identity: Identity,
    domain: Domain,
}

impl SlashingProtection {
    /// Opens the database at `url`, creating it and its schema if needed, and binds it to
    /// `identity` on first use.
    ///
    /// `url` is `sqlite://PATH` (or `sqlite:PATH`, or a plain file path) for a SQLite file, which
    /// is created if missing and always runs with `journal_mode=WAL` and `synchronous=FULL`; or
    /// `postgres://…` / `postgresql://…` for PostgreSQL (the database must exist; use one per
    /// key). In-memory SQLite is refused: it would forget everything on restart.
    ///
    /// Fails with [`Error::IdentityMismatch`] if the database is already bound to another key,
    /// chain or attestation center.
    pub async fn open(url: &str, identity: Identity) -> Result<Self> {
        let store = AnyStore::open(url, &identity).await?;
        Ok(Self { store, identity, domain: identity.domain() })
    }

    /// The identity this database protects.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// Which backend this is: `"sqlite"` or `"postgres"`.
    pub fn backend(&self) -> &'static str {
        self.store.name()
    }

    /// Signs `checkpoint` if and only if that cannot be equivocation; the single way Rampart
    /// signs checkpoints.
    ///
    /// `digest` must be the checkpoint's EIP-712 digest under this identity's domain
    /// ([`Checkpoint::digest`]); anything else is refused with [`Error::DigestMismatch`]. In one
    /// database transaction:
    ///
    /// - if a *different* checkpoint for `(rollup_id, batch_index)` is on record, fails with
    ///   [`Error::Refused`] and does not call `sign`;
    /// - if the *same* checkpoint is on record with its signature, returns that signature and
    ///   does not call `sign`;
    /// - otherwise records the checkpoint and its digest, calls `sign(digest)`, checks that the
    ///   signature verifies under the protected key ([`Error::WrongSigner`] otherwise), stores
    ///   it and commits. The signature is returned only once the commit succeeded: if it fails,
    ///   the caller gets an error and the signature never leaves this function.
    ///
    /// Concurrent calls for the same batch, from this process or others, serialize in the
    /// database: exactly one checkpoint wins and `sign` runs once for it.
    pub async fn sign_checkpoint(
        &self,
        checkpoint: &Checkpoint,
        digest: B256,
        sign: impl FnOnce(&B256) -> Signature,
    ) -> Result<Signature> {
        let expected = checkpoint.digest(&self.domain);
        if digest != expected {
            return Err(Error::DigestMismatch {
                checkpoint: Box::new(*checkpoint),
                expected,
                given: digest,
            });
        }
        let pubkey = self.identity.pubkey;
        let signer = move |digest: &B256| {
            let signature = sign(digest);
            match signature.verify(&pubkey, digest) {
                Ok(()) => Ok(signature),
                Err(_) => Err(Error::WrongSigner { pubkey: pubkey.to_string() }),
            }
        };
        self.store.sign(checkpoint, digest, signer).await
    }

    /// The record for `(rollup_id, batch_index)`, if this key signed (or imported) a checkpoint
    /// for it.
    pub async fn signed(&self, rollup_id: u64, batch_index: u64) -> Result<Option<SignedRecord>> {
        self.store.get(rollup_id, batch_index).await
    }

    /// Every record, ordered by `(rollup_id, batch_index)`.
    pub async fn records(&self) -> Result<Vec<SignedRecord>> {
        self.store.all().await
    }

    /// The whole signing history as an interchange document (signatures are not exported).
    pub async fn export(&self) -> Result<Interchange> {
        let records = self.store.all().await?;
        Ok(Interchange::new(&self.identity, records.iter().map(|r| r.checkpoint)))
    }

    /// Merges an interchange document into the database, in one transaction.
    ///
    /// The document is validated completely first: format and version, decimal numbers, hex
    /// lengths, public-key points, and every `signing_root` against the EIP-712 digest
    /// recomputed from its fields and the metadata's domain. A malformed document, or one for
    /// another chain, attestation center or key, is rejected as a whole
    /// ([`Error::Interchange`]) and nothing is written.
    ///
    /// Then each checkpoint is added unless one is on record for its `(rollup_id, batch_index)`:
    /// the same one counts as already recorded; a different one is *not* imported (ours is kept)
    /// and is listed in [`ImportReport::conflicts`]. Protection only ever grows, and importing
    /// the same document twice changes nothing the second time.
    pub async fn import(&self, interchange: &Interchange) -> Result<ImportReport> {
        let valid = interchange.validate_for(&self.identity)?;
        // In document order: a checkpoint meets whatever is on record for its batch by then,
        // from the database or from earlier in the document.
        let checkpoints: Vec<(Checkpoint, B256)> = valid
            .entries
            .iter()
            .flat_map(|entry| &entry.checkpoints)
            .map(|cp| (*cp, cp.digest(&self.domain)))
            .collect();
        self.store.import(&checkpoints).await
    }

    /// Closes the connection pool; every later call fails.
    pub async fn close(&self) {
        self.store.close().await
    }
}
