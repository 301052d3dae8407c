//! The batch circuit (arkworks R1CS): from `prevStateRoot`, applying the committed batch,
//! yields `newStateRoot`.
//!
//! Public inputs, in order: `prevStateRoot`, `newStateRoot`, `batchCommitment`. The circuit
//! has a fixed number of transfer slots ([`Shape::batch_size`]); a batch with fewer transfers
//! leaves the remaining slots inactive (they change neither the root nor the commitment). For
//! every active slot it enforces:
//!
//! - the sender's leaf `(balance, nonce, key)` is in the current tree (Merkle path);
//! - the sender's EdDSA-Poseidon signature over `Poseidon(domain, rollupId, packed transfer)`,
//!   where the packed transfer uses the sender's nonce *from the tree* (so a replayed or
//!   skipped nonce fails the signature);
//! - sender and recipient differ; the amount is below 2^64; the sender's new balance is below
//!   2^64 (no overdraft) and so is the recipient's (no overflow): what one loses the other gains;
//! - the sender's leaf is replaced by `(balance − amount, nonce + 1, key)`, then the recipient's
//!   leaf (which must be in the updated tree) by `(balance + amount, nonce, key)`;
//! - the commitment chain takes the transfer's message.
//!
//! The final root and commitment must equal the public inputs.

use crate::batch::{BatchWitness, TransferWitness, batch_domain};
use crate::field::Fr;
use crate::poseidon::{self, FULL_ROUNDS, PARTIAL_ROUNDS, WIDTH};
use crate::state::Account;
use crate::tx::{Transfer, transfer_domain};
use ark_ec::AffineRepr;
use ark_ed_on_bn254::constraints::EdwardsVar;
use ark_ed_on_bn254::{EdwardsAffine, EdwardsProjective};
use ark_ff::{BigInteger, Field, PrimeField, Zero};
use ark_r1cs_std::alloc::{AllocVar, AllocationMode};
use ark_r1cs_std::boolean::Boolean;
use ark_r1cs_std::convert::ToBitsGadget;
use ark_r1cs_std::eq::EqGadget;
use ark_r1cs_std::fields::FieldVar;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::groups::CurveVar;
use ark_r1cs_std::select::CondSelectGadget;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};

/// Bits of the Baby Jubjub subgroup order (the signature response `s` is below it).
const SCALAR_BITS: usize = 251;

/// The circuit's size: what its proving and verifying keys are generated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Shape {
    /// The rollup (part of every signed message).
    pub rollup_id: u64,
    /// Tree depth.
    pub depth: usize,
    /// Transfer slots per batch.
    pub batch_size: usize,
}

/// The circuit for one batch.
#[derive(Debug, Clone)]
pub struct BatchCircuit {
    shape: Shape,
    witness: BatchWitness,
}

impl BatchCircuit {
    /// The circuit proving `witness`. Fails when the witness does not fit the shape.
    pub fn new(shape: Shape, witness: BatchWitness) -> Result<Self, crate::error::BatchError> {
        if witness.steps.len() > shape.batch_size {
            return Err(crate::error::BatchError::TooLarge {
                max: shape.batch_size,
                got: witness.steps.len(),
            });
        }
        assert_eq!(witness.depth, shape.depth, "witness depth differs from the circuit's");
        assert_eq!(witness.rollup_id, shape.rollup_id, "witness rollup differs from the circuit's");
        Ok(Self { shape, witness })
    }

    /// The circuit with every slot inactive, for key generation and constraint counts.
    pub fn blank(shape: Shape) -> Self {
        let root = crate::tree::SparseMerkleTree::new(shape.depth).root();
        let witness = BatchWitness {
            rollup_id: shape.rollup_id,
            depth: shape.depth,
            prev_root: root,
            new_root: root,
            commitment: batch_domain(),
            steps: Vec::new(),
        };
        Self { shape, witness }
    }

    /// The shape.
    pub fn shape(&self) -> Shape {
        self.shape
    }
}

/// Witness values of one slot (an inactive slot holds zeros and identity points).
struct Slot {
    active: bool,
    transfer: Transfer,
    sender: (u64, u64, EdwardsAffine),
    sender_path: Vec<Fr>,
    recipient: (u64, u64, Fr, Fr),
    recipient_path: Vec<Fr>,
    r: EdwardsAffine,
    s: Vec<bool>,
}

impl Slot {
    fn from_step(step: &TransferWitness) -> Self {
        let a = |x: &Account| (x.balance, x.nonce, x.public_key.0);
        let mut s = step.tx.signature.s.into_bigint().to_bits_le();
        s.truncate(SCALAR_BITS);
        let r = &step.recipient;
        Self {
            active: true,
            transfer: step.tx.transfer,
            sender: a(&step.sender),
            sender_path: step.sender_path.clone(),
            recipient: (r.balance, r.nonce, r.public_key.0.x, r.public_key.0.y),
            recipient_path: step.recipient_path.clone(),
            r: step.tx.signature.r,
            s,
        }
    }

