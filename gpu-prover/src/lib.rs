//! Rampart's Groth16/BN254 proving engine.
//!
//! One interface ([`Engine`]), two backends chosen at run time ([`BackendChoice`]):
//! - **CPU**: arkworks MSMs and FFTs in parallel (rayon), in [`cpu`];
//! - **CUDA**: kernels compiled by NVRTC at run time for the device, launched through cudarc,
//!   in [`cuda`]: BN254 field arithmetic in Montgomery form, Pippenger MSM with signed digits
//!   and bucket sorting over G1 and G2, radix-2 NTTs for the quotient; the proving key stays
//!   resident on the GPU.
//!
//! Proofs are identical across backends (and to ark-groth16's) for the same randomness; the
//! [`export`] module turns them into the words a Solidity verifier takes. The crate builds and
//! its tests run on machines without CUDA: `auto` falls back to the CPU and says why.

pub mod bench;
pub mod circuit;
pub mod cpu;
pub mod cuda;
pub mod engine;
pub mod error;
mod exec;
pub mod export;
pub mod kernels;
pub mod key;
pub mod prover;

pub use engine::{BackendChoice, Engine, LoadedKey, verify};
pub use error::{ProverError, Result};
pub use export::{SolidityProof, SolidityVerifyingKey};
pub use key::{KeyCheck, ProverKey, R1cs};
