//! Rampart's reference rollup: a minimal but real rollup, so the whole loop (batches committed
//! on L1, certificates, validity proofs) runs locally.
//!
//! - [`state`]: accounts `(balance, nonce, Baby Jubjub key)` in a Poseidon sparse Merkle tree
//!   ([`tree`]), deterministic execution of transfers and batches;
//! - [`tx`]: transfers, signed with EdDSA-Poseidon over Baby Jubjub ([`eddsa`]);
//! - [`batch`]: batches and their commitment (a Poseidon hash chain over the transfers'
//!   messages, a BN254 scalar);
//! - [`circuit`]: the Groth16 circuit proving a batch's state transition, public inputs
//!   `(prevStateRoot, newStateRoot, batchCommitment)`;
//! - [`proving`]: the rollup's proving key (bound to its circuit shape) and batch proofs with
//!   Rampart's Groth16 engine (CUDA when usable, CPU otherwise).
//!
//! Every value is a BN254 scalar-field element ([`field::Fr`]); L1 stores them as big-endian
//! 32-byte words ([`field::to_b256`]).

pub mod batch;
pub mod circuit;
pub mod eddsa;
pub mod error;
pub mod field;
pub mod poseidon;
pub mod proving;
pub mod state;
pub mod tree;
pub mod tx;

pub use batch::{Batch, BatchWitness};
pub use circuit::{BatchCircuit, Shape};
pub use eddsa::{PublicKey, SecretKey, Signature};
pub use error::{BatchError, DecodeError, TxError};
pub use field::Fr;
pub use proving::{BatchProof, ProvingError, RollupKey};
pub use state::{Account, Genesis, Snapshot, State};
pub use tx::{SignedTransfer, Transfer};
