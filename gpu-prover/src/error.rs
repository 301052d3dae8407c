//! The prover's typed errors.

use thiserror::Error;

/// Everything the proving engine can fail with. Device failures (out of memory, a lost driver,
/// a kernel that does not compile) are errors here, never panics.
#[derive(Debug, Error)]
pub enum ProverError {
    /// A proving-key file could not be read or written.
    #[error("proving key {path}: {source}")]
    KeyIo {
        /// The file.
        path: String,
        /// What the file system said.
        source: std::io::Error,
    },
    /// A proving key that does not decode (wrong magic, truncated, points off the curve).
    #[error("malformed proving key: {0}")]
    MalformedKey(String),
    /// The witness does not fit the key's constraint system.
    #[error("witness has {got} values, the circuit needs {expected} (1 + public inputs + private)")]
    WitnessLength {
        /// What the key's R1CS needs.
        expected: usize,
        /// What was given.
        got: usize,
    },
    /// A full assignment starts with the constant 1.
    #[error("witness[0] must be the constant 1")]
    WitnessConstant,
    /// The witness does not satisfy a constraint, so no valid proof exists for it.
    #[error("witness does not satisfy constraint {constraint}")]
    Unsatisfied {
        /// Index of the first unsatisfied constraint.
        constraint: usize,
    },
    /// The constraint system is larger than BN254's 2^28 evaluation domain allows.
    #[error("constraint system needs a domain of {0} elements, larger than this engine supports")]
    DomainTooLarge(usize),
    /// `cuda` was asked for and no usable CUDA device exists (the reason says why).
    #[error("CUDA backend unavailable: {0}")]
    CudaUnavailable(String),
    /// A CUDA driver call failed (out of memory included).
    #[error("CUDA driver: {0}")]
    Cuda(String),
    /// NVRTC rejected the kernels.
    #[error("NVRTC could not compile the kernels: {0}")]
    Compile(String),
    /// A proof or verifying key that does not decode.
    #[error("malformed proof: {0}")]
    MalformedProof(String),
    /// Verification failed for a reason other than a wrong proof (bad public-input count).
    #[error("verification error: {0}")]
    Verify(String),
    /// Circuit synthesis failed.
    #[error("constraint synthesis: {0}")]
    Synthesis(String),
}

impl From<cudarc::driver::DriverError> for ProverError {
    fn from(e: cudarc::driver::DriverError) -> Self {
        ProverError::Cuda(e.to_string())
    }
}

/// Result alias for the prover.
pub type Result<T, E = ProverError> = std::result::Result<T, E>;
