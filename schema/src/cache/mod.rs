//! A small cache and counter store shared by the front door: Redis (through bb8-redis) when
//! configured, so every node sees the same values; an in-process map otherwise.

mod bucket;
mod memory;
mod redis;

use std::time::Duration;

pub use bucket::{BucketState, MAX_FILL_TIME};
pub use memory::MemoryCache;
pub use redis::RedisCache;

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cache unavailable: {0}")]
    Unavailable(String),
    #[error("invalid cache url: {0}")]
    InvalidUrl(String),
    /// The caller asked for something no backend could do, e.g. a bucket that never refills.
    #[error("invalid cache request: {0}")]
    InvalidArgument(String),
}

pub type CacheResult<T> = Result<T, CacheError>;

/// Cheap to clone. Every key is prefixed with the namespace, so tests and clusters can share a Redis.
#[derive(Clone)]
pub enum Cache {
    Memory(MemoryCache),
    Redis(RedisCache),
}

/// Names the backend only: a Redis URL may hold a password.
impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cache({})", self.backend_name())
    }
}

impl Cache {
    pub fn memory(capacity: usize) -> Cache {
        Cache::Memory(MemoryCache::new(capacity))
    }

    /// Builds the Redis pool without connecting, so a node starts while Redis is down.
    pub fn redis(url: &str, namespace: &str, timeout: Duration) -> CacheResult<Cache> {
        Ok(Cache::Redis(RedisCache::new(url, namespace, timeout)?))
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Cache::Memory(_) => "memory",
            Cache::Redis(_) => "redis",
        }
    }

    pub async fn get(&self, key: &str) -> CacheResult<Option<String>> {
        match self {
            Cache::Memory(cache) => Ok(cache.get(key)),
            Cache::Redis(cache) => cache.get(key).await,
        }
    }

    pub async fn set(&self, key: &str, value: &str, ttl: Duration) -> CacheResult<()> {
        match self {
            Cache::Memory(cache) => {
                cache.set(key, value, ttl);
                Ok(())
            }
            Cache::Redis(cache) => cache.set(key, value, ttl).await,
        }
    }

    pub async fn delete(&self, key: &str) -> CacheResult<()> {
        match self {
            Cache::Memory(cache) => {
                cache.delete(key);
                Ok(())
            }
            Cache::Redis(cache) => cache.delete(key).await,
        }
    }

    /// Adds one to a counter that lives for `window` from its first increment; returns the new count.
    pub async fn incr(&self, key: &str, window: Duration) -> CacheResult<i64> {
        match self {
            Cache::Memory(cache) => Ok(cache.incr(key, window)),
            Cache::Redis(cache) => cache.incr(key, window).await,
        }
    }

    /// Takes `cost` tokens from the bucket at `key` (holding at most `capacity`, refilling
    /// `refill_per_sec`) if they are there; a cost of 0 only reads the bucket. In Redis the
    /// refill and take are one atomic script timed by the Redis clock, so every node shares
    /// the bucket whatever its own clock says.
    pub async fn take_token(
        &self,
        key: &str,
        capacity: u32,
        refill_per_sec: f64,
        cost: u32,
    ) -> CacheResult<BucketState> {
        match self {
            Cache::Memory(cache) => cache.take_token(key, capacity, refill_per_sec, cost),
            Cache::Redis(cache) => cache.take_token(key, capacity, refill_per_sec, cost).await,
        }
    }

    pub async fn ping(&self) -> CacheResult<()> {
        match self {
            Cache::Memory(_) => Ok(()),
            Cache::Redis(cache) => cache.ping().await,
        }
    }
}
