//! The rollup's state: accounts in a Poseidon sparse Merkle tree, and deterministic execution
//! of transfers and batches.

use crate::batch::{Batch, BatchWitness, TransferWitness};
use crate::eddsa::{PublicKey, SecretKey};
use crate::error::{BatchError, DecodeError, TxError};
use crate::field::Fr;
use crate::poseidon;
use crate::tree::{MAX_DEPTH, SparseMerkleTree};
use crate::tx::SignedTransfer;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// An account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// Balance.
    pub balance: u64,
    /// Transactions sent so far.
    pub nonce: u64,
    /// Its owner's EdDSA key.
    pub public_key: PublicKey,
}

impl Account {
    /// Its leaf: `Poseidon(balance, nonce, key.x, key.y)`.
    pub fn leaf(&self) -> Fr {
        poseidon::hash(&[
            Fr::from(self.balance),
            Fr::from(self.nonce),
            self.public_key.0.x,
            self.public_key.0.y,
        ])
    }
}

/// The initial state, shared by the sequencer, every operator and the L1 registration (its
/// root is the rollup's genesis root).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genesis {
    /// The rollup's id in the attestation center.
    pub rollup_id: u64,
    /// Tree depth (`2^depth` account slots).
    pub depth: usize,
    /// Accounts by index.
    pub accounts: BTreeMap<u32, Account>,
}

impl Genesis {
    /// A devnet genesis: `count` accounts at indices `0..count`, each with `balance`, keys
    /// derived from `seed` (see [`Genesis::devnet_key`]).
    pub fn devnet(rollup_id: u64, depth: usize, count: u32, balance: u64, seed: &str) -> Self {
        let accounts = (0..count)
            .map(|i| {
                (i, Account { balance, nonce: 0, public_key: Self::devnet_key(seed, i).public() })
            })
            .collect();
        Self { rollup_id, depth, accounts }
    }

    /// The key of devnet account `index`: SHA-256 of the seed and the index. Test keys only.
    pub fn devnet_key(seed: &str, index: u32) -> SecretKey {
        let mut h = Sha256::new();
        h.update(b"rampart-devnet-rollup-account");
        h.update(seed.as_bytes());
        h.update(index.to_be_bytes());
        SecretKey::from_seed(h.finalize().into())
    }

    /// Checks the depth and that every index fits the tree.
    pub fn validate(&self) -> Result<(), DecodeError> {
        if !(1..=MAX_DEPTH).contains(&self.depth) {
            return Err(DecodeError::Config(format!("tree depth {} outside 1..=32", self.depth)));
        }
        if let Some((i, _)) = self.accounts.iter().find(|(i, _)| u64::from(**i) >> self.depth != 0)
        {
            return Err(DecodeError::Config(format!(
                "account {i} outside a tree of depth {}",
                self.depth
            )));
        }
        Ok(())
    }

    /// Reads and validates a genesis file (JSON).
    pub fn load(path: &std::path::Path) -> Result<Self, DecodeError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| DecodeError::Config(format!("{}: {e}", path.display())))?;
        let genesis: Self = serde_json::from_str(&text)
            .map_err(|e| DecodeError::Config(format!("{}: {e}", path.display())))?;
        genesis.validate()?;
        Ok(genesis)
    }

    /// The genesis root.
    pub fn root(&self) -> Fr {
        State::new(self).root()
    }
}

/// The state after some number of batches.
#[derive(Debug, Clone)]
pub struct State {
    rollup_id: u64,
    tree: SparseMerkleTree,
    accounts: BTreeMap<u32, Account>,
    next_batch: u64,
}

/// A [`State`] in a form that can be stored and read back (the tree is rebuilt).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// The accounts, with the rollup and depth.
    pub genesis: Genesis,
    /// The next batch to apply.
    pub next_batch: u64,
}

impl State {
    /// The genesis state. The genesis must be valid ([`Genesis::validate`]).
    pub fn new(genesis: &Genesis) -> Self {
        let mut tree = SparseMerkleTree::new(genesis.depth);
        for (index, account) in &genesis.accounts {
            tree.set(*index, account.leaf());
        }
        Self {
            rollup_id: genesis.rollup_id,
            tree,
            accounts: genesis.accounts.clone(),
            next_batch: 0,
        }
    }

    /// Rebuilds a stored state.
    pub fn from_snapshot(snapshot: &Snapshot) -> Result<Self, DecodeError> {
        snapshot.genesis.validate()?;
        Ok(Self { next_batch: snapshot.next_batch, ..Self::new(&snapshot.genesis) })
    }

