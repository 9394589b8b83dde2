//! A hash map keyed by node index with a multiplicative hasher: queries fill such maps with
//! thousands of small integer keys, where SipHash's resistance to chosen keys buys nothing
//! (petgraph assigns the indices, not the caller).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use petgraph::stable_graph::NodeIndex;

pub(super) type IndexMap<V> = HashMap<NodeIndex, V, BuildHasherDefault<IndexHasher>>;

/// The Fibonacci-hashing constant (2^64 / φ), as FxHash uses it.
const SPREAD: u64 = 0x9e37_79b9_7f4a_7c15;

#[derive(Debug, Default, Clone, Copy)]
pub(super) struct IndexHasher(u64);

impl Hasher for IndexHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(SPREAD);
    }
}
