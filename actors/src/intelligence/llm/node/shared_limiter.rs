//! Rate buckets shared by every node: each provider's request and token buckets live in the
//! cache (Redis when configured), refilled by one atomic script on the Redis clock.

use std::collections::BTreeMap;
use std::time::Duration;

use empire_schema::cache::Cache;
use futures::future::BoxFuture;

use crate::intelligence::llm::{Limits, RateLimiter};

/// A [`RateLimiter`] over the cache's token buckets.
pub struct CacheRateLimiter {
    cache: Cache,
    limits: BTreeMap<String, Limits>,
}

impl CacheRateLimiter {
    pub fn new(cache: Cache, limits: BTreeMap<String, Limits>) -> Self {
        CacheRateLimiter { cache, limits }
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

    /// Whole units left after taking `cost` (0 only looks); a cache failure admits, since the
    /// provider enforces its own limits and an outage of the cache must not stop all work.
    async fn take(
        &self,
        provider: &str,
        what: &str,
        capacity: u32,
        cost: u32,
    ) -> Result<u32, Duration> {
        let key = format!("llm:limit:{provider}:{what}");
        match self
            .cache
            .take_token(&key, capacity, f64::from(capacity) / 60.0, cost)
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

impl RateLimiter for CacheRateLimiter {
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

    fn limiter(requests_per_minute: u64, tokens_per_minute: u64) -> CacheRateLimiter {
        let limits = Limits {
            requests_per_minute,
            tokens_per_minute,
        };
        CacheRateLimiter::new(
            Cache::memory(100),
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
