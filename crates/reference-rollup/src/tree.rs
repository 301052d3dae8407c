//! A sparse Merkle tree of fixed depth with Poseidon nodes: `node = Poseidon(left, right)`,
//! empty leaves are zero, and only non-empty subtrees are stored.

use crate::field::Fr;
use crate::poseidon::hash2;
use ark_ff::Zero;
use std::collections::HashMap;

/// Deepest tree supported (account indices are `u32`).
pub const MAX_DEPTH: usize = 32;

/// The tree.
#[derive(Debug, Clone)]
pub struct SparseMerkleTree {
    depth: usize,
    /// `empty[l]`: the root of an empty subtree of height `l`.
    empty: Vec<Fr>,
    /// Non-empty nodes by (height, index); height 0 holds the leaves.
    nodes: HashMap<(usize, u64), Fr>,
}

impl SparseMerkleTree {
    /// An empty tree of `depth` levels (`2^depth` leaves), `1 <= depth <= 32`.
    pub fn new(depth: usize) -> Self {
        assert!((1..=MAX_DEPTH).contains(&depth), "tree depth {depth} outside 1..=32");
        let mut empty = vec![Fr::zero()];
        for l in 0..depth {
            empty.push(hash2(empty[l], empty[l]));
        }
        Self { depth, empty, nodes: HashMap::new() }
    }

    /// Number of levels.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The root.
    pub fn root(&self) -> Fr {
        self.node(self.depth, 0)
    }

    fn node(&self, height: usize, index: u64) -> Fr {
        self.nodes.get(&(height, index)).copied().unwrap_or(self.empty[height])
    }

    /// The leaf at `index` (zero when empty).
    pub fn leaf(&self, index: u32) -> Fr {
        self.node(0, index.into())
    }

    /// The siblings from the leaf at `index` up to the root (`depth` of them).
    pub fn path(&self, index: u32) -> Vec<Fr> {
        let mut i = u64::from(index);
        (0..self.depth)
            .map(|h| {
                let sibling = self.node(h, i ^ 1);
                i >>= 1;
                sibling
            })
            .collect()
    }

    /// Sets the leaf at `index` and updates the path to the root.
    pub fn set(&mut self, index: u32, leaf: Fr) {
        assert!(u64::from(index) < 1u64 << self.depth, "leaf {index} outside the tree");
        let mut i = u64::from(index);
        let mut value = leaf;
        for h in 0..=self.depth {
            if value == self.empty[h] {
                self.nodes.remove(&(h, i));
            } else {
                self.nodes.insert((h, i), value);
            }
            if h == self.depth {
                break;
            }
            let sibling = self.node(h, i ^ 1);
            value = if i & 1 == 0 { hash2(value, sibling) } else { hash2(sibling, value) };
            i >>= 1;
        }
    }

    /// The root of a tree holding `leaf` at `index` with these siblings.
    pub fn root_from_path(leaf: Fr, index: u32, path: &[Fr]) -> Fr {
        let mut value = leaf;
        for (h, sibling) in path.iter().enumerate() {
            value =
                if (index >> h) & 1 == 0 { hash2(value, *sibling) } else { hash2(*sibling, value) };
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn empty_root_is_the_hash_chain_of_zeros() {
        let t = SparseMerkleTree::new(3);
        let mut z = Fr::zero();
        for _ in 0..3 {
            z = hash2(z, z);
        }
        assert_eq!(t.root(), z);
    }

    proptest! {
        #[test]
        fn paths_reproduce_the_root(
            writes in proptest::collection::vec((0u32..64, 0u64..5), 1..20),
            probe in 0u32..64,
        ) {
            let mut t = SparseMerkleTree::new(6);
            for (i, v) in &writes {
                t.set(*i, Fr::from(*v));
            }
            prop_assert_eq!(SparseMerkleTree::root_from_path(t.leaf(probe), probe, &t.path(probe)), t.root());
            // Clearing every leaf gives the empty tree back (empty nodes are not stored).
            for (i, _) in &writes {
                t.set(*i, Fr::zero());
            }
            prop_assert_eq!(t.root(), SparseMerkleTree::new(6).root());
            prop_assert!(t.nodes.is_empty());
        }
    }
}
