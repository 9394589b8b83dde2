//! The in-process cache: a map with per-entry expiry and a hard cap on entries.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

#[derive(Clone)]
pub struct MemoryCache {
    inner: Arc<Mutex<Entries>>,
}

struct Entries {
    map: HashMap<String, Entry>,
    capacity: usize,
}

struct Entry {
    value: String,
    expires_at: Instant,
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
            .map(|entry| entry.value.clone())
    }

    pub fn set(&self, key: &str, value: &str, ttl: Duration) {
        let expires_at = Instant::now() + ttl;
        self.lock().insert(key, value.to_owned(), expires_at);
    }

    pub fn delete(&self, key: &str) {
        self.lock().map.remove(key);
    }

    pub fn incr(&self, key: &str, window: Duration) -> i64 {
        let now = Instant::now();
        let mut entries = self.lock();
        let (count, expires_at) = match entries.map.get(key) {
            Some(entry) if entry.expires_at > now => (
                entry.value.parse::<i64>().unwrap_or(0) + 1,
                entry.expires_at,
            ),
            _ => (1, now + window),
        };
        entries.insert(key, count.to_string(), expires_at);
        count
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
    fn insert(&mut self, key: &str, value: String, expires_at: Instant) {
        if self.map.len() >= self.capacity && !self.map.contains_key(key) {
            self.make_room();
        }
        self.map.insert(key.to_owned(), Entry { value, expires_at });
    }

    /// Drops expired entries; when none had expired, drops the one closest to expiry.
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
}
