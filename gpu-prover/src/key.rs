//! Proving keys: a Groth16 proving key together with the R1CS it was made for.
//!
//! The prover needs both: the key's query vectors for the MSMs and the constraint matrices for
//! the quotient polynomial h(X). On disk a key is `RMPTPK01` followed by the arkworks
//! serialization (uncompressed) of the proving key and then of the constraint system.

use std::io::{Read, Write};
use std::path::Path;

use ark_bn254::{Bn254, Fr};
use ark_groth16::{ProvingKey, VerifyingKey};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use ark_relations::r1cs::{
    ConstraintMatrices, ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef,
    OptimizationGoal, SynthesisMode,
};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use rand08::{CryptoRng, RngCore};

use crate::error::{ProverError, Result};

const MAGIC: &[u8; 8] = b"RMPTPK01";

/// One sparse matrix row: (coefficient, variable index) pairs.
pub type Row = Vec<(Fr, usize)>;

/// A rank-1 constraint system: for every constraint i, <A_i, z> * <B_i, z> = <C_i, z> where
/// z = (1, public inputs..., private witness...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct R1cs {
    /// Instance variables, the constant 1 included.
    pub num_instance: usize,
    /// Private witness variables.
    pub num_witness: usize,
    /// Rows of A.
    pub a: Vec<Row>,
    /// Rows of B.
    pub b: Vec<Row>,
    /// Rows of C.
    pub c: Vec<Row>,
}

impl R1cs {
    /// Number of constraints.
    pub fn num_constraints(&self) -> usize {
        self.a.len()
    }

    /// Length of a full assignment: 1 + public inputs + private witness.
    pub fn num_variables(&self) -> usize {
        self.num_instance + self.num_witness
    }

    /// Size of the evaluation domain (constraints plus one row per instance variable, rounded
    /// up to a power of two), as arkworks' Groth16 reduction uses it.
    pub fn domain_size(&self) -> Result<usize> {
        let rows = self.num_constraints() + self.num_instance;
        Radix2EvaluationDomain::<Fr>::new(rows)
            .map(|d| d.size())
            .ok_or(ProverError::DomainTooLarge(rows))
    }

    fn from_matrices(m: ConstraintMatrices<Fr>) -> Self {
        R1cs {
            num_instance: m.num_instance_variables,
            num_witness: m.num_witness_variables,
            a: m.a,
            b: m.b,
            c: m.c,
        }
    }

    /// The matrices in arkworks' form (for cross-checks against ark-groth16).
    pub fn to_matrices(&self) -> ConstraintMatrices<Fr> {
        let nnz = |m: &[Row]| m.iter().map(Vec::len).sum();
        ConstraintMatrices {
            num_instance_variables: self.num_instance,
            num_witness_variables: self.num_witness,
            num_constraints: self.num_constraints(),
            a_num_non_zero: nnz(&self.a),
            b_num_non_zero: nnz(&self.b),
            c_num_non_zero: nnz(&self.c),
            a: self.a.clone(),
            b: self.b.clone(),
            c: self.c.clone(),
        }
    }

    fn write<W: Write>(&self, mut w: W) -> Result<()> {
        let ser = |e: ark_serialize::SerializationError| ProverError::MalformedKey(e.to_string());
        (self.num_instance as u64).serialize_uncompressed(&mut w).map_err(ser)?;
        (self.num_witness as u64).serialize_uncompressed(&mut w).map_err(ser)?;
        for m in [&self.a, &self.b, &self.c] {
            let rows: Vec<Vec<(Fr, u64)>> =
                m.iter().map(|row| row.iter().map(|&(f, i)| (f, i as u64)).collect()).collect();
            rows.serialize_uncompressed(&mut w).map_err(ser)?;
        }
        Ok(())
    }

