//! One space of the in-process cache: its entries, an index of them by expiry so that making
//! room never scans the whole map, and its own capacity.

use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

use super::{CacheError, CacheResult};

pub(super) struct Shard {
    map: HashMap<String, Entry>,
    /// Every entry as (expiry, key): the first is the next to expire.
    by_expiry: BTreeSet<(Instant, String)>,
    capacity: usize,
    /// Whether an unexpired entry may be dropped to make room; when not, a full shard refuses.
    evict_early: bool,
}

pub(super) struct Entry {
    pub value: Value,
    pub expires_at: Instant,
}

pub(super) enum Value {
    Text(String),
    /// A token bucket expires when it would be full again, since a missing bucket counts as full.
    Bucket {
        tokens: f64,
        updated_at: Instant,
    },
}

impl Shard {
    pub fn new(capacity: usize, evict_early: bool) -> Shard {
        Shard {
            map: HashMap::new(),
            by_expiry: BTreeSet::new(),
            capacity: capacity.max(1),
            evict_early,
        }
    }

    /// The entry at `key` unless it has expired.
    pub fn live(&self, key: &str, now: Instant) -> Option<&Entry> {
        self.map.get(key).filter(|entry| entry.expires_at > now)
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn insert(&mut self, key: &str, value: Value, expires_at: Instant) -> CacheResult<()> {
        if !self.map.contains_key(key) && self.map.len() >= self.capacity {
            self.make_room()?;
        }
        if let Some(old) = self.map.insert(key.to_owned(), Entry { value, expires_at }) {
            self.by_expiry.remove(&(old.expires_at, key.to_owned()));
        }
        self.by_expiry.insert((expires_at, key.to_owned()));
        Ok(())
    }

    pub fn remove(&mut self, key: &str) {
        if let Some(old) = self.map.remove(key) {
            self.by_expiry.remove(&(old.expires_at, key.to_owned()));
        }
    }

    /// Drops what has expired, from the front of the index; when nothing had, drops the entry
    /// closest to expiry (for a bucket, the one closest to full, whose loss forgives the least)
    /// if this space allows it.
    fn make_room(&mut self) -> CacheResult<()> {
        let now = Instant::now();
        while let Some((expires_at, _)) = self.by_expiry.first() {
            if *expires_at > now {
                break;
            }
            if let Some((_, expired)) = self.by_expiry.pop_first() {
                self.map.remove(&expired);
            }
        }
        if self.map.len() < self.capacity {
            return Ok(());
        }
        if !self.evict_early {
            return Err(CacheError::Full(self.capacity));
        }
        if let Some((_, soonest)) = self.by_expiry.pop_first() {
            self.map.remove(&soonest);
        }
        Ok(())
    }
}
