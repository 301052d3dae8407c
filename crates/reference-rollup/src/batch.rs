//! Batches, their commitment, and the witness of their execution.

use crate::field::Fr;
use crate::poseidon;
use crate::state::Account;
use crate::tx::SignedTransfer;
use ark_ff::PrimeField;
use serde::{Deserialize, Serialize};

/// Start of the commitment chain (a domain tag).
pub fn batch_domain() -> Fr {
    Fr::from_be_bytes_mod_order(b"rampart-rollup/batch/v1")
}

/// A batch: the transfers the sequencer ordered, applied in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    /// The rollup.
    pub rollup_id: u64,
    /// Its index on L1.
    pub index: u64,
    /// The transfers, in order.
    pub transfers: Vec<SignedTransfer>,
}

impl Batch {
    /// The commitment L1 stores: `h = domain; h = Poseidon(h, message_i)` over the transfers'
    /// signed messages. A BN254 scalar, so it is a public input of the batch's proof as is.
    pub fn commitment(&self) -> Fr {
        self.transfers
            .iter()
            .fold(batch_domain(), |h, tx| poseidon::hash2(h, tx.transfer.message(self.rollup_id)))
    }
}

/// One applied transfer, with the Merkle paths the circuit checks.
#[derive(Debug, Clone)]
pub struct TransferWitness {
    /// The transfer.
    pub tx: SignedTransfer,
    /// The sender before.
    pub sender: Account,
    /// The sender's siblings before.
    pub sender_path: Vec<Fr>,
    /// The recipient after the sender's update, before its own.
    pub recipient: Account,
    /// The recipient's siblings after the sender's update.
    pub recipient_path: Vec<Fr>,
}

/// A batch's execution: the public inputs of its proof and one step per transfer.
#[derive(Debug, Clone)]
pub struct BatchWitness {
    /// The rollup.
    pub rollup_id: u64,
    /// Tree depth.
    pub depth: usize,
    /// Root before the batch.
    pub prev_root: Fr,
    /// Root after it.
    pub new_root: Fr,
    /// The batch commitment.
    pub commitment: Fr,
    /// The applied transfers.
    pub steps: Vec<TransferWitness>,
}

impl BatchWitness {
    /// The public inputs of the proof, in order: `(prevStateRoot, newStateRoot,
    /// batchCommitment)`.
    pub fn public_inputs(&self) -> [Fr; 3] {
        [self.prev_root, self.new_root, self.commitment]
    }
}