    fn read<R: Read>(mut r: R) -> Result<Self> {
        let de = |e: ark_serialize::SerializationError| ProverError::MalformedKey(e.to_string());
        let num_instance = u64::deserialize_uncompressed(&mut r).map_err(de)? as usize;
        let num_witness = u64::deserialize_uncompressed(&mut r).map_err(de)? as usize;
        let vars = num_instance
            .checked_add(num_witness)
            .ok_or_else(|| ProverError::MalformedKey("variable count overflows".into()))?;
        let mut read_matrix = || -> Result<Vec<Row>> {
            let rows = Vec::<Vec<(Fr, u64)>>::deserialize_uncompressed(&mut r).map_err(de)?;
            rows.into_iter()
                .map(|row| {
                    row.into_iter()
                        .map(|(f, i)| match usize::try_from(i) {
                            Ok(i) if i < vars => Ok((f, i)),
                            _ => Err(ProverError::MalformedKey(format!(
                                "constraint refers to variable {i} of {vars}"
                            ))),
                        })
                        .collect()
                })
                .collect()
        };
        let (a, b, c) = (read_matrix()?, read_matrix()?, read_matrix()?);
        if num_instance == 0 || a.len() != b.len() || a.len() != c.len() {
            return Err(ProverError::MalformedKey(
                "A, B and C need the same number of rows and at least the constant variable".into(),
            ));
        }
        Ok(R1cs { num_instance, num_witness, a, b, c })
    }
}

/// A proving key and the constraint system it belongs to: everything a backend needs to prove.
#[derive(Clone, Debug, PartialEq)]
pub struct ProverKey {
    /// The Groth16 proving key (arkworks form).
    pub pk: ProvingKey<Bn254>,
    /// The constraint system.
    pub r1cs: R1cs,
}

/// How much checking [`ProverKey::read`] does on the points it decodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyCheck {
    /// On-curve and subgroup checks on every point (G2 subgroup checks dominate for big keys).
    Full,
    /// No point checks: for keys this machine made itself. A wrong key only yields proofs that
    /// fail verification.
    Trusted,
}

impl ProverKey {
    /// Circuit-specific setup with fresh toxic waste from `rng` (a development and benchmark
    /// ceremony; production keys come from a multi-party ceremony and are imported).
    pub fn setup<C, R>(circuit: C, rng: &mut R) -> Result<Self>
    where
        C: ConstraintSynthesizer<Fr> + Clone,
        R: RngCore + CryptoRng,
    {
        let r1cs = synthesize(circuit.clone())?.0;
        let pk =
            ark_groth16::Groth16::<Bn254>::generate_random_parameters_with_reduction(circuit, rng)
                .map_err(|e| ProverError::Synthesis(e.to_string()))?;
        Ok(ProverKey { pk, r1cs })
    }

    /// The verifying key.
    pub fn verifying_key(&self) -> &VerifyingKey<Bn254> {
        &self.pk.vk
    }

    /// Serialise into `w` (see the module docs for the format).
    pub fn write_to<W: Write>(&self, mut w: W) -> Result<()> {
        w.write_all(MAGIC).map_err(|e| ProverError::MalformedKey(e.to_string()))?;
        self.pk
            .serialize_uncompressed(&mut w)
            .map_err(|e| ProverError::MalformedKey(e.to_string()))?;
        self.r1cs.write(w)
    }

    /// Decode from `r`.
    pub fn read_from<R: Read>(mut r: R, check: KeyCheck) -> Result<Self> {
        let mut magic = [0u8; 8];
        r.read_exact(&mut magic)
            .map_err(|e| ProverError::MalformedKey(format!("reading the header: {e}")))?;
        if &magic != MAGIC {
            return Err(ProverError::MalformedKey("not a Rampart proving key (bad magic)".into()));
        }
        let validate = match check {
            KeyCheck::Full => Validate::Yes,
            KeyCheck::Trusted => Validate::No,
        };
        let pk = ProvingKey::<Bn254>::deserialize_with_mode(&mut r, Compress::No, validate)
            .map_err(|e| ProverError::MalformedKey(e.to_string()))?;
        let r1cs = R1cs::read(r)?;
        let key = ProverKey { pk, r1cs };
        key.check_shape()?;
        Ok(key)
    }

