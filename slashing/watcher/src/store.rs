//! The slasher's records (sqlx: SQLite by default, PostgreSQL to share with aggregator replicas):
//! every fault found with the call that slashes it and what became of it, and the cursors of
//! every input. A fault is written before the cursor that found it moves, so a crash re-reads
//! the input and finds the same rows (inserts are idempotent); a fault is sent only from its
//! row, so nothing is lost and nothing is sent twice.

use crate::{Error, Result};
use alloy_primitives::{Address, B256, Bytes};
use rampart_storage::{from_db, now_ms, to_db};
use sqlx::any::AnyRow;
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Row};

static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");

/// The kinds of objective fault `RampartSlasher` punishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaultKind {
    /// Two signed checkpoints for one batch.
    Equivocation,
    /// Counted as a signer of a certified root a proof contradicts.
    Contradiction,
    /// The drawn prover missed its proving job.
    MissedProof,
}

impl FaultKind {
    /// Every kind.
    pub const ALL: [FaultKind; 3] = [Self::Equivocation, Self::Contradiction, Self::MissedProof];

    /// The name used in the database, logs and metric labels.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Equivocation => "equivocation",
            Self::Contradiction => "contradiction",
            Self::MissedProof => "missed_proof",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| Error::Corrupt(format!("fault kind {s:?}")))
    }
}

impl std::fmt::Display for FaultKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What became of a fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultStatus {
    /// Found; to be checked against the chain and sent (retried until it settles).
    Open,
    /// Our slashing transaction is broadcast (its hash is recorded).
    Submitted,
    /// Our transaction slashed the operator.
    Slashed,
    /// The fault was already slashed on chain by someone else.
    AlreadySlashed,
    /// The contract refuses this evidence (forged, irrelevant, not a fault): never sent.
    Rejected,
    /// Another row proves the same fault and was sent: this one never is.
    Duplicate,
}

impl FaultStatus {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Submitted => "submitted",
            Self::Slashed => "slashed",
            Self::AlreadySlashed => "already_slashed",
            Self::Rejected => "rejected",
            Self::Duplicate => "duplicate",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "open" => Self::Open,
            "submitted" => Self::Submitted,
            "slashed" => Self::Slashed,
            "already_slashed" => Self::AlreadySlashed,
            "rejected" => Self::Rejected,
            "duplicate" => Self::Duplicate,
            other => return Err(Error::Corrupt(format!("fault status {other:?}"))),
        })
    }

    /// Whether nothing more will ever be done with the row.
    pub fn is_final(self) -> bool {
        !matches!(self, Self::Open | Self::Submitted)
    }
}

impl std::fmt::Display for FaultStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A fault and the call to `RampartSlasher` that proves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// What kind of fault.
    pub kind: FaultKind,
    /// The contract's id of the fault (`equivocationFaultId`, …): one slash per id.
    pub fault_id: B256,
    /// Who is at fault (for a missed proof: the drawn prover, as far as known when found).
    pub operator: Address,
    /// The rollup.
    pub rollup_id: u64,
    /// The batch.
    pub batch_index: u64,
    /// ABI-encoded call to `RampartSlasher`.
    pub calldata: Bytes,
    /// Where it was found (`l1`, or an aggregator's URL).
    pub source: String,
}

impl Fault {
    /// The row key: the hash of the call (the same evidence is one row, wherever it came from).
    pub fn evidence_hash(&self) -> B256 {
        alloy_primitives::keccak256(&self.calldata)
    }
}

/// A stored fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRecord {
    /// The fault.
    pub fault: Fault,
    /// `keccak256(calldata)`.
    pub evidence_hash: B256,
    /// What became of it.
    pub status: FaultStatus,
    /// The last reason or outcome, in words.
    pub detail: String,
    /// Our transaction, once sent.
    pub tx_hash: Option<B256>,
    /// Checks made so far.
    pub attempts: u64,
    /// Not checked again before this time (Unix ms).
    pub next_try_at: i64,
    /// Found at (Unix ms).
    pub created_at: i64,
}

/// The slasher's database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: &'static str,
}

const SELECT: &str = "SELECT evidence_hash, fault_id, kind, operator, rollup_id, batch_index, \
     calldata, source, status, detail, tx_hash, attempts, next_try_at, created_at FROM slasher_faults";

