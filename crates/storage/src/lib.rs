//! Opening a service database: a SQLite file by default, or PostgreSQL, through sqlx's `Any`
//! driver, with durable settings and the service's embedded migrations.
//!
//! The aggregator and the slasher keep their state this way (the operator's slashing
//! protection has its own typed pools). Each service passes its two migration sets (column
//! types differ between the dialects) and its own bookkeeping table, so services can share one
//! database without sharing sqlx's default `_sqlx_migrations`.
//!
//! u64 values are stored as the i64 with the same bits: [`to_db`] / [`from_db`].

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use std::time::Duration;

/// Why a database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The URL names no supported database, or one that forgets everything on restart.
    #[error("{0}")]
    Url(String),
    /// Connecting failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// `"sqlite"` or `"postgres"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// A service's schema: one migration set per dialect and the table sqlx records them in.
#[derive(Debug, Clone, Copy)]
pub struct Schema {
    /// Migrations for SQLite.
    pub sqlite: &'static Migrator,
    /// Migrations for PostgreSQL.
    pub postgres: &'static Migrator,
    /// sqlx's bookkeeping table for this schema (not the default, so services can share a
    /// database).
    pub table: &'static str,
}

/// The URL sqlx connects to and its backend: `postgres://…`/`postgresql://…` as given;
/// `sqlite:…` URLs and plain file paths as a SQLite file created if missing. In-memory SQLite
/// is refused (`what` names the data it would lose).
pub fn resolve(url: &str, what: &str) -> Result<(String, Backend), StorageError> {
    let trimmed = url.trim();
    let lower = trimmed.to_ascii_lowercase();
    let (url, backend) = if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        (trimmed.to_string(), Backend::Postgres)
    } else if lower.starts_with("sqlite:") {
        (trimmed.to_string(), Backend::Sqlite)
    } else if trimmed.contains("://") || trimmed.is_empty() {
        return Err(StorageError::Url(format!("unsupported database URL {url:?}")));
    } else {
        (format!("sqlite://{trimmed}"), Backend::Sqlite)
    };
    if backend == Backend::Sqlite && (url.contains(":memory:") || url.contains("mode=memory")) {
        return Err(StorageError::Url(format!(
            "an in-memory SQLite database would lose {what} on restart"
        )));
    }
    let url = if backend == Backend::Sqlite && !url.contains("mode=") {
        format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
    } else {
        url
    };
    Ok((url, backend))
}

/// Opens `url` (see [`resolve`]) and applies `schema`'s migrations. SQLite runs in WAL mode with
/// `synchronous=FULL` (a commit is on disk when it returns) and a 30 s busy timeout.
pub async fn open(
    url: &str,
    what: &str,
    schema: Schema,
) -> Result<(AnyPool, Backend), StorageError> {
    sqlx::any::install_default_drivers();
    let (url, backend) = resolve(url, what)?;
    let sqlite = backend == Backend::Sqlite;
    let pool = AnyPoolOptions::new()
        .max_connections(if sqlite { 4 } else { 8 })
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if sqlite {
                    sqlx::raw_sql(
                        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; \
                         PRAGMA busy_timeout=30000;",
                    )
                    .execute(conn)
                    .await?;
                }
                Ok(())
            })
        })
        .connect(&url)
        .await?;
    let base = if sqlite { schema.sqlite } else { schema.postgres };
    let mut migrator = Migrator::with_migrations(base.iter().cloned().collect());
    migrator.dangerous_set_table_name(schema.table);
    let mut attempt = 0;
    loop {
        match migrator.run(&pool).await {
            Ok(()) => break,
            // SQLite has no migration lock: two fresh openers may collide; retry.
            Err(e) if sqlite && attempt < 4 => {
                attempt += 1;
                tracing::debug!(error = %e, attempt, table = schema.table, "retrying a migration");
                tokio::time::sleep(Duration::from_millis(50 << attempt)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok((pool, backend))
}

/// u64 → the i64 with the same bits.
pub fn to_db(v: u64) -> i64 {
    v as i64
}

/// The inverse of [`to_db`].
pub fn from_db(v: i64) -> u64 {
    v as u64
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_resolve_or_say_why() {
        assert_eq!(
            resolve("data/x.sqlite", "records").unwrap(),
            ("sqlite://data/x.sqlite?mode=rwc".to_string(), Backend::Sqlite)
        );
        assert_eq!(
            resolve("sqlite:x.db?mode=ro", "records").unwrap(),
            ("sqlite:x.db?mode=ro".to_string(), Backend::Sqlite)
        );
        assert_eq!(resolve(" postgres://u@h/db ", "records").unwrap().1, Backend::Postgres);
        let memory = resolve("sqlite::memory:", "fault records").unwrap_err().to_string();
        assert!(memory.contains("lose fault records"), "{memory}");
        assert!(resolve("mysql://h/db", "x").unwrap_err().to_string().contains("unsupported"));
        assert!(resolve("  ", "x").is_err());
    }

    #[test]
    fn u64_round_trips_through_i64() {
        for v in [0, 1, i64::MAX as u64, u64::MAX] {
            assert_eq!(from_db(to_db(v)), v);
        }
    }
}
