//! Proving batches: the rollup's proving key (a [`ProverKey`] bound to the circuit [`Shape`] it
//! was generated for), and a batch's proof from its execution witness.
//!
//! Key file format: the 8 bytes `RRPKEY01`, the shape as little-endian `u64` rollup id, `u32`
//! depth and `u32` batch size, then the [`ProverKey`] encoding. A key is only ever used for the
//! shape in its header, so a key generated for another rollup, depth or batch size is refused
//! when loaded rather than yielding proofs L1 rejects.

use crate::batch::BatchWitness;
use crate::circuit::{BatchCircuit, Shape};
use crate::field::Fr;
use rampart_gpu_prover::{Engine, KeyCheck, LoadedKey, ProverKey, SolidityProof, key};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const MAGIC: &[u8; 8] = b"RRPKEY01";

/// Why a key cannot be made, read or used, or a batch cannot be proven.
#[derive(Debug, thiserror::Error)]
pub enum ProvingError {
    /// The key file cannot be read or written.
    #[error("rollup proving key {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// What the file system said.
        source: std::io::Error,
    },
    /// The file is not a rollup proving key.
    #[error("rollup proving key {path}: {message}")]
    Malformed {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The witness is for another circuit shape, or does not fit it.
    #[error("witness does not fit the key's circuit: {0}")]
    Shape(String),
    /// Setup, synthesis or proving failed.
    #[error(transparent)]
    Prover(#[from] rampart_gpu_prover::ProverError),
}

/// A rollup's Groth16 proving key and the circuit shape it belongs to.
#[derive(Debug, Clone)]
pub struct RollupKey {
    shape: Shape,
    key: Arc<ProverKey>,
}

/// A batch's proof, with the public inputs it proves and what it cost.
#[derive(Debug, Clone)]
pub struct BatchProof {
    /// `(prevStateRoot, newStateRoot, batchCommitment)`.
    pub public_inputs: [Fr; 3],
    /// The proof as the L1 verifier takes it.
    pub proof: SolidityProof,
    /// Synthesizing the circuit's assignment from the witness.
    pub witness_time: Duration,
    /// The Groth16 prover.
    pub proving_time: Duration,
}

impl RollupKey {
    /// Circuit-specific setup for `shape` with fresh toxic waste from `rng`: a development
    /// ceremony (whoever runs it can forge proofs), for devnets and tests. Production keys come
    /// from a multi-party ceremony and are loaded with [`RollupKey::load`].
    pub fn setup<R>(shape: Shape, rng: &mut R) -> Result<Self, ProvingError>
    where
        R: rand08::RngCore + rand08::CryptoRng,
    {
        let key = ProverKey::setup(BatchCircuit::blank(shape), rng)?;
        Ok(Self { shape, key: Arc::new(key) })
    }

    /// The circuit shape.
    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// The Groth16 key.
    pub fn prover_key(&self) -> &Arc<ProverKey> {
        &self.key
    }

    /// The verifying key, as the L1 proof center stores it.
    pub fn solidity_verifying_key(&self) -> rampart_gpu_prover::SolidityVerifyingKey {
        rampart_gpu_prover::SolidityVerifyingKey::from_vk(self.key.verifying_key())
    }

    /// Writes the key to `path` atomically (a temporary file, synced, renamed into place).
    pub fn save(&self, path: &Path) -> Result<(), ProvingError> {
        let io = |source| ProvingError::Io { path: path.display().to_string(), source };
        let tmp = path.with_extension("tmp");
        let file = std::fs::File::create(&tmp).map_err(io)?;
        let mut w = std::io::BufWriter::new(file);
        w.write_all(MAGIC).map_err(io)?;
        w.write_all(&self.shape.rollup_id.to_le_bytes()).map_err(io)?;
        w.write_all(&dimension(self.shape.depth, "depth")?.to_le_bytes()).map_err(io)?;
        w.write_all(&dimension(self.shape.batch_size, "batch size")?.to_le_bytes()).map_err(io)?;
        self.key.write_to(&mut w)?;
        let file = w.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Reads a key written by [`RollupKey::save`]. `check` says whether every curve point is
    /// validated ([`KeyCheck::Full`], for keys from elsewhere) or not (keys this machine made).
    pub fn load(path: &Path, check: KeyCheck) -> Result<Self, ProvingError> {
        let name = path.display().to_string();
        let io = |source| ProvingError::Io { path: name.clone(), source };
        let malformed = |message: String| ProvingError::Malformed { path: name.clone(), message };
        let mut r = std::io::BufReader::new(std::fs::File::open(path).map_err(io)?);
        let mut header = [0u8; 24];
        r.read_exact(&mut header).map_err(|e| malformed(format!("reading the header: {e}")))?;
        if &header[..8] != MAGIC {
            return Err(malformed("not a Rampart rollup proving key (bad magic)".into()));
        }
        let word = |at: usize| u32::from_le_bytes(header[at..at + 4].try_into().expect("4 bytes"));
        let shape = Shape {
            rollup_id: u64::from_le_bytes(header[8..16].try_into().expect("8 bytes")),
            depth: word(16) as usize,
            batch_size: word(20) as usize,
        };
        if !(1..=crate::tree::MAX_DEPTH).contains(&shape.depth) || shape.batch_size == 0 {
            return Err(malformed(format!("impossible circuit shape {shape:?}")));
        }
        let key = ProverKey::read_from(r, check).map_err(|e| malformed(e.to_string()))?;
        if key.r1cs.num_instance != 4 {
            return Err(malformed(format!(
                "the key has {} public inputs, the batch circuit 3",
                key.r1cs.num_instance.saturating_sub(1)
            )));
        }
        Ok(Self { shape, key: Arc::new(key) })
    }

    /// Proves a batch from its execution witness ([`crate::State::apply_batch`]) with `engine`
    /// and the key as `engine` loaded it. The proof is checked against the verifying key before
    /// it is returned, so a proof L1 would reject never leaves here.
    pub fn prove<R>(
        &self,
        engine: &Engine,
        loaded: &LoadedKey,
        witness: BatchWitness,
        rng: &mut R,
    ) -> Result<BatchProof, ProvingError>
    where
        R: rand08::RngCore + rand08::CryptoRng,
    {
        if witness.rollup_id != self.shape.rollup_id || witness.depth != self.shape.depth {
            return Err(ProvingError::Shape(format!(
                "witness of rollup {} at depth {}, key for rollup {} at depth {}",
                witness.rollup_id, witness.depth, self.shape.rollup_id, self.shape.depth
            )));
        }
        let public_inputs = witness.public_inputs();
        let started = Instant::now();
        let circuit = BatchCircuit::new(self.shape, witness)
            .map_err(|e| ProvingError::Shape(e.to_string()))?;
        let z = key::assignment(circuit)?;
        let witness_time = started.elapsed();
        let started = Instant::now();
        let proof = engine.prove(loaded, &z, rng)?;
        let proving_time = started.elapsed();
        if !rampart_gpu_prover::verify(self.key.verifying_key(), &public_inputs, &proof)? {
            return Err(ProvingError::Prover(rampart_gpu_prover::ProverError::Verify(
                "the proof does not verify against the key's own verifying key".into(),
            )));
        }
        Ok(BatchProof {
            public_inputs,
            proof: SolidityProof::from_proof(&proof),
            witness_time,
            proving_time,
        })
    }
}

fn dimension(value: usize, what: &str) -> Result<u32, ProvingError> {
    u32::try_from(value).map_err(|_| ProvingError::Shape(format!("{what} {value} is too large")))
}