    fn inactive(depth: usize) -> Self {
        let identity = EdwardsAffine::zero();
        Self {
            active: false,
            transfer: Transfer { from: 0, to: 0, amount: 0, nonce: 0 },
            sender: (0, 0, identity),
            sender_path: vec![Fr::zero(); depth],
            recipient: (0, 0, Fr::zero(), Fr::zero()),
            recipient_path: vec![Fr::zero(); depth],
            r: identity,
            s: vec![false; SCALAR_BITS],
        }
    }
}

impl ConstraintSynthesizer<Fr> for BatchCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let w = &self.witness;
        let prev_root = FpVar::new_input(cs.clone(), || Ok(w.prev_root))?;
        let new_root = FpVar::new_input(cs.clone(), || Ok(w.new_root))?;
        let commitment = FpVar::new_input(cs.clone(), || Ok(w.commitment))?;

        let generator_powers: Vec<EdwardsProjective> = {
            let mut g = EdwardsProjective::from(EdwardsAffine::generator());
            (0..SCALAR_BITS)
                .map(|_| {
                    let p = g;
                    g = g + g;
                    p
                })
                .collect()
        };
        let mut root = prev_root;
        let mut chain = FpVar::constant(batch_domain());
        for i in 0..self.shape.batch_size {
            let slot =
                w.steps.get(i).map_or_else(|| Slot::inactive(self.shape.depth), Slot::from_step);
            let (next_root, next_chain) =
                transfer(cs.clone(), &self.shape, &slot, &root, &chain, &generator_powers)?;
            root = next_root;
            chain = next_chain;
        }
        root.enforce_equal(&new_root)?;
        chain.enforce_equal(&commitment)?;
        Ok(())
    }
}