impl Store {
    /// Opens `url` (a SQLite path or URL, or `postgres://…`) and applies the migrations. The
    /// tables are `slasher_*`, tracked in `_rampart_slasher_migrations`, so the slasher can
    /// share the aggregator's database.
    pub async fn open(url: &str) -> Result<Self> {
        let schema = rampart_storage::Schema {
            sqlite: &SQLITE,
            postgres: &POSTGRES,
            table: "_rampart_slasher_migrations",
        };
        let (pool, backend) = rampart_storage::open(url, "fault records", schema).await?;
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

    /// Records a fault as open unless its evidence is already recorded; `true` if it is new.
    pub async fn insert(&self, fault: &Fault) -> Result<bool> {
        let now = now_ms();
        let done = sqlx::query(
            "INSERT INTO slasher_faults (evidence_hash, fault_id, kind, operator, rollup_id, \
             batch_index, calldata, source, status, detail, tx_hash, attempts, next_try_at, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', 'found', \
             NULL, 0, $9, $10, $11) ON CONFLICT (evidence_hash) DO NOTHING",
        )
        .bind(fault.evidence_hash().to_vec())
        .bind(fault.fault_id.to_vec())
        .bind(fault.kind.as_str())
        .bind(fault.operator.to_vec())
        .bind(to_db(fault.rollup_id))
        .bind(to_db(fault.batch_index))
        .bind(fault.calldata.to_vec())
        .bind(fault.source.as_str())
        .bind(now)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Rows still being worked on (open ones due by `now`, and every submitted one), oldest
    /// first.
    pub async fn due(&self, now: i64) -> Result<Vec<FaultRecord>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE (status = 'open' AND next_try_at <= $1) OR status = 'submitted' \
             ORDER BY created_at, evidence_hash"
        )))
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record).collect()
    }

    /// How many rows are not settled yet (open or submitted).
    pub async fn unsettled(&self) -> Result<u64> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM slasher_faults WHERE status IN ('open', 'submitted')",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(from_db(row.try_get::<i64, _>("n")?))
    }

    /// Every row, oldest first.
    pub async fn records(&self) -> Result<Vec<FaultRecord>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} ORDER BY created_at, evidence_hash"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record).collect()
    }

    /// Another row proving `fault_id` that was sent or settled on chain, if any.
    pub async fn settled_twin(&self, fault_id: B256, except: B256) -> Result<Option<B256>> {
        let row = sqlx::query(
            "SELECT evidence_hash FROM slasher_faults WHERE fault_id = $1 AND evidence_hash <> $2 \
             AND status IN ('submitted', 'slashed', 'already_slashed') LIMIT 1",
        )
        .bind(fault_id.to_vec())
        .bind(except.to_vec())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| bytes32(&r, "evidence_hash")).transpose()
    }

    /// Moves a row to `status` with `detail` (and the transaction, for `Submitted`); an open row
    /// is checked again no sooner than `retry_in_ms` from now.
    pub async fn update(
        &self,
        evidence_hash: B256,
        status: FaultStatus,
        detail: &str,
        tx_hash: Option<B256>,
        retry_in_ms: i64,
    ) -> Result<()> {
        let now = now_ms();
        sqlx::query(
            "UPDATE slasher_faults SET status = $1, detail = $2, \
             tx_hash = COALESCE($3, tx_hash), attempts = attempts + 1, next_try_at = $4, \
             updated_at = $5 WHERE evidence_hash = $6",
        )
        .bind(status.as_str())
        .bind(detail)
        .bind(tx_hash.map(|h| h.to_vec()))
        .bind(now + retry_in_ms)
        .bind(now)
        .bind(evidence_hash.to_vec())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A cursor's value.
    pub async fn cursor(&self, name: &str) -> Result<Option<u64>> {
        let row = sqlx::query("SELECT value FROM slasher_cursors WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get::<i64, _>("value")).transpose()?.map(from_db))
    }

    /// Sets a cursor.
    pub async fn set_cursor(&self, name: &str, value: u64) -> Result<()> {
        sqlx::query(
            "INSERT INTO slasher_cursors (name, value) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )
        .bind(name)
        .bind(to_db(value))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Cursors whose name starts with `prefix`.
    pub async fn cursors(&self, prefix: &str) -> Result<Vec<(String, u64)>> {
        let rows = sqlx::query("SELECT name, value FROM slasher_cursors ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for row in rows {
            let name: String = row.try_get("name")?;
            if name.starts_with(prefix) {
                out.push((name, from_db(row.try_get::<i64, _>("value")?)));
            }
        }
        Ok(out)
    }

    /// Closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn bytes32(row: &AnyRow, col: &str) -> Result<B256> {
    let v: Vec<u8> = row.try_get(col)?;
    (v.len() == 32)
        .then(|| B256::from_slice(&v))
        .ok_or_else(|| Error::Corrupt(format!("{col} has {} bytes", v.len())))
}

fn record(row: &AnyRow) -> Result<FaultRecord> {
    let operator: Vec<u8> = row.try_get("operator")?;
    if operator.len() != 20 {
        return Err(Error::Corrupt(format!("operator has {} bytes", operator.len())));
    }
    let tx: Option<Vec<u8>> = row.try_get("tx_hash")?;
    let calldata: Vec<u8> = row.try_get("calldata")?;
    Ok(FaultRecord {
        fault: Fault {
            kind: FaultKind::parse(&row.try_get::<String, _>("kind")?)?,
            fault_id: bytes32(row, "fault_id")?,
            operator: Address::from_slice(&operator),
            rollup_id: from_db(row.try_get("rollup_id")?),
            batch_index: from_db(row.try_get("batch_index")?),
            calldata: calldata.into(),
            source: row.try_get("source")?,
        },
        evidence_hash: bytes32(row, "evidence_hash")?,
        status: FaultStatus::parse(&row.try_get::<String, _>("status")?)?,
        detail: row.try_get("detail")?,
        tx_hash: tx.filter(|t| t.len() == 32).map(|t| B256::from_slice(&t)),
        attempts: from_db(row.try_get("attempts")?),
        next_try_at: row.try_get("next_try_at")?,
        created_at: row.try_get("created_at")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(calldata: &[u8], fault_id: u8) -> Fault {
        Fault {
            kind: FaultKind::Equivocation,
            fault_id: B256::repeat_byte(fault_id),
            operator: Address::repeat_byte(7),
            rollup_id: u64::MAX,
            batch_index: 3,
            calldata: Bytes::copy_from_slice(calldata),
            source: "http://a".into(),
        }
    }

    #[tokio::test]
    async fn faults_are_recorded_once_and_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("slasher.sqlite").display().to_string();
        let store = Store::open(&url).await.unwrap();
        let a = fault(b"evidence a", 1);
        assert!(store.insert(&a).await.unwrap());
        assert!(!store.insert(&a).await.unwrap(), "the same evidence is one row");
        let forged = fault(b"forged evidence of the same fault", 1);
        assert!(store.insert(&forged).await.unwrap());
        store.set_cursor("l1", 42).await.unwrap();
        store.close().await;

        let store = Store::open(&url).await.unwrap();
        let due = store.due(now_ms()).await.unwrap();
        assert_eq!(due.len(), 2);
        assert_eq!(due[0].fault, a);
        assert_eq!(due[0].status, FaultStatus::Open);
        assert_eq!(store.cursor("l1").await.unwrap(), Some(42));
        assert_eq!(store.cursor("nope").await.unwrap(), None);

        // The forged row is refused; the real one is sent: it is then the fault's settled twin.
        store
            .update(forged.evidence_hash(), FaultStatus::Rejected, "InvalidSignature()", None, 0)
            .await
            .unwrap();
        assert_eq!(store.settled_twin(a.fault_id, forged.evidence_hash()).await.unwrap(), None);
        let tx = B256::repeat_byte(9);
        store.update(a.evidence_hash(), FaultStatus::Submitted, "sent", Some(tx), 0).await.unwrap();
        assert_eq!(
            store.settled_twin(a.fault_id, forged.evidence_hash()).await.unwrap(),
            Some(a.evidence_hash())
        );
        store.update(a.evidence_hash(), FaultStatus::Slashed, "slashed", None, 0).await.unwrap();
        let records = store.records().await.unwrap();
        let sent = records.iter().find(|r| r.evidence_hash == a.evidence_hash()).unwrap();
        assert_eq!((sent.status, sent.tx_hash, sent.attempts), (FaultStatus::Slashed, Some(tx), 2));
        assert!(store.due(now_ms()).await.unwrap().is_empty(), "settled rows are never due");
    }

    #[tokio::test]
    async fn open_rows_wait_for_their_retry_time() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.sqlite").display().to_string()).await.unwrap();
        let f = fault(b"x", 2);
        store.insert(&f).await.unwrap();
        store
            .update(f.evidence_hash(), FaultStatus::Open, "NotMissed", None, 60_000)
            .await
            .unwrap();
        assert!(store.due(now_ms()).await.unwrap().is_empty());
        assert_eq!(store.unsettled().await.unwrap(), 1, "waiting, but not settled");
        assert_eq!(store.due(now_ms() + 61_000).await.unwrap().len(), 1);
    }
}
