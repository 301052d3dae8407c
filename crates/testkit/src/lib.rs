//! Test harnesses shared by Rampart's crates. A dev-dependency only: nothing here ships.
//!
//! - [`postgres`]: a throwaway PostgreSQL server per test (initdb + pg_ctl on a free port).

pub mod postgres;
