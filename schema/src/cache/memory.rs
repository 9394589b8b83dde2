//! The in-process cache: a map with per-entry expiry and a hard cap on entries.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::CacheResult;
use super::bucket::{BucketState, Take};

#[derive(Clone)]
pub struct MemoryCache {
    inner: Arc<Mutex<Entries>>,
}

struct Entries {
    map: HashMap<String, Entry>,
    capacity: usize,
}

struct Entry {
    value: Value,
    expires_at: Instant,
}

enum Value {
    Text(String),
    /// A token bucket expires when it would be full again, since a missing bucket counts as full.
    Bucket {
        tokens: f64,
        updated_at: Instant,
    },
}

impl MemoryCache {
    pub fn new(capacity: usize) -> MemoryCache {
        MemoryCache {
            inner: Arc::new(Mutex::new(Entries {
                map: HashMap::new(),
                capacity: capacity.max(1),
            })),
        }
    }

    pub fn get(&self, key: &str) -> Option<String> {
        let now = Instant::now();
        self.lock()
            .map
            .get(key)
            .filter(|entry| entry.expires_at > now)
            .and_then(|entry| match &entry.value {
                Value::Text(text) => Some(text.clone()),
                Value::Bucket { .. } => None,
            })
    }

    pub fn set(&self, key: &str, value: &str, ttl: Duration) {
        let expires_at = Instant::now() + ttl;
        self.lock()
            .insert(key, Value::Text(value.to_owned()), expires_at);
    }

    pub fn delete(&self, key: &str) {
        self.lock().map.remove(key);
    }

    pub fn incr(&self, key: &str, window: Duration) -> i64 {
        let now = Instant::now();
        let mut entries = self.lock();
        let (count, expires_at) = match entries.map.get(key) {
            Some(Entry {
                value: Value::Text(text),
                expires_at,
            }) if *expires_at > now => (text.parse::<i64>().unwrap_or(0) + 1, *expires_at),
            _ => (1, now + window),
        };
        entries.insert(key, Value::Text(count.to_string()), expires_at);
        count
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
        let mut entries = self.lock();
        let (tokens, elapsed) = match entries.map.get(key) {
            Some(Entry {
                value: Value::Bucket { tokens, updated_at },
                expires_at,
            }) if *expires_at > now => (*tokens, now.saturating_duration_since(*updated_at)),
            _ => (f64::from(capacity), Duration::ZERO),
        };
        let (tokens, state) = take.apply(tokens, elapsed);
        let bucket = Value::Bucket {
            tokens,
            updated_at: now,
        };
        entries.insert(key, bucket, now + state.reset_after);
        Ok(state)
    }

    pub fn len(&self) -> usize {
        self.lock().map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A panic while holding the lock cannot leave the map half-written, so poisoning is ignored.
    fn lock(&self) -> MutexGuard<'_, Entries> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Entries {
    fn insert(&mut self, key: &str, value: Value, expires_at: Instant) {
        if self.map.len() >= self.capacity && !self.map.contains_key(key) {
            self.make_room();
        }
        self.map.insert(key.to_owned(), Entry { value, expires_at });
    }

    /// Drops expired entries; when none had expired, drops the one closest to expiry
    /// (for a bucket, the one closest to full, whose loss forgives the least).
    fn make_room(&mut self) {
        let now = Instant::now();
        self.map.retain(|_, entry| entry.expires_at > now);
        if self.map.len() >= self.capacity {
            let soonest = self
                .map
                .iter()
                .min_by_key(|(_, entry)| entry.expires_at)
                .map(|(key, _)| key.clone());
            if let Some(key) = soonest {
                self.map.remove(&key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire() {
        let cache = MemoryCache::new(10);
        cache.set("a", "1", Duration::from_millis(0));
        cache.set("b", "2", Duration::from_secs(60));
        assert_eq!(cache.get("a"), None);
        assert_eq!(cache.get("b").as_deref(), Some("2"));
    }

    #[test]
    fn capacity_is_a_hard_cap() {
        let cache = MemoryCache::new(3);
        for i in 0..100 {
            cache.set(&format!("k{i}"), "v", Duration::from_secs(60 + i));
        }
        assert_eq!(cache.len(), 3);
        assert_eq!(cache.get("k99").as_deref(), Some("v"));
    }

    #[test]
    fn counters_reset_after_their_window() {
        let cache = MemoryCache::new(10);
        assert_eq!(cache.incr("c", Duration::from_secs(60)), 1);
        assert_eq!(cache.incr("c", Duration::from_secs(60)), 2);
        assert_eq!(cache.incr("d", Duration::from_millis(0)), 1);
        assert_eq!(cache.incr("d", Duration::from_millis(0)), 1);
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
    fn buckets_are_separate_and_text_reads_skip_them() {
        let cache = MemoryCache::new(10);
        assert!(cache.take_token("x", 1, 0.01, 1).unwrap().allowed);
        assert!(!cache.take_token("x", 1, 0.01, 1).unwrap().allowed);
        assert!(cache.take_token("y", 1, 0.01, 1).unwrap().allowed);
        assert_eq!(cache.get("x"), None);
        assert_eq!(cache.incr("x", Duration::from_secs(60)), 1);
    }

    #[test]
    fn buckets_count_against_the_cap() {
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