    /// This state in storable form.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            genesis: Genesis {
                rollup_id: self.rollup_id,
                depth: self.tree.depth(),
                accounts: self.accounts.clone(),
            },
            next_batch: self.next_batch,
        }
    }

    /// The state root.
    pub fn root(&self) -> Fr {
        self.tree.root()
    }

    /// The rollup.
    pub fn rollup_id(&self) -> u64 {
        self.rollup_id
    }

    /// Tree depth.
    pub fn depth(&self) -> usize {
        self.tree.depth()
    }

    /// The next batch index this state accepts.
    pub fn next_batch(&self) -> u64 {
        self.next_batch
    }

    /// An account.
    pub fn account(&self, index: u32) -> Option<&Account> {
        self.accounts.get(&index)
    }

    /// The Merkle siblings of an account's leaf (an account proof against [`State::root`]).
    pub fn path(&self, index: u32) -> Vec<Fr> {
        self.tree.path(index)
    }

    /// Number of accounts.
    pub fn account_count(&self) -> usize {
        self.accounts.len()
    }

    /// Checks a transfer against this state without applying it.
    pub fn check(&self, tx: &SignedTransfer) -> Result<(), TxError> {
        self.validate(tx).map(|_| ())
    }

    fn validate(&self, tx: &SignedTransfer) -> Result<(Account, Account), TxError> {
        let t = &tx.transfer;
        let sender = *self.accounts.get(&t.from).ok_or(TxError::UnknownSender(t.from))?;
        let recipient = *self.accounts.get(&t.to).ok_or(TxError::UnknownRecipient(t.to))?;
        if t.from == t.to {
            return Err(TxError::SelfTransfer(t.from));
        }
        if t.nonce != sender.nonce {
            return Err(TxError::WrongNonce {
                account: t.from,
                expected: sender.nonce,
                got: t.nonce,
            });
        }
        if sender.balance < t.amount {
            return Err(TxError::Overdraft {
                account: t.from,
                balance: sender.balance,
                amount: t.amount,
            });
        }
        if recipient.balance.checked_add(t.amount).is_none() {
            return Err(TxError::BalanceOverflow(t.to));
        }
        if !sender.public_key.verify(t.message(self.rollup_id), &tx.signature) {
            return Err(TxError::BadSignature(t.from));
        }
        Ok((sender, recipient))
    }

    /// Applies a transfer, returning what the circuit needs to prove it. The state is unchanged
    /// on error.
    pub fn apply(&mut self, tx: &SignedTransfer) -> Result<TransferWitness, TxError> {
        let (sender, recipient_before) = self.validate(tx)?;
        let t = &tx.transfer;
        let sender_path = self.tree.path(t.from);
        let sender_after =
            Account { balance: sender.balance - t.amount, nonce: sender.nonce + 1, ..sender };
        self.tree.set(t.from, sender_after.leaf());
        self.accounts.insert(t.from, sender_after);
        let recipient_path = self.tree.path(t.to);
        let recipient_after =
            Account { balance: recipient_before.balance + t.amount, ..recipient_before };
        self.tree.set(t.to, recipient_after.leaf());
        self.accounts.insert(t.to, recipient_after);
        Ok(TransferWitness {
            tx: *tx,
            sender,
            sender_path,
            recipient: recipient_before,
            recipient_path,
        })
    }

    /// Applies the next batch atomically: every transfer applies, or none does.
    pub fn apply_batch(&mut self, batch: &Batch) -> Result<BatchWitness, BatchError> {
        if batch.rollup_id != self.rollup_id {
            return Err(BatchError::WrongRollup { expected: self.rollup_id, got: batch.rollup_id });
        }
        if batch.index != self.next_batch {
            return Err(BatchError::OutOfOrder { expected: self.next_batch, got: batch.index });
        }
        let mut next = self.clone();
        let prev_root = self.root();
        let mut steps = Vec::with_capacity(batch.transfers.len());
        for (position, tx) in batch.transfers.iter().enumerate() {
            let step = next.apply(tx).map_err(|source| BatchError::Tx {
                batch: batch.index,
                position,
                source,
            })?;
            steps.push(step);
        }
        next.next_batch += 1;
        *self = next;
        Ok(BatchWitness {
            rollup_id: self.rollup_id,
            depth: self.depth(),
            prev_root,
            new_root: self.root(),
            commitment: batch.commitment(),
            steps,
        })
    }
}
