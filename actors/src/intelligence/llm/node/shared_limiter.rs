//! Rate buckets shared by every node: each provider's request and token buckets live in Redis
//! when it is configured (refilled by one atomic script on the Redis clock), else in the
//! database's `rate_buckets` (one transaction per take).

use std::collections::BTreeMap;
use std::time::Duration;

use empire_schema::Db;
use empire_schema::cache::{BucketState, Cache, Take};
use empire_schema::models::RateBucket;
use futures::future::BoxFuture;

use crate::intelligence::llm::{Limits, RateLimiter};

/// Where the buckets are kept.
pub enum BucketStore {
    Cache(Cache),
    Database(Db),
}

impl BucketStore {
    async fn take(
        &self,
        key: &str,
        capacity: u32,
        refill_per_sec: f64,
        cost: u32,
    ) -> Result<BucketState, String> {
        match self {
            BucketStore::Cache(cache) => cache
                .take_token(key, capacity, refill_per_sec, cost)
                .await
                .map_err(|error| error.to_string()),
            BucketStore::Database(db) => {
                let take =
                    Take::new(capacity, refill_per_sec, cost).map_err(|error| error.to_string())?;
                RateBucket::take(db, key, take)
                    .await
                    .map_err(|error| error.to_string())
            }
        }
    }
}

/// A [`RateLimiter`] over shared token buckets.
pub struct SharedRateLimiter {
    store: BucketStore,
    limits: BTreeMap<String, Limits>,
}

impl SharedRateLimiter {
    pub fn new(store: BucketStore, limits: BTreeMap<String, Limits>) -> Self {
        SharedRateLimiter { store, limits }
    }

    async fn admit(&self, provider: &str, tokens: u64) -> Result<(), Duration> {
        let Some(limits) = self.limits.get(provider) else {
            return Ok(());
        };
        let requests = bucket(limits.requests_per_minute);
        let token_bucket = bucket(limits.tokens_per_minute);
        // Look first so that a token refusal takes no request: the script takes from one key.
        if let Some(capacity) = token_bucket {
            let cost = clamp(tokens, capacity);
            let state = self.take(provider, "tokens", capacity, 0).await?;
            if state < cost {
                let missing = f64::from(cost - state);
                return Err(Duration::from_secs_f64(
                    missing * 60.0 / f64::from(capacity),
                ));
            }
        }
        if let Some(capacity) = requests {
            self.take_or_wait(provider, "requests", capacity, 1).await?;
        }
        if let Some(capacity) = token_bucket {
            self.take_or_wait(provider, "tokens", capacity, clamp(tokens, capacity))
                .await?;
        }
        Ok(())
    }

    /// Whole units left after taking `cost` (0 only looks); a store failure admits, since the
    /// provider enforces its own limits and an outage of the store must not stop all work.
    async fn take(
        &self,
        provider: &str,
        what: &str,
        capacity: u32,
        cost: u32,
    ) -> Result<u32, Duration> {
        let key = format!("llm:limit:{provider}:{what}");
        match self
            .store
            .take(&key, capacity, f64::from(capacity) / 60.0, cost)
            .await
        {
            Ok(state) if state.allowed => Ok(state.remaining),
            Ok(state) => Err(state.retry_after),
            Err(error) => {
                tracing::warn!(%error, provider, "shared rate limiter unavailable; call admitted");
                Ok(u32::MAX)
            }
        }
    }

    async fn take_or_wait(
        &self,
        provider: &str,
        what: &str,
        capacity: u32,
        cost: u32,
    ) -> Result<(), Duration> {
        self.take(provider, what, capacity, cost).await.map(drop)
    }
}

fn bucket(per_minute: u64) -> Option<u32> {
    (per_minute > 0).then(|| u32::try_from(per_minute).unwrap_or(u32::MAX))
}

/// A demand above the bucket waits for a full bucket instead of forever.
fn clamp(tokens: u64, capacity: u32) -> u32 {
    u32::try_from(tokens).unwrap_or(u32::MAX).min(capacity)
}

impl RateLimiter for SharedRateLimiter {
    fn acquire<'a>(
        &'a self,
        provider: &'a str,
        tokens: u64,
    ) -> BoxFuture<'a, Result<(), Duration>> {
        Box::pin(self.admit(provider, tokens))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(requests_per_minute: u64, tokens_per_minute: u64) -> SharedRateLimiter {
        let limits = Limits {
            requests_per_minute,
            tokens_per_minute,
        };
        SharedRateLimiter::new(
            BucketStore::Cache(Cache::memory(100)),
            BTreeMap::from([("openai".to_owned(), limits)]),
        )
    }

    #[tokio::test]
    async fn requests_beyond_the_bucket_wait() {
        let limiter = limiter(2, 0);
        assert_eq!(limiter.acquire("openai", 10).await, Ok(()));
        assert_eq!(limiter.acquire("openai", 10).await, Ok(()));
        let wait = limiter.acquire("openai", 10).await.unwrap_err();
        assert!(wait > Duration::from_secs(20), "{wait:?}");
        assert_eq!(limiter.acquire("elsewhere", 10).await, Ok(()));
    }

    #[tokio::test]
    async fn a_token_refusal_takes_no_request() {
        let limiter = limiter(2, 1000);
        assert_eq!(limiter.acquire("openai", 900).await, Ok(()));
        assert!(limiter.acquire("openai", 500).await.is_err());
        // The refused call left the second request unit in its bucket.
        assert_eq!(limiter.acquire("openai", 50).await, Ok(()));
    }
}
