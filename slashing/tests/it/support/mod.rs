//! Test fixtures: a backend per test, keys, checkpoints and a counting signer.

pub use rampart_testkit::postgres as pg;

use alloy_primitives::{Address, B256, address};
use pg::TempPostgres;
use rampart_crypto::{SecretKey, Signature};
use rampart_primitives::{Checkpoint, RollupId};
use rampart_slashing::{Identity, SlashingProtection};
use sqlx::{AssertSqlSafe, Connection};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The chain id of the test identities.
pub const CHAIN_ID: u64 = 31337;
/// The attestation center of the test identities.
pub const CENTER: Address = address!("0x5FbDB2315678afecb367f032d93F642f64180aa3");

/// Which backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// One test's databases: SQLite files in a temporary directory, or databases on a throwaway
/// PostgreSQL server.
pub struct TestEnv {
    pub kind: Kind,
    dir: tempfile::TempDir,
    pg: Option<TempPostgres>,
    next: AtomicUsize,
}

impl TestEnv {
    pub fn new(kind: Kind) -> Self {
        let pg = (kind == Kind::Postgres).then(TempPostgres::start);
        Self { kind, dir: tempfile::tempdir().expect("tempdir"), pg, next: AtomicUsize::new(0) }
    }

    /// The URL of a new, empty database.
    pub async fn fresh_url(&self) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        match &self.pg {
            None => format!("sqlite://{}", self.sqlite_path(n).display()),
            Some(pg) => pg.create_database(&format!("protection_{n}")),
        }
    }

    pub fn sqlite_path(&self, n: usize) -> PathBuf {
        self.dir.path().join(format!("protection-{n}.sqlite"))
    }

    pub fn postgres(&self) -> &TempPostgres {
        self.pg.as_ref().expect("a Postgres test environment")
    }

    /// Runs SQL (several statements allowed) on a connection of its own.
    pub async fn exec(&self, url: &str, sql: &str) -> Result<(), sqlx::Error> {
        let sql = AssertSqlSafe(sql.to_owned());
        match self.kind {
            Kind::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(url).await?;
                sqlx::raw_sql(sql).execute(&mut conn).await?;
                conn.close().await
            }
            Kind::Postgres => {
                let mut conn = sqlx::PgConnection::connect(url).await?;
                sqlx::raw_sql(sql).execute(&mut conn).await?;
                conn.close().await
            }
        }
    }

    /// The stored signature of a batch, read on a fresh connection (not through the crate).
    pub async fn stored_signature(&self, url: &str, rollup: u64, batch: u64) -> Option<Vec<u8>> {
        let sql = "SELECT signature FROM slashing_protection_checkpoints \
                   WHERE rollup_id = $1 AND batch_index = $2";
        let (rollup, batch) = (rollup as i64, batch as i64);
        let row: Option<(Option<Vec<u8>>,)> = match self.kind {
            Kind::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(url).await.expect("connect");
                let row = sqlx::query_as(sql)
                    .bind(rollup)
                    .bind(batch)
                    .fetch_optional(&mut conn)
                    .await
                    .expect("select");
                conn.close().await.ok();
                row
            }
            Kind::Postgres => {
                let mut conn = sqlx::PgConnection::connect(url).await.expect("connect");
                let row = sqlx::query_as(sql)
                    .bind(rollup)
                    .bind(batch)
                    .fetch_optional(&mut conn)
                    .await
                    .expect("select");
                conn.close().await.ok();
                row
            }
        };
        row.and_then(|(sig,)| sig)
    }
}

/// A deterministic test key.
pub fn key(seed: u8) -> SecretKey {
    SecretKey::key_gen(&[seed; 32]).expect("key")
}

/// The test identity of a key.
pub fn identity(sk: &SecretKey) -> Identity {
    Identity { chain_id: CHAIN_ID, attestation_center: CENTER, pubkey: sk.public_key() }
}

/// A checkpoint whose content is derived from `variant`: same `(rollup, batch)` with another
/// variant is a conflicting checkpoint.
pub fn checkpoint(rollup: u64, batch: u64, variant: u8) -> Checkpoint {
    Checkpoint {
        rollup_id: RollupId(rollup),
        batch_index: batch,
        l2_block_number: batch * 10 + 3,
        l2_block_hash: B256::repeat_byte(0xb0 ^ variant),
        state_root: B256::repeat_byte(0x50 ^ variant),
    }
}

/// A BLS signer that counts how often it was asked to sign.
pub struct Signer {
    pub sk: SecretKey,
    calls: AtomicUsize,
}

impl Signer {
    pub fn new(sk: SecretKey) -> Self {
        Self { sk, calls: AtomicUsize::new(0) }
    }

    /// The closure to hand to `sign_checkpoint`.
    pub fn closure(&self) -> impl FnOnce(&B256) -> Signature + Send + '_ {
        move |digest| {
            self.calls.fetch_add(1, Ordering::SeqCst);
            self.sk.sign(digest)
        }
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

/// Opens a protection database for the identity of `sk`.
pub async fn open(url: &str, sk: &SecretKey) -> SlashingProtection {
    SlashingProtection::open(url, identity(sk)).await.expect("opening the protection database")
}

/// Signs through `db` with `signer`, computing the digest under the database's domain.
pub async fn sign(
    db: &SlashingProtection,
    signer: &Signer,
    cp: &Checkpoint,
) -> rampart_slashing::Result<Signature> {
    let digest = cp.digest(&db.identity().domain());
    db.sign_checkpoint(cp, digest, signer.closure()).await
}

/// Declares each listed `async fn case(env: &TestEnv)` of the current module as a test on
/// SQLite (`sqlite::case`) and on PostgreSQL (`postgres::case`), each with its own backend.
#[macro_export]
macro_rules! both_backends {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    let env = $crate::support::TestEnv::new($crate::support::Kind::Sqlite);
                    super::$case(&env).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    let env = $crate::support::TestEnv::new($crate::support::Kind::Postgres);
                    super::$case(&env).await;
                }
            )*
        }
    };
}
