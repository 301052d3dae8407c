//! Tests of the aggregator: properties of verification and certificates, and the service on a
//! real L1 (anvil with EigenLayer core and Rampart, operators registered through EigenLayer)
//! over real HTTP, with SQLite and with a throwaway PostgreSQL server.

#![allow(unreachable_pub, missing_docs)]

mod api;
mod crash;
mod properties;
mod service;
mod support;
