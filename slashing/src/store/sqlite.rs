//! SQLite backend: one file, WAL journal, `synchronous=FULL`, writers serialized by
//! `BEGIN IMMEDIATE`.

use super::MIGRATIONS_TABLE;
use super::ops::impl_backend;
use crate::{Error, Identity, Result};
use rampart_primitives::Domain;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

static MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");

/// How long a writer waits for another to release the write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The SQLite store.
#[derive(Debug)]
pub(crate) struct SqliteStore {
    pool: SqlitePool,
    domain: Domain,
}

impl SqliteStore {
    /// Opens `sqlite:PATH` or `sqlite://PATH[?params]` (the scheme already matched, in any case).
    pub(crate) async fn open_url(url: &str, identity: &Identity) -> Result<Self> {
        let rest = &url.trim()["sqlite:".len()..];
        let (database, params) = rest.split_once('?').unwrap_or((rest, ""));
        let database = database.trim_start_matches("//");
        if database.is_empty()
            || database == ":memory:"
            || params.split('&').any(|p| p.eq_ignore_ascii_case("mode=memory"))
        {
            return Err(Error::InMemory);
        }
        let options = SqliteConnectOptions::from_str(&format!("sqlite:{rest}"))?;
        Self::open_with(options, identity).await
    }

    /// Opens a plain file path.
    pub(crate) async fn open_path(path: &Path, identity: &Identity) -> Result<Self> {
        if path.as_os_str() == ":memory:" {
            return Err(Error::InMemory);
        }
        Self::open_with(SqliteConnectOptions::new().filename(path), identity).await
    }

    async fn open_with(options: SqliteConnectOptions, identity: &Identity) -> Result<Self> {
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit is on disk (the WAL fsynced) before it returns, so a record
            // survives power loss, not only a crash of the process.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        migrate(&pool).await?;
        bind_identity(&pool, identity).await?;
        Ok(Self { pool, domain: identity.domain() })
    }
}

/// Applies the embedded migrations. SQLite has no migration lock, so two processes creating the
/// same fresh file can collide; the loser retries and then finds the schema in place.
async fn migrate(pool: &SqlitePool) -> Result<()> {
    let mut migrator = Migrator::with_migrations(MIGRATIONS.iter().cloned().collect());
    migrator.dangerous_set_table_name(MIGRATIONS_TABLE);
    let mut attempt = 0;
    loop {
        match migrator.run(pool).await {
            Ok(()) => return Ok(()),
            Err(e) if attempt < 4 => {
                tracing::debug!(error = %e, attempt, "retrying the slashing protection migration");
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(50 << attempt)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

impl_backend! {
    store: SqliteStore,
    name: "sqlite",
    database: sqlx::Sqlite,
    pool: SqlitePool,
    // Takes the write lock at BEGIN, so the check and the insert cannot interleave with another
    // writer, in this process or another.
    begin: |pool| pool.begin_with("BEGIN IMMEDIATE"),
    lock_suffix: "",
}
