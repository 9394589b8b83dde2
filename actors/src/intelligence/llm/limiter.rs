//! Per-provider request and token buckets. The in-process limiter is the embedded default; a
//! cluster-wide backend implements the same [`RateLimiter`] trait.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;

/// Admits calls to a provider. `Err(wait)` says how long until the call would fit; nothing is
/// taken from the buckets in that case.
pub trait RateLimiter: Send + Sync {
    fn acquire<'a>(&'a self, provider: &'a str, tokens: u64)
    -> BoxFuture<'a, Result<(), Duration>>;
}

/// A bucket of `capacity` units refilled evenly over a minute.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    capacity: f64,
    available: f64,
    updated: Instant,
}

impl TokenBucket {
    /// A full bucket allowing `per_minute` units a minute.
    pub fn per_minute(per_minute: u64, now: Instant) -> Self {
        let capacity = per_minute as f64;
        TokenBucket {
            capacity,
            available: capacity,
            updated: now,
        }
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.available = (self.available + elapsed * self.capacity / 60.0).min(self.capacity);
        self.updated = now;
    }

    /// How long until `amount` units are available (zero when they are now). A demand larger
    /// than the bucket is treated as a full bucket, so it waits once instead of forever.
    pub fn wait_for(&mut self, amount: u64, now: Instant) -> Duration {
        self.refill(now);
        let needed = (amount as f64).min(self.capacity) - self.available;
        if needed <= 0.0 || self.capacity <= 0.0 {
            return Duration::ZERO;
        }
        Duration::from_secs_f64(needed * 60.0 / self.capacity)
    }

    /// Takes `amount` units; call after [`TokenBucket::wait_for`] returned zero.
    pub fn take(&mut self, amount: u64) {
        self.available = (self.available - (amount as f64).min(self.capacity)).max(0.0);
    }
}

/// Request and token limits of one provider; 0 means no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub requests_per_minute: u64,
    pub tokens_per_minute: u64,
}

#[derive(Debug)]
struct ProviderBuckets {
    requests: Option<TokenBucket>,
    tokens: Option<TokenBucket>,
}

/// The in-process limiter: one request bucket and one token bucket per provider.
#[derive(Debug, Default)]
pub struct LocalRateLimiter {
    buckets: Mutex<BTreeMap<String, ProviderBuckets>>,
}

impl LocalRateLimiter {
    pub fn new(limits: BTreeMap<String, Limits>) -> Self {
        let now = Instant::now();
        let bucket =
            |per_minute: u64| (per_minute > 0).then(|| TokenBucket::per_minute(per_minute, now));
        let buckets = limits
            .into_iter()
            .map(|(name, limits)| {
                let buckets = ProviderBuckets {
                    requests: bucket(limits.requests_per_minute),
                    tokens: bucket(limits.tokens_per_minute),
                };
                (name, buckets)
            })
            .collect();
        LocalRateLimiter {
            buckets: Mutex::new(buckets),
        }
    }

    /// Admits one request of `tokens` at `now`, taking from both buckets only if both allow it.
    /// Providers without limits are always admitted.
    pub fn acquire_at(&self, provider: &str, tokens: u64, now: Instant) -> Result<(), Duration> {
        let mut all = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(buckets) = all.get_mut(provider) else {
            return Ok(());
        };
        let request_wait = buckets
            .requests
            .as_mut()
            .map_or(Duration::ZERO, |b| b.wait_for(1, now));
        let token_wait = buckets
            .tokens
            .as_mut()
            .map_or(Duration::ZERO, |b| b.wait_for(tokens, now));
        let wait = request_wait.max(token_wait);
        if !wait.is_zero() {
            return Err(wait);
        }
        if let Some(bucket) = buckets.requests.as_mut() {
            bucket.take(1);
        }
        if let Some(bucket) = buckets.tokens.as_mut() {
            bucket.take(tokens);
        }
        Ok(())
    }
}

impl RateLimiter for LocalRateLimiter {
    fn acquire<'a>(
        &'a self,
        provider: &'a str,
        tokens: u64,
    ) -> BoxFuture<'a, Result<(), Duration>> {
        let result = self.acquire_at(provider, tokens, Instant::now());
        Box::pin(std::future::ready(result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(requests_per_minute: u64, tokens_per_minute: u64) -> LocalRateLimiter {
        let limits = Limits {
            requests_per_minute,
            tokens_per_minute,
        };
        LocalRateLimiter::new(BTreeMap::from([("openai".to_owned(), limits)]))
    }

    #[test]
    fn requests_beyond_the_minute_wait_for_the_refill() {
        let limiter = limiter(2, 0);
        let now = Instant::now();
        assert_eq!(limiter.acquire_at("openai", 10, now), Ok(()));
        assert_eq!(limiter.acquire_at("openai", 10, now), Ok(()));
        // Two a minute refill one every 30 s.
        let wait = limiter.acquire_at("openai", 10, now).unwrap_err();
        assert!(
            wait > Duration::from_secs(29) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert_eq!(
            limiter.acquire_at("openai", 10, now + Duration::from_secs(30)),
            Ok(())
        );
    }

    #[test]
    fn a_refused_call_takes_nothing_from_either_bucket() {
        let limiter = limiter(100, 1000);
        let now = Instant::now();
        assert_eq!(limiter.acquire_at("openai", 900, now), Ok(()));
        // 200 tokens needed, 100 left: the token bucket refuses, the request bucket keeps its unit.
        let wait = limiter.acquire_at("openai", 200, now).unwrap_err();
        assert!(
            wait > Duration::from_secs(5) && wait <= Duration::from_secs(6),
            "{wait:?}"
        );
        assert_eq!(limiter.acquire_at("openai", 100, now), Ok(()));
    }

    #[test]
    fn unknown_or_unlimited_providers_pass_and_huge_demands_wait_only_for_a_full_bucket() {
        let limiter = limiter(0, 1000);
        let now = Instant::now();
        assert_eq!(limiter.acquire_at("elsewhere", u64::MAX, now), Ok(()));
        assert_eq!(limiter.acquire_at("openai", 50_000, now), Ok(()));
        let wait = limiter.acquire_at("openai", 50_000, now).unwrap_err();
        assert!(wait <= Duration::from_secs(60), "{wait:?}");
    }

    #[tokio::test]
    async fn the_trait_answers_like_acquire_at() {
        let limiter = limiter(1, 0);
        let shared: &dyn RateLimiter = &limiter;
        assert_eq!(shared.acquire("openai", 1).await, Ok(()));
        assert!(shared.acquire("openai", 1).await.is_err());
    }
}
