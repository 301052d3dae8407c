//! Integration tests of rampart-crypto: conformance vectors and properties.

mod bls_vectors;
mod eip2537_vectors;
mod properties;
