//! The proving engine: a backend chosen at run time, keys loaded once, proofs on demand.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use ark_bn254::{Bn254, Fr};
use ark_ff::UniformRand;
use ark_groth16::{Groth16, Proof, VerifyingKey};
use ark_snark::SNARK;
use rand08::{CryptoRng, RngCore};

use crate::cuda::{self, CudaBackend, DeviceKey};
use crate::error::{ProverError, Result};
use crate::key::ProverKey;
use crate::{cpu, prover};

/// Which backend to prove with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendChoice {
    /// CUDA when a usable device exists, otherwise the CPU.
    #[default]
    Auto,
    /// Always the CPU.
    Cpu,
    /// CUDA or an error.
    Cuda,
}

impl FromStr for BackendChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(BackendChoice::Auto),
            "cpu" => Ok(BackendChoice::Cpu),
            "cuda" => Ok(BackendChoice::Cuda),
            other => Err(format!("unknown prover backend {other:?} (auto, cpu or cuda)")),
        }
    }
}

impl fmt::Display for BackendChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BackendChoice::Auto => "auto",
            BackendChoice::Cpu => "cpu",
            BackendChoice::Cuda => "cuda",
        })
    }
}

enum Backend {
    Cpu,
    Cuda(Box<CudaBackend>),
}

/// A proving engine bound to one backend.
pub struct Engine {
    backend: Backend,
    reason: String,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("backend", &self.backend_name())
            .field("reason", &self.reason)
            .finish()
    }
}

/// A proving key made ready for an engine's backend (on a GPU: resident in device memory).
pub struct LoadedKey {
    key: Arc<ProverKey>,
    device: Option<DeviceKey>,
}

impl LoadedKey {
    /// The key.
    pub fn key(&self) -> &ProverKey {
        &self.key
    }
}

impl Engine {
    /// Chooses the backend and logs the choice and the reason for it.
    pub fn new(choice: BackendChoice) -> Result<Self> {
        let engine = match choice {
            BackendChoice::Cpu => Engine::cpu("cpu requested"),
            BackendChoice::Cuda => {
                let b = CudaBackend::new(0)?;
                let reason = format!("cuda requested: {}", b.device());
                Engine { backend: Backend::Cuda(Box::new(b)), reason }
            }
            BackendChoice::Auto => match cuda::unavailable_reason() {
                Some(why) => Engine::cpu(&format!("auto: {why}; proving on the CPU")),
                None => match CudaBackend::new(0) {
                    Ok(b) => {
                        let reason = format!("auto: CUDA device {}", b.device());
                        Engine { backend: Backend::Cuda(Box::new(b)), reason }
                    }
                    Err(e) => {
                        Engine::cpu(&format!("auto: CUDA unusable ({e}); proving on the CPU"))
                    }
                },
            },
        };
        tracing::info!(backend = engine.backend_name(), reason = %engine.reason, "prover backend chosen");
        Ok(engine)
    }

    fn cpu(reason: &str) -> Self {
        let threads = rayon::current_num_threads();
        Engine { backend: Backend::Cpu, reason: format!("{reason} ({threads} threads)") }
    }

    /// An engine on a given CUDA backend (tests use the host emulation this way).
    pub fn with_cuda(backend: CudaBackend) -> Self {
        let reason = format!("given: {}", backend.device());
        Engine { backend: Backend::Cuda(Box::new(backend)), reason }
    }

    /// The CUDA backend, when this engine proves on one.
    pub fn cuda_backend(&self) -> Option<&CudaBackend> {
        match &self.backend {
            Backend::Cpu => None,
            Backend::Cuda(b) => Some(b),
        }
    }

    /// `cpu` or `cuda`.
    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Cpu => "cpu",
            Backend::Cuda(_) => "cuda",
        }
    }

    /// Why this backend was chosen, and the device.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// Prepares a key for proving (uploads it to the GPU on the CUDA backend).
    pub fn load(&self, key: Arc<ProverKey>) -> Result<LoadedKey> {
        let device = match &self.backend {
            Backend::Cpu => None,
            Backend::Cuda(b) => Some(b.load_key(&key)?),
        };
        Ok(LoadedKey { key, device })
    }

    /// A proof for the full assignment `z` = (1, public inputs..., private witness...), with
    /// fresh zero-knowledge randomness.
    pub fn prove<R: RngCore + CryptoRng>(
        &self,
        key: &LoadedKey,
        z: &[Fr],
        rng: &mut R,
    ) -> Result<Proof<Bn254>> {
        let (r, s) = (Fr::rand(rng), Fr::rand(rng));
        self.prove_with_randomness(key, z, r, s)
    }

    /// A proof with given randomness (r, s): deterministic, for cross-backend comparisons.
    pub fn prove_with_randomness(
        &self,
        key: &LoadedKey,
        z: &[Fr],
        r: Fr,
        s: Fr,
    ) -> Result<Proof<Bn254>> {
        let evals = prover::evaluate(&key.key, z)?;
        let parts = match (&self.backend, &key.device) {
            (Backend::Cpu, _) => cpu::prove_parts(&key.key, evals, z)?,
            (Backend::Cuda(b), Some(dk)) => b.prove_parts(&key.key, dk, &evals, z)?,
            (Backend::Cuda(_), None) => {
                return Err(ProverError::Cuda("key was loaded by a CPU engine".into()));
            }
        };
        Ok(prover::assemble(&key.key, &parts, r, s))
    }
}

/// Verifies a proof against the public inputs (without the leading constant 1).
pub fn verify(
    vk: &VerifyingKey<Bn254>,
    public_inputs: &[Fr],
    proof: &Proof<Bn254>,
) -> Result<bool> {
    if public_inputs.len() + 1 != vk.gamma_abc_g1.len() {
        return Err(ProverError::Verify(format!(
            "{} public inputs given, the key has {}",
            public_inputs.len(),
            vk.gamma_abc_g1.len().saturating_sub(1)
        )));
    }
    let pvk = Groth16::<Bn254>::process_vk(vk).map_err(|e| ProverError::Verify(e.to_string()))?;
    Groth16::<Bn254>::verify_with_processed_vk(&pvk, public_inputs, proof)
        .map_err(|e| ProverError::Verify(e.to_string()))
}