    /// Write to a file (atomically: a temporary file renamed into place).
    pub fn save(&self, path: &Path) -> Result<()> {
        let io = |source| ProverError::KeyIo { path: path.display().to_string(), source };
        let tmp = path.with_extension("tmp");
        let file = std::fs::File::create(&tmp).map_err(io)?;
        let mut w = std::io::BufWriter::new(file);
        self.write_to(&mut w)?;
        w.flush().map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Read from a file.
    pub fn load(path: &Path, check: KeyCheck) -> Result<Self> {
        let io = |source| ProverError::KeyIo { path: path.display().to_string(), source };
        let file = std::fs::File::open(path).map_err(io)?;
        Self::read_from(std::io::BufReader::new(file), check)
    }

    /// The query vectors must match the constraint system they claim to be for.
    fn check_shape(&self) -> Result<()> {
        let vars = self.r1cs.num_variables();
        let domain = self.r1cs.domain_size()?;
        let pk = &self.pk;
        let bad = |what: &str, got: usize, want: usize| {
            Err(ProverError::MalformedKey(format!("{what} has {got} points, expected {want}")))
        };
        if pk.a_query.len() != vars {
            return bad("a_query", pk.a_query.len(), vars);
        }
        if pk.b_g1_query.len() != vars {
            return bad("b_g1_query", pk.b_g1_query.len(), vars);
        }
        if pk.b_g2_query.len() != vars {
            return bad("b_g2_query", pk.b_g2_query.len(), vars);
        }
        if pk.l_query.len() != self.r1cs.num_witness {
            return bad("l_query", pk.l_query.len(), self.r1cs.num_witness);
        }
        if pk.h_query.len() != domain - 1 {
            return bad("h_query", pk.h_query.len(), domain - 1);
        }
        if pk.vk.gamma_abc_g1.len() != self.r1cs.num_instance {
            return bad("gamma_abc_g1", pk.vk.gamma_abc_g1.len(), self.r1cs.num_instance);
        }
        Ok(())
    }
}

/// Runs a circuit in proving mode: its R1CS and its full assignment (1, inputs..., witness...).
pub fn synthesize<C: ConstraintSynthesizer<Fr>>(circuit: C) -> Result<(R1cs, Vec<Fr>)> {
    let cs = run(circuit, true)?;
    let matrices = cs
        .to_matrices()
        .ok_or_else(|| ProverError::Synthesis("constraint system has no matrices".into()))?;
    Ok((R1cs::from_matrices(matrices), full_assignment(&cs)?))
}

/// Only the full assignment (1, inputs..., witness...) of a circuit whose R1CS the proving key
/// already holds: what proving needs, without building the constraint matrices again (most of
/// the synthesis time of a large circuit).
pub fn assignment<C: ConstraintSynthesizer<Fr>>(circuit: C) -> Result<Vec<Fr>> {
    full_assignment(&run(circuit, false)?)
}

fn run<C: ConstraintSynthesizer<Fr>>(
    circuit: C,
    construct_matrices: bool,
) -> Result<ConstraintSystemRef<Fr>> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Prove { construct_matrices });
    // Without any subscriber: arkworks instruments every gadget call with a `tracing` span,
    // and even spans every filter turns down cost several times the synthesis itself when a
    // subscriber is installed (the daemons have one).
    tracing::dispatcher::with_default(&tracing::Dispatch::none(), || {
        circuit.generate_constraints(cs.clone())
    })
    .map_err(|e| ProverError::Synthesis(e.to_string()))?;
    cs.finalize();
    Ok(cs)
}

fn full_assignment(cs: &ConstraintSystemRef<Fr>) -> Result<Vec<Fr>> {
    let inner =
        cs.borrow().ok_or_else(|| ProverError::Synthesis("constraint system in use".into()))?;
    let mut z = inner.instance_assignment.clone();
    z.extend_from_slice(&inner.witness_assignment);
    Ok(z)
}
