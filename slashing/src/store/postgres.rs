//! PostgreSQL backend: concurrent signers of one batch serialize on the primary key of
//! `(rollup_id, batch_index)`; the loser waits for the winner and then sees its record.

use super::MIGRATIONS_TABLE;
use super::ops::impl_backend;
use crate::{Identity, Result};
use rampart_primitives::Domain;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;

static MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// The PostgreSQL store.
#[derive(Debug)]
pub(crate) struct PostgresStore {
    pool: PgPool,
    domain: Domain,
}

impl PostgresStore {
    /// Connects to `postgres://…` (the database must exist), migrates, binds the identity.
    pub(crate) async fn open(url: &str, identity: &Identity) -> Result<Self> {
        let options = PgConnectOptions::from_str(url.trim())?;
        let pool = PgPoolOptions::new().max_connections(4).connect_with(options).await?;
        let mut migrator = Migrator::with_migrations(MIGRATIONS.iter().cloned().collect());
        migrator.dangerous_set_table_name(MIGRATIONS_TABLE);
        // Postgres migrations run under an advisory lock: concurrent openers take turns.
        migrator.run(&pool).await?;
        bind_identity(&pool, identity).await?;
        Ok(Self { pool, domain: identity.domain() })
    }
}

impl_backend! {
    store: PostgresStore,
    name: "postgres",
    database: sqlx::Postgres,
    pool: PgPool,
    // READ COMMITTED: an insert that meets another transaction's uncommitted insert of the same
    // key waits for it, then either inserts (it rolled back) or does nothing (it committed),
    // and the next statement sees the committed record.
    begin: |pool| pool.begin(),
    // Holds an existing record until commit, so an imported (unsigned) record is signed once.
    lock_suffix: " FOR UPDATE",
}
