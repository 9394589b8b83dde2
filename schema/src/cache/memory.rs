//! The in-process cache: per-entry expiry, and one shard per [`Space`] with its own lock and
//! its own cap, so that one kind of entry never pushes out another.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::bucket::{BucketState, Take};
use super::shard::{Entry, Shard, Value};
use super::{CacheResult, Space};

#[derive(Clone)]
pub struct MemoryCache {
    shards: Arc<[Mutex<Shard>; Space::ALL.len()]>,
}

impl MemoryCache {
    /// Each space holds up to `capacity` entries.
    pub fn new(capacity: usize) -> MemoryCache {
        MemoryCache {
            shards: Arc::new(Space::ALL.map(|space| {
                // A revocation dropped early would bring a logged-out token back to life.
                Mutex::new(Shard::new(capacity, space != Space::Revocations))
            })),
        }
    }

    pub fn get(&self, space: Space, key: &str) -> Option<String> {
        let now = Instant::now();
        self.lock(space)
            .live(key, now)
            .and_then(|entry| match &entry.value {
                Value::Text(text) => Some(text.clone()),
                Value::Bucket { .. } => None,
            })
    }

    /// Fails only when `space` keeps its entries until they expire and is full of them.
    pub fn set(&self, space: Space, key: &str, value: &str, ttl: Duration) -> CacheResult<()> {
        let expires_at = Instant::now() + ttl;
        self.lock(space)
            .insert(key, Value::Text(value.to_owned()), expires_at)
    }

    pub fn delete(&self, space: Space, key: &str) {
        self.lock(space).remove(key);
    }

    pub fn incr(&self, space: Space, key: &str, window: Duration) -> CacheResult<i64> {
        let now = Instant::now();
        let mut shard = self.lock(space);
        let (count, expires_at) = match shard.live(key, now) {
            Some(Entry {
                value: Value::Text(text),
                expires_at,
            }) => (text.parse::<i64>().unwrap_or(0) + 1, *expires_at),
            _ => (1, now + window),
        };
        shard.insert(key, Value::Text(count.to_string()), expires_at)?;
        Ok(count)
    }

    /// Refills the bucket at `key` for the time since its last take, then takes `cost` tokens
    /// if they are there. Fails only on arguments no bucket could honour.
    pub fn take_token(
        &self,
        key: &str,
        capacity: u32,
        refill_per_sec: f64,
        cost: u32,
    ) -> CacheResult<BucketState> {
        let take = Take::new(capacity, refill_per_sec, cost)?;
        let now = Instant::now();
        let mut shard = self.lock(Space::Buckets);
        let (tokens, elapsed) = match shard.live(key, now) {
            Some(Entry {
                value: Value::Bucket { tokens, updated_at },
                ..
            }) => (*tokens, now.saturating_duration_since(*updated_at)),
            _ => (f64::from(capacity), Duration::ZERO),
        };
        let (tokens, state) = take.apply(tokens, elapsed);
        let bucket = Value::Bucket {
            tokens,
            updated_at: now,
        };
        shard.insert(key, bucket, now + state.reset_after)?;
        Ok(state)
    }

