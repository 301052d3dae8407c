//! Persistence (sqlx): SQLite by default, PostgreSQL for replicas; migrations embedded.
//!
//! One code path serves both databases through sqlx's `Any` driver; each has its own migration
//! set (column types differ). u64 values are stored as the i64 with the same bits.

use super::ServiceError;
use alloy_primitives::{Address, B256};
use rampart_crypto::Signature;
use rampart_primitives::{Checkpoint, RollupId, SignedAttestation};
use sqlx::any::AnyRow;
use sqlx::migrate::Migrator;
// Dynamic SQL here is only constant fragments joined by format!: no input reaches it.
use sqlx::{AnyPool, AssertSqlSafe, Row};
use std::time::Duration;

static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");
/// sqlx's migration bookkeeping table for this schema (not the default, so the aggregator can
/// share a database with other sqlx applications).
const MIGRATIONS_TABLE: &str = "_rampart_aggregator_migrations";

type Result<T> = std::result::Result<T, ServiceError>;

pub(crate) use rampart_storage::{from_db, now_ms, to_db};

/// A stored, verified attestation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredAttestation {
    /// What the operator sent.
    pub attestation: SignedAttestation,
    /// The checkpoint's digest under the deployment's domain.
    pub digest: B256,
    /// When it was accepted (Unix ms).
    pub received_at: i64,
}

/// Equivocation evidence, as stored and served (`GET /v1/evidence`).
pub use rampart_primitives::EquivocationEvidence as Evidence;

/// Status of a certificate transaction attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Broadcast, not mined.
    Pending,
    /// Mined, not yet buried under enough confirmations.
    Mined,
    /// Mined and final.
    Confirmed,
    /// Replaced by a later attempt with the same nonce.
    Replaced,
    /// Its nonce was used by another transaction; a new attempt takes over.
    Dropped,
    /// Mined but reverted (e.g. another certificate won the race).
    Reverted,
    /// Not needed any more: the batch was certified by another transaction.
    Superseded,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Mined => "mined",
            Self::Confirmed => "confirmed",
            Self::Replaced => "replaced",
            Self::Dropped => "dropped",
            Self::Reverted => "reverted",
            Self::Superseded => "superseded",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "pending" => Self::Pending,
            "mined" => Self::Mined,
            "confirmed" => Self::Confirmed,
            "replaced" => Self::Replaced,
            "dropped" => Self::Dropped,
            "reverted" => Self::Reverted,
            "superseded" => Self::Superseded,
            other => return Err(ServiceError::Corrupt(format!("submission status {other:?}"))),
        })
    }

    /// Whether the attempt may still land (and so blocks a new one).
    pub fn is_open(self) -> bool {
        matches!(self, Self::Pending | Self::Mined | Self::Replaced)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One certificate transaction attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// Rollup.
    pub rollup_id: u64,
    /// Batch.
    pub batch_index: u64,
    /// 0 for the first, then one more per replacement or new nonce.
    pub attempt: u64,
    /// Digest of the certified checkpoint.
    pub digest: B256,
    /// Reference block of the certificate.
    pub reference_block: u64,
    /// Signers counted.
    pub signers: u64,
    /// Non-signers listed.
    pub non_signers: u64,
    /// Paying account.
    pub sender: Address,
    /// Its nonce.
    pub nonce: u64,
    /// `maxFeePerGas` (wei).
    pub max_fee: u128,
    /// `maxPriorityFeePerGas` (wei).
    pub priority_fee: u128,
    /// Transaction hash.
    pub tx_hash: B256,
    /// The signed transaction (EIP-2718), re-broadcast after restarts or drops.
    pub raw_tx: Vec<u8>,
    /// Where it stands.
    pub status: Status,
    /// Block it was mined in.
    pub mined_block: Option<u64>,
    /// Replica that sent it.
    pub instance: String,
    /// Created (Unix ms).
    pub created_at: i64,
}

