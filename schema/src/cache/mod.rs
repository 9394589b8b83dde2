//! A small cache and counter store shared by the front door: Redis (through bb8-redis) when
//! configured, so every node sees the same values; an in-process map otherwise.

mod bucket;
mod memory;
mod redis;
mod shard;

use std::time::Duration;

pub use bucket::{BucketState, MAX_FILL_TIME, Take};
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
    /// An in-process space that keeps its entries until they expire holds this many already.
    #[error("the in-process cache space is full ({0} unexpired entries)")]
    Full(usize),
}

/// What kind of entry a key holds. In-process, each space has its own capacity and lock, so a
/// flood of one kind (rate buckets for forged clients) cannot push out another (revocations);
/// Redis keeps every key until it expires and ignores the space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Space {
    /// Revoked token ids: never dropped before they expire, refused when the space is full.
    Revocations = 0,
    /// Failed-login counters and waits.
    Logins = 1,
    /// Cached credentials and permissions: a dropped one is read again from the database.
    Credentials = 2,
    /// Token buckets (`take_token`).
    Buckets = 3,
}

impl Space {
    pub const ALL: [Space; 4] = [
        Space::Revocations,
        Space::Logins,
        Space::Credentials,
        Space::Buckets,
    ];
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
    /// An in-process cache holding up to `capacity` entries in each [`Space`].
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

    pub async fn get(&self, space: Space, key: &str) -> CacheResult<Option<String>> {
        match self {
            Cache::Memory(cache) => Ok(cache.get(space, key)),
            Cache::Redis(cache) => cache.get(key).await,
        }
    }

    /// In-process, fails with `Full` when `space` keeps its entries until they expire and
    /// is full of them.
    pub async fn set(
        &self,
        space: Space,
        key: &str,
        value: &str,
        ttl: Duration,
    ) -> CacheResult<()> {
        match self {
            Cache::Memory(cache) => cache.set(space, key, value, ttl),
            Cache::Redis(cache) => cache.set(key, value, ttl).await,
        }
    }

    pub async fn delete(&self, space: Space, key: &str) -> CacheResult<()> {
        match self {
            Cache::Memory(cache) => {
                cache.delete(space, key);
                Ok(())
            }
            Cache::Redis(cache) => cache.delete(key).await,
        }
    }

    /// Adds one to a counter that lives for `window` from its first increment; returns the new count.
    pub async fn incr(&self, space: Space, key: &str, window: Duration) -> CacheResult<i64> {
        match self {
            Cache::Memory(cache) => cache.incr(space, key, window),
            Cache::Redis(cache) => cache.incr(key, window).await,
        }
    }

    /// Takes `cost` tokens from the bucket at `key` (in [`Space::Buckets`]) (holding at most `capacity`, refilling
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