    /// Entries held, expired ones not yet dropped included, in every space.
    pub fn len(&self) -> usize {
        Space::ALL.iter().map(|space| self.lock(*space).len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A panic while holding a lock cannot leave a shard half-written, so poisoning is ignored.
    fn lock(&self, space: Space) -> MutexGuard<'_, Shard> {
        self.shards[space as usize]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::CacheError;

    const C: Space = Space::Credentials;

    #[test]
    fn entries_expire() {
        let cache = MemoryCache::new(10);
        cache.set(C, "a", "1", Duration::from_millis(0)).unwrap();
        cache.set(C, "b", "2", Duration::from_secs(60)).unwrap();
        assert_eq!(cache.get(C, "a"), None);
        assert_eq!(cache.get(C, "b").as_deref(), Some("2"));
    }

    #[test]
    fn capacity_is_a_hard_cap() {
        let cache = MemoryCache::new(3);
        for i in 0..100 {
            cache
                .set(C, &format!("k{i}"), "v", Duration::from_secs(60 + i))
                .unwrap();
        }
        assert_eq!(cache.len(), 3);
        assert_eq!(cache.get(C, "k99").as_deref(), Some("v"));
        // The ones dropped were those closest to expiry.
        assert_eq!(cache.get(C, "k96"), None);
        assert_eq!(cache.get(C, "k97").as_deref(), Some("v"));
    }

    #[test]
    fn a_rewritten_entry_is_indexed_once() {
        let cache = MemoryCache::new(2);
        for ttl in [60, 10, 90] {
            cache.set(C, "a", "v", Duration::from_secs(ttl)).unwrap();
        }
        cache.set(C, "b", "v", Duration::from_secs(30)).unwrap();
        cache.set(C, "c", "v", Duration::from_secs(120)).unwrap();
        // `a` now expires after `b`: `b` made room, not a stale index entry of `a`.
        assert_eq!(cache.get(C, "a").as_deref(), Some("v"));
        assert_eq!(cache.get(C, "b"), None);
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn filling_rate_buckets_never_evicts_a_revocation() {
        let cache = MemoryCache::new(3);
        // The revocation expires well before the buckets would refill: under one shared cap
        // it was the first to go.
        cache
            .set(Space::Revocations, "jti", "1", Duration::from_secs(60))
            .unwrap();
        cache
            .incr(Space::Logins, "failures", Duration::from_secs(60))
            .unwrap();
        for i in 0..1_000 {
            cache
                .take_token(&format!("client-{i}"), 10, 0.01, 1)
                .unwrap();
            cache
                .set(C, &format!("key-{i}"), "v", Duration::from_secs(3600))
                .unwrap();
        }
        assert_eq!(cache.get(Space::Revocations, "jti").as_deref(), Some("1"));
        assert_eq!(
            cache
                .incr(Space::Logins, "failures", Duration::from_secs(60))
                .unwrap(),
            2
        );
        assert_eq!(cache.len(), 3 + 3 + 2);
    }

    #[test]
    fn a_full_revocation_space_refuses_rather_than_forgets() {
        let cache = MemoryCache::new(2);
        let r = Space::Revocations;
        cache.set(r, "a", "1", Duration::from_secs(60)).unwrap();
        cache.set(r, "b", "1", Duration::from_secs(60)).unwrap();
        assert!(matches!(
            cache.set(r, "c", "1", Duration::from_secs(60)),
            Err(CacheError::Full(2))
        ));
        assert_eq!(cache.get(r, "a").as_deref(), Some("1"));
        assert_eq!(cache.get(r, "b").as_deref(), Some("1"));
        // An expired revocation makes room.
        cache.set(r, "a", "1", Duration::from_millis(0)).unwrap();
        cache.set(r, "c", "1", Duration::from_secs(60)).unwrap();
        assert_eq!(cache.get(r, "c").as_deref(), Some("1"));
    }

    #[test]
    fn counters_reset_after_their_window() {
        let cache = MemoryCache::new(10);
        let l = Space::Logins;
        assert_eq!(cache.incr(l, "c", Duration::from_secs(60)).unwrap(), 1);
        assert_eq!(cache.incr(l, "c", Duration::from_secs(60)).unwrap(), 2);
        assert_eq!(cache.incr(l, "d", Duration::from_millis(0)).unwrap(), 1);
        assert_eq!(cache.incr(l, "d", Duration::from_millis(0)).unwrap(), 1);
    }

    #[test]
    fn a_bucket_allows_its_burst_then_refills() {
        let cache = MemoryCache::new(10);
        // 50 tokens a second: one every 20 ms.
        for left in (0..3).rev() {
            let state = cache.take_token("b", 3, 50.0, 1).unwrap();
            assert!(state.allowed);
            assert_eq!(state.remaining, left);
        }
        let denied = cache.take_token("b", 3, 50.0, 1).unwrap();
        assert!(!denied.allowed);
        assert!(denied.retry_after > Duration::ZERO);
        assert!(denied.retry_after <= Duration::from_millis(20));
        assert!(denied.reset_after >= denied.retry_after);

        std::thread::sleep(denied.retry_after + Duration::from_millis(5));
        assert!(cache.take_token("b", 3, 50.0, 1).unwrap().allowed);
    }

    #[test]
    fn buckets_are_separate_from_text() {
        let cache = MemoryCache::new(10);
        assert!(cache.take_token("x", 1, 0.01, 1).unwrap().allowed);
        assert!(!cache.take_token("x", 1, 0.01, 1).unwrap().allowed);
        assert!(cache.take_token("y", 1, 0.01, 1).unwrap().allowed);
        assert_eq!(cache.get(Space::Buckets, "x"), None);
        assert_eq!(cache.get(C, "x"), None);
    }

    #[test]
    fn buckets_count_against_their_cap() {
        let cache = MemoryCache::new(5);
        for i in 0..50 {
            cache.take_token(&format!("b{i}"), 10, 0.01, 1).unwrap();
        }
        assert_eq!(cache.len(), 5);
    }

    #[test]
    fn a_full_bucket_is_forgotten() {
        let cache = MemoryCache::new(5);
        let state = cache.take_token("f", 2, 1000.0, 1).unwrap();
        std::thread::sleep(state.reset_after + Duration::from_millis(5));
        assert_eq!(cache.take_token("f", 2, 1000.0, 0).unwrap().remaining, 2);
    }
}
