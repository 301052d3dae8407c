//! Shared helpers: a small genesis, and witnesses built *without* the state's checks, to show
//! the circuit refuses what the state would.
#![allow(dead_code, unreachable_pub)]

use rampart_reference_rollup::batch::{BatchWitness, TransferWitness};
use rampart_reference_rollup::tree::SparseMerkleTree;
use rampart_reference_rollup::{
    Account, Batch, Genesis, SecretKey, SignedTransfer, State, Transfer,
};

pub const ROLLUP: u64 = 7;
pub const SEED: &str = "tests";

pub fn genesis(depth: usize, count: u32, balance: u64) -> Genesis {
    Genesis::devnet(ROLLUP, depth, count, balance, SEED)
}

pub fn key(index: u32) -> SecretKey {
    Genesis::devnet_key(SEED, index)
}

pub fn signed(from: u32, to: u32, amount: u64, nonce: u64) -> SignedTransfer {
    Transfer { from, to, amount, nonce }.sign(&key(from), ROLLUP)
}

/// Applies transfers with no validation at all (wrapping arithmetic), returning the witness an
/// attacker would feed the prover and the root it would claim.
pub fn forge(genesis: &Genesis, index: u64, txs: &[SignedTransfer]) -> BatchWitness {
    let mut accounts = genesis.accounts.clone();
    let mut tree = SparseMerkleTree::new(genesis.depth);
    for (i, a) in &accounts {
        tree.set(*i, a.leaf());
    }
    let prev_root = tree.root();
    let mut steps = Vec::new();
    for tx in txs {
        let t = tx.transfer;
        let sender = accounts[&t.from];
        let sender_path = tree.path(t.from);
        let after = Account {
            balance: sender.balance.wrapping_sub(t.amount),
            nonce: sender.nonce + 1,
            ..sender
        };
        tree.set(t.from, after.leaf());
        accounts.insert(t.from, after);
        let recipient = accounts[&t.to];
        let recipient_path = tree.path(t.to);
        let credited = Account { balance: recipient.balance.wrapping_add(t.amount), ..recipient };
        tree.set(t.to, credited.leaf());
        accounts.insert(t.to, credited);
        steps.push(TransferWitness { tx: *tx, sender, sender_path, recipient, recipient_path });
    }
    let batch = Batch { rollup_id: genesis.rollup_id, index, transfers: txs.to_vec() };
    BatchWitness {
        rollup_id: genesis.rollup_id,
        depth: genesis.depth,
        prev_root,
        new_root: tree.root(),
        commitment: batch.commitment(),
        steps,
    }
}

pub fn state(genesis: &Genesis) -> State {
    State::new(genesis)
}