/// One slot: returns the root and commitment chain after it.
fn transfer(
    cs: ConstraintSystemRef<Fr>,
    shape: &Shape,
    slot: &Slot,
    root: &FpVar<Fr>,
    chain: &FpVar<Fr>,
    generator_powers: &[EdwardsProjective],
) -> Result<(FpVar<Fr>, FpVar<Fr>), SynthesisError> {
    let witness = |x: Fr| FpVar::new_witness(cs.clone(), || Ok(x));
    let bits = |value: u64, n: usize| -> Result<Vec<Boolean<Fr>>, SynthesisError> {
        (0..n).map(|b| Boolean::new_witness(cs.clone(), || Ok((value >> b) & 1 == 1))).collect()
    };
    let active = Boolean::new_witness(cs.clone(), || Ok(slot.active))?;
    let t = &slot.transfer;

    // Indices as bits (they select the Merkle paths), sender != recipient.
    let from_bits = bits(t.from.into(), shape.depth)?;
    let to_bits = bits(t.to.into(), shape.depth)?;
    let from = Boolean::le_bits_to_fp(&from_bits)?;
    let to = Boolean::le_bits_to_fp(&to_bits)?;
    let inverse = witness(
        (Fr::from(t.from) - Fr::from(t.to)).inverse().filter(|_| slot.active).unwrap_or_default(),
    )?;
    (&from - &to).mul_equals(&inverse, &FpVar::from(active.clone()))?;

    // The amount fits 64 bits.
    let amount_bits = bits(t.amount, 64)?;
    let amount = Boolean::le_bits_to_fp(&amount_bits)?;

    // Sender: leaf in the tree, signature over the transfer with the tree's nonce.
    let (s_balance, s_nonce, s_key) = slot.sender;
    let sender_key = EdwardsVar::new_variable_omit_prime_order_check(
        cs.clone(),
        || Ok(EdwardsProjective::from(s_key)),
        AllocationMode::Witness,
    )?;
    let sender_balance = witness(Fr::from(s_balance))?;
    let sender_nonce = witness(Fr::from(s_nonce))?;
    let sender_path =
        slot.sender_path.iter().map(|x| witness(*x)).collect::<Result<Vec<_>, _>>()?;
    let sender_leaf = hash(&[
        sender_balance.clone(),
        sender_nonce.clone(),
        sender_key.x.clone(),
        sender_key.y.clone(),
    ])?;
    merkle_root(&sender_leaf, &from_bits, &sender_path)?
        .conditional_enforce_equal(root, &active)?;

    let pow2 = |k: u64| FpVar::constant(Fr::from(2u64).pow([k]));
    let packed = &from + &to * pow2(32) + &amount * pow2(64) + &sender_nonce * pow2(128);
    let message = hash(&[
        FpVar::constant(transfer_domain()),
        FpVar::constant(Fr::from(shape.rollup_id)),
        packed,
    ])?;
    let r = EdwardsVar::new_variable_omit_prime_order_check(
        cs.clone(),
        || Ok(EdwardsProjective::from(slot.r)),
        AllocationMode::Witness,
    )?;
    let challenge = hash(&[
        r.x.clone(),
        r.y.clone(),
        sender_key.x.clone(),
        sender_key.y.clone(),
        message.clone(),
    ])?;
    let challenge_bits = challenge.to_bits_le()?;
    let c_a = sender_key.scalar_mul_le(challenge_bits.iter())?;
    let s_bits = slot
        .s
        .iter()
        .map(|b| Boolean::new_witness(cs.clone(), || Ok(*b)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut s_g = EdwardsVar::zero();
    s_g.precomputed_base_scalar_mul_le(s_bits.iter().zip(generator_powers))?;
    s_g.conditional_enforce_equal(&(r + c_a), &active)?;

    // Debit: balance − amount must fit 64 bits (no overdraft).
    let debited = &sender_balance - &amount;
    let debited_value = s_balance.wrapping_sub(t.amount);
    Boolean::le_bits_to_fp(&bits(debited_value, 64)?)?.enforce_equal(&debited)?;
    let sender_leaf_after =
        hash(&[debited, sender_nonce + FpVar::one(), sender_key.x, sender_key.y])?;
    let mid_root = merkle_root(&sender_leaf_after, &from_bits, &sender_path)?;

    // Recipient: leaf in the updated tree; credit must fit 64 bits (no overflow).
    let (r_balance, r_nonce, r_x, r_y) = slot.recipient;
    let recipient_balance = witness(Fr::from(r_balance))?;
    let recipient_nonce = witness(Fr::from(r_nonce))?;
    let (r_x, r_y) = (witness(r_x)?, witness(r_y)?);
    let recipient_path =
        slot.recipient_path.iter().map(|x| witness(*x)).collect::<Result<Vec<_>, _>>()?;
    let recipient_leaf =
        hash(&[recipient_balance.clone(), recipient_nonce.clone(), r_x.clone(), r_y.clone()])?;
    merkle_root(&recipient_leaf, &to_bits, &recipient_path)?
        .conditional_enforce_equal(&mid_root, &active)?;
    let credited = &recipient_balance + &amount;
    let credited_value = if slot.active { r_balance.wrapping_add(t.amount) } else { 0 };
    Boolean::le_bits_to_fp(&bits(credited_value, 64)?)?.enforce_equal(&credited)?;
    let recipient_leaf_after = hash(&[credited, recipient_nonce, r_x, r_y])?;
    let new_root = merkle_root(&recipient_leaf_after, &to_bits, &recipient_path)?;

    let next_chain = hash(&[chain.clone(), message])?;
    Ok((
        FpVar::conditionally_select(&active, &new_root, root)?,
        FpVar::conditionally_select(&active, &next_chain, chain)?,
    ))
}

/// The root of a tree holding `leaf` at the index `bits` (little-endian) with these siblings:
/// one constraint per level for the swap, one permutation for the hash.
fn merkle_root(
    leaf: &FpVar<Fr>,
    bits: &[Boolean<Fr>],
    path: &[FpVar<Fr>],
) -> Result<FpVar<Fr>, SynthesisError> {
    let mut value = leaf.clone();
    for (bit, sibling) in bits.iter().zip(path) {
        // left = value + bit·(sibling − value); right = value + sibling − left.
        let left = &value + FpVar::from(bit.clone()) * (sibling - &value);
        let right = &value + sibling - &left;
        value = hash(&[left, right])?;
    }
    Ok(value)
}

fn sbox(x: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    let x2 = x.square()?;
    Ok(x2.square()? * x)
}

/// The Poseidon permutation in R1CS (three constraints per S-box, linear layers free).
fn permute(state: &mut [FpVar<Fr>; WIDTH]) -> Result<(), SynthesisError> {
    let p = poseidon::params();
    let half = FULL_ROUNDS / 2;
    for (round, constants) in p.ark.iter().enumerate() {
        for (s, c) in state.iter_mut().zip(constants) {
            *s = &*s + *c;
        }
        if round < half || round >= half + PARTIAL_ROUNDS {
            for s in state.iter_mut() {
                *s = sbox(s)?;
            }
        } else {
            state[0] = sbox(&state[0])?;
        }
        let old = state.clone();
        for (i, s) in state.iter_mut().enumerate() {
            *s = &old[0] * p.mds[i][0] + &old[1] * p.mds[i][1] + &old[2] * p.mds[i][2];
        }
    }
    Ok(())
}

/// [`poseidon::hash`] in R1CS.
pub fn hash(inputs: &[FpVar<Fr>]) -> Result<FpVar<Fr>, SynthesisError> {
    let mut state = [FpVar::constant(Fr::from(inputs.len() as u64)), FpVar::zero(), FpVar::zero()];
    for chunk in inputs.chunks(WIDTH - 1) {
        for (s, x) in state[1..].iter_mut().zip(chunk) {
            *s = &*s + x;
        }
        permute(&mut state)?;
    }
    if inputs.is_empty() {
        permute(&mut state)?;
    }
    Ok(state[1].clone())
}
