//! What the aggregator knows about L1: rollups, committed and certified batches, and the
//! operator registry as a history of keys and stakes, so the operator set can be viewed at any
//! reference block. Built only from contract events (see `follower`), so every replica that
//! follows the same chain reaches the same state.

use crate::OperatorSetView;
use alloy_primitives::{Address, B256, U256};
use rampart_crypto::PublicKey;
use rampart_primitives::Checkpoint;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// A registered rollup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rollup {
    /// Operator set whose stake certifies it.
    pub operator_set_id: u32,
    /// Share of the set's stake that must sign (basis points).
    pub threshold_bps: u16,
}

/// A certificate accepted on L1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Certified {
    /// The certified checkpoint.
    pub checkpoint: Checkpoint,
    /// Its reference block.
    pub reference_block: u32,
    /// Signed stake.
    pub signed_stake: U256,
    /// Total stake at the reference block.
    pub total_stake: U256,
    /// Number of non-signers.
    pub non_signers: usize,
    /// Who submitted it.
    pub submitter: Address,
    /// Transaction.
    pub tx_hash: B256,
    /// Block.
    pub block: u64,
}

/// A committed batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batch {
    /// The batch's last L2 block (what operators attest).
    pub l2_block_number: u64,
    /// The batcher's commitment.
    pub commitment: B256,
    /// L1 block of the commit.
    pub commit_block: u64,
    /// The accepted certificate, once there is one.
    pub certified: Option<Certified>,
}

/// One change of an operator's standing in a set.
#[derive(Debug, Clone, Copy)]
struct StakeEntry {
    block: u64,
    stake: U256,
    registered: bool,
}

/// Keys, and per set each operator's stake history, from the registry's events.
#[derive(Debug, Default)]
pub struct RegistryIndex {
    keys: HashMap<Address, PublicKey>,
    history: HashMap<u32, HashMap<Address, Vec<StakeEntry>>>,
    /// Block of the latest change per set.
    changed: HashMap<u32, u64>,
    views: std::sync::Mutex<HashMap<(u32, u64), Arc<OperatorSetView>>>,
}

impl RegistryIndex {
    /// `KeyRegistered`.
    pub fn key_registered(&mut self, operator: Address, pubkey: PublicKey) {
        self.keys.insert(operator, pubkey);
    }

    /// `OperatorRegistered` / `StakeUpdated` / `OperatorDeregistered` at `block`.
    pub fn stake(
        &mut self,
        set: u32,
        operator: Address,
        block: u64,
        stake: U256,
        registered: bool,
    ) {
        let entries = self.history.entry(set).or_default().entry(operator).or_default();
        match entries.last_mut() {
            // Several changes in one block: the last one is the state at that block.
            Some(last) if last.block == block => *last = StakeEntry { block, stake, registered },
            _ => entries.push(StakeEntry { block, stake, registered }),
        }
        self.changed.insert(set, block);
        self.views.lock().expect("views lock").retain(|(s, b), _| *s != set || *b < block);
    }

    /// The operator's registered key (keys never change).
    pub fn key(&self, operator: &Address) -> Option<PublicKey> {
        self.keys.get(operator).copied()
    }

    /// The set as it was at `block` (changes made in `block` included, as on L1). Cached.
    pub fn view_at(&self, set: u32, block: u64) -> Arc<OperatorSetView> {
        let mut views = self.views.lock().expect("views lock");
        if let Some(view) = views.get(&(set, block)) {
            return view.clone();
        }
        let operators = self.history.get(&set).into_iter().flatten().filter_map(|(op, entries)| {
            let at = entries.iter().rev().find(|e| e.block <= block)?;
            let key = self.keys.get(op)?;
            (at.registered && !at.stake.is_zero()).then_some((*op, *key, at.stake))
        });
        let view = Arc::new(OperatorSetView::new(block as u32, operators.collect::<Vec<_>>()));
        if views.len() > 256 {
            views.clear();
        }
        views.insert((set, block), view.clone());
        view
    }
}

/// Everything learned from L1 up to `synced`.
#[derive(Debug, Default)]
pub struct ChainState {
    /// Last L1 block whose events are applied.
    pub synced: u64,
    /// Its hash (a different hash later means a reorg); zero before the first sync.
    pub synced_hash: B256,
    /// Registered rollups.
    pub rollups: HashMap<u64, Rollup>,
    /// Committed batches by `(rollup, batch)`.
    pub batches: BTreeMap<(u64, u64), Batch>,
    /// The registry.
    pub registry: RegistryIndex,
}

impl ChainState {
    /// Committed, uncertified batches, newest first, at most `limit`.
    pub fn uncertified(&self, limit: usize) -> Vec<((u64, u64), Batch)> {
        let mut out: Vec<_> = self
            .batches
            .iter()
            .filter(|(_, b)| b.certified.is_none())
            .map(|(k, b)| (*k, *b))
            .collect();
        out.sort_by_key(|(_, b)| std::cmp::Reverse(b.commit_block));
        out.truncate(limit);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_crypto::SecretKey;

    #[test]
    fn views_follow_the_history() {
        let mut index = RegistryIndex::default();
        let (a, b) = (Address::repeat_byte(1), Address::repeat_byte(2));
        let key = |s: u8| SecretKey::key_gen(&[s; 32]).unwrap().public_key();
        index.key_registered(a, key(1));
        index.key_registered(b, key(2));
        index.stake(1, a, 10, U256::from(5), true);
        assert_eq!(index.view_at(1, 9).len(), 0);
        assert_eq!(index.view_at(1, 10).total_stake, U256::from(5));
        index.stake(1, b, 12, U256::from(7), true);
        index.stake(1, a, 12, U256::from(6), true);
        index.stake(1, a, 12, U256::from(8), true); // same block: last wins
        assert_eq!(index.view_at(1, 11).total_stake, U256::from(5));
        assert_eq!(index.view_at(1, 12).total_stake, U256::from(15));
        index.stake(1, b, 20, U256::ZERO, false);
        assert_eq!(index.view_at(1, 19).len(), 2);
        let after = index.view_at(1, 20);
        assert_eq!((after.len(), after.total_stake), (1, U256::from(8)));
        assert_eq!(index.view_at(2, 20).len(), 0);
    }
}