/// The aggregator's database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: &'static str,
}

impl Store {
    /// Opens `url` (`sqlite://…`, `sqlite:…`, a file path, or `postgres://…`), creating a
    /// SQLite file if needed, and applies the migrations.
    pub async fn open(url: &str) -> Result<Self> {
        let schema = rampart_storage::Schema {
            sqlite: &SQLITE,
            postgres: &POSTGRES,
            table: MIGRATIONS_TABLE,
        };
        let (pool, backend) =
            rampart_storage::open(url, "attestations", schema).await.map_err(|e| match e {
                rampart_storage::StorageError::Url(m) => ServiceError::Config(m),
                rampart_storage::StorageError::Database(e) => ServiceError::Database(e),
                rampart_storage::StorageError::Migrate(e) => ServiceError::Migrate(e),
            })?;
        Ok(Self { pool, backend: backend.as_str() })
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// Checks the database answers.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Inserts attestations in one transaction (committed before this returns). Returns, per
    /// input, `None` if it was inserted, or the attestation already on record for that
    /// `(rollup, batch, operator)` (another replica's, or a duplicate).
    pub async fn insert_attestations(
        &self,
        rows: &[StoredAttestation],
    ) -> Result<Vec<Option<StoredAttestation>>> {
        let mut tx = self.pool.begin().await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let a = &row.attestation;
            let c = &a.checkpoint;
            let done = sqlx::query(
                "INSERT INTO aggregator_attestations (rollup_id, batch_index, operator, \
                 l2_block_number, l2_block_hash, state_root, digest, signature, received_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (rollup_id, batch_index, operator) DO NOTHING",
            )
            .bind(to_db(c.rollup_id.0))
            .bind(to_db(c.batch_index))
            .bind(a.operator.to_vec())
            .bind(to_db(c.l2_block_number))
            .bind(c.l2_block_hash.to_vec())
            .bind(c.state_root.to_vec())
            .bind(row.digest.to_vec())
            .bind(a.signature.to_compressed().to_vec())
            .bind(row.received_at)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 1 {
                out.push(None);
            } else {
                let existing =
                    sqlx::query(AssertSqlSafe(format!("{SELECT_ATTESTATION} AND operator = $3")))
                        .bind(to_db(c.rollup_id.0))
                        .bind(to_db(c.batch_index))
                        .bind(a.operator.to_vec())
                        .fetch_one(&mut *tx)
                        .await?;
                out.push(Some(attestation_row(&existing)?));
            }
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Every attestation of a batch, oldest first.
    pub async fn attestations(&self, rollup: u64, batch: u64) -> Result<Vec<StoredAttestation>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{SELECT_ATTESTATION} ORDER BY received_at, operator"
        )))
        .bind(to_db(rollup))
        .bind(to_db(batch))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(attestation_row).collect()
    }

    /// Records equivocation evidence; `false` if this operator's conflict in this batch is
    /// already on record.
    pub async fn insert_evidence(
        &self,
        first: &SignedAttestation,
        second: &SignedAttestation,
    ) -> Result<bool> {
        let json = |a: &SignedAttestation| serde_json::to_string(a).expect("serializable");
        let done = sqlx::query(
            "INSERT INTO aggregator_evidence (rollup_id, batch_index, operator, first, second, \
             detected_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (rollup_id, batch_index, operator) DO NOTHING",
        )
        .bind(to_db(first.checkpoint.rollup_id.0))
        .bind(to_db(first.checkpoint.batch_index))
        .bind(first.operator.to_vec())
        .bind(json(first))
        .bind(json(second))
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Evidence with `id > after`, oldest first, at most `limit`.
    pub async fn evidence(&self, after: i64, limit: i64) -> Result<Vec<Evidence>> {
        let rows = sqlx::query(
            "SELECT id, rollup_id, batch_index, operator, first, second, detected_at \
             FROM aggregator_evidence WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let parse = |col: &str| -> Result<SignedAttestation> {
                    let text: String = r.try_get(col)?;
                    serde_json::from_str(&text)
                        .map_err(|e| ServiceError::Corrupt(format!("evidence {col}: {e}")))
                };
                Ok(Evidence {
                    id: r.try_get("id")?,
                    rollup_id: from_db(r.try_get("rollup_id")?),
                    batch_index: from_db(r.try_get("batch_index")?),
                    operator: address(&r.try_get::<Vec<u8>, _>("operator")?)?,
                    first: parse("first")?,
                    second: parse("second")?,
                    detected_at: r.try_get("detected_at")?,
                })
            })
            .collect()
    }

    /// Inserts a submission attempt. `false` if that `(rollup, batch, attempt)` exists: another
    /// replica claimed it first.
    pub async fn insert_submission(&self, s: &Submission) -> Result<bool> {
        let now = now_ms();
        let done = sqlx::query(
            "INSERT INTO aggregator_submissions (rollup_id, batch_index, attempt, digest, \
             reference_block, signers, non_signers, sender, nonce, max_fee, priority_fee, \
             tx_hash, raw_tx, status, mined_block, instance, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
             $17, $18) ON CONFLICT (rollup_id, batch_index, attempt) DO NOTHING",
        )
        .bind(to_db(s.rollup_id))
        .bind(to_db(s.batch_index))
        .bind(to_db(s.attempt))
        .bind(s.digest.to_vec())
        .bind(to_db(s.reference_block))
        .bind(to_db(s.signers))
        .bind(to_db(s.non_signers))
        .bind(s.sender.to_vec())
        .bind(to_db(s.nonce))
        .bind(s.max_fee.to_string())
        .bind(s.priority_fee.to_string())
        .bind(s.tx_hash.to_vec())
        .bind(s.raw_tx.clone())
        .bind(s.status.as_str())
        .bind(s.mined_block.map(to_db))
        .bind(s.instance.clone())
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Sets an attempt's status (and mined block).
    pub async fn set_status(
        &self,
        s: &Submission,
        status: Status,
        mined_block: Option<u64>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE aggregator_submissions SET status = $1, mined_block = $2, updated_at = $3 \
             WHERE rollup_id = $4 AND batch_index = $5 AND attempt = $6",
        )
        .bind(status.as_str())
        .bind(mined_block.map(to_db))
        .bind(now_ms())
        .bind(to_db(s.rollup_id))
        .bind(to_db(s.batch_index))
        .bind(to_db(s.attempt))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every attempt of a batch, by attempt number.
    pub async fn submissions(&self, rollup: u64, batch: u64) -> Result<Vec<Submission>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{SELECT_SUBMISSION} WHERE rollup_id = $1 AND batch_index = $2 ORDER BY attempt"
        )))
        .bind(to_db(rollup))
        .bind(to_db(batch))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(submission_row).collect()
    }

    /// Every attempt of every batch that has an attempt still open.
    pub async fn open_submissions(&self) -> Result<Vec<Submission>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{SELECT_SUBMISSION} WHERE (rollup_id, batch_index) IN (SELECT rollup_id, \
             batch_index FROM aggregator_submissions WHERE status IN ('pending', 'mined', \
             'replaced')) ORDER BY rollup_id, batch_index, attempt"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(submission_row).collect()
    }

    /// The highest nonce of `sender`'s attempts that may still be mined.
    pub async fn max_open_nonce(&self, sender: Address) -> Result<Option<u64>> {
        let row = sqlx::query(
            "SELECT MAX(nonce) AS n FROM aggregator_submissions WHERE sender = $1 \
             AND status IN ('pending', 'mined', 'replaced')",
        )
        .bind(sender.to_vec())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get::<Option<i64>, _>("n")?.map(from_db))
    }

    /// Takes or renews the lease `name` for `holder` until `ttl` from now; `true` when held.
    /// Another holder's lease is taken over only once it has expired.
    pub async fn try_lease(&self, name: &str, holder: &str, ttl: Duration) -> Result<bool> {
        let now = now_ms();
        let done = sqlx::query(
            "INSERT INTO aggregator_leases (name, holder, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, \
             expires_at = excluded.expires_at \
             WHERE aggregator_leases.holder = excluded.holder \
             OR aggregator_leases.expires_at < $4",
        )
        .bind(name)
        .bind(holder)
        .bind(now + ttl.as_millis() as i64)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives the lease up if `holder` has it.
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<()> {
        sqlx::query("DELETE FROM aggregator_leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

const SELECT_ATTESTATION: &str = "SELECT rollup_id, batch_index, operator, l2_block_number, \
     l2_block_hash, state_root, digest, signature, received_at FROM aggregator_attestations \
     WHERE rollup_id = $1 AND batch_index = $2";

const SELECT_SUBMISSION: &str = "SELECT rollup_id, batch_index, attempt, digest, \
     reference_block, signers, non_signers, sender, nonce, max_fee, priority_fee, tx_hash, \
     raw_tx, status, mined_block, instance, created_at FROM aggregator_submissions";

fn address(bytes: &[u8]) -> Result<Address> {
    Address::try_from(bytes).map_err(|_| ServiceError::Corrupt("address length".into()))
}

fn hash(bytes: &[u8]) -> Result<B256> {
    B256::try_from(bytes).map_err(|_| ServiceError::Corrupt("hash length".into()))
}

fn attestation_row(r: &AnyRow) -> Result<StoredAttestation> {
    let signature = Signature::from_compressed(&r.try_get::<Vec<u8>, _>("signature")?)
        .map_err(|e| ServiceError::Corrupt(format!("stored signature: {e}")))?;
    Ok(StoredAttestation {
        attestation: SignedAttestation {
            operator: address(&r.try_get::<Vec<u8>, _>("operator")?)?,
            checkpoint: Checkpoint {
                rollup_id: RollupId(from_db(r.try_get("rollup_id")?)),
                batch_index: from_db(r.try_get("batch_index")?),
                l2_block_number: from_db(r.try_get("l2_block_number")?),
                l2_block_hash: hash(&r.try_get::<Vec<u8>, _>("l2_block_hash")?)?,
                state_root: hash(&r.try_get::<Vec<u8>, _>("state_root")?)?,
            },
            signature,
        },
        digest: hash(&r.try_get::<Vec<u8>, _>("digest")?)?,
        received_at: r.try_get("received_at")?,
    })
}

fn submission_row(r: &AnyRow) -> Result<Submission> {
    let fee = |col: &str| -> Result<u128> {
        let text: String = r.try_get(col)?;
        text.parse().map_err(|_| ServiceError::Corrupt(format!("{col} {text:?}")))
    };
    Ok(Submission {
        rollup_id: from_db(r.try_get("rollup_id")?),
        batch_index: from_db(r.try_get("batch_index")?),
        attempt: from_db(r.try_get("attempt")?),
        digest: hash(&r.try_get::<Vec<u8>, _>("digest")?)?,
        reference_block: from_db(r.try_get("reference_block")?),
        signers: from_db(r.try_get("signers")?),
        non_signers: from_db(r.try_get("non_signers")?),
        sender: address(&r.try_get::<Vec<u8>, _>("sender")?)?,
        nonce: from_db(r.try_get("nonce")?),
        max_fee: fee("max_fee")?,
        priority_fee: fee("priority_fee")?,
        tx_hash: hash(&r.try_get::<Vec<u8>, _>("tx_hash")?)?,
        raw_tx: r.try_get("raw_tx")?,
        status: Status::parse(&r.try_get::<String, _>("status")?)?,
        mined_block: r.try_get::<Option<i64>, _>("mined_block")?.map(from_db),
        instance: r.try_get("instance")?,
        created_at: r.try_get("created_at")?,
    })
}
