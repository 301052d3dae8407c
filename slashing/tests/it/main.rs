//! Integration tests of the slashing-protection database. Every case runs twice, on SQLite and
//! on a throwaway PostgreSQL server started for it (see `support::pg`); the Postgres half fails,
//! never skips, when no server can be started.

#![allow(unreachable_pub, missing_docs)]

mod crash;
mod interchange;
mod race;
mod signing;
mod support;
