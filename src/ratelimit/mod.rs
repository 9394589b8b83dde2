//! Rate limits shared by every node through the cache, with a bounded in-process fallback for Redis outages.

mod config;
mod decision;
mod health;
mod logins;
mod policy;

use std::sync::Arc;
use std::time::Duration;

use empire_schema::cache::{Cache, CacheError, CacheResult, MemoryCache};

pub use config::{InvalidRateLimit, LimitConfig, RateLimitConfig};
pub use decision::{Decision, RATELIMIT, RATELIMIT_POLICY};
pub use health::{BACKEND_ERRORS, FALLBACK_DECISIONS, describe_metrics};
pub use logins::login_delay;
pub use policy::{Policy, ip_key, normalize_email};

use health::{Health, LogGate};

/// How long a failed store is left alone before the next request tries it again.
const RETRY_INTERVAL: Duration = Duration::from_secs(1);
const WARN_EVERY: Duration = Duration::from_secs(10);

/// Cheap to clone. Decides through the shared cache; while that fails (Redis down or slow) it
/// decides through a bounded in-process fallback instead, so requests keep being served and
/// limited, per node, rather than all refused or all allowed.
#[derive(Clone)]
pub struct RateLimiter {
    inner: Arc<Inner>,
}

struct Inner {
    shared: Cache,
    fallback: Cache,
    config: RateLimitConfig,
    health: Health,
    misconfigured: LogGate,
}

impl RateLimiter {
    pub fn new(cache: Cache, config: &RateLimitConfig) -> RateLimiter {
        RateLimiter::with_retry_interval(cache, config, RETRY_INTERVAL)
    }

    fn with_retry_interval(
        cache: Cache,
        config: &RateLimitConfig,
        retry_interval: Duration,
    ) -> RateLimiter {
        let fallback = MemoryCache::new(config.fallback_capacity);
        RateLimiter {
            inner: Arc::new(Inner {
                shared: cache,
                fallback: Cache::Memory(fallback),
                config: config.clone(),
                health: Health::new(retry_interval, WARN_EVERY),
                misconfigured: LogGate::new(WARN_EVERY),
            }),
        }
    }

    pub fn config(&self) -> &RateLimitConfig {
        &self.inner.config
    }

    /// Takes one request from `key`'s bucket under `policy`. `key` may be any text (a principal
    /// id, `ip_key(addr)`, `normalize_email(email)`); it is hashed before it reaches the store.
    pub async fn check(&self, policy: &Policy, key: &str) -> Decision {
        let key = policy.bucket_key(key);
        let (capacity, rate) = (policy.capacity, policy.refill_per_sec);
        let (result, degraded) = self
            .run("check", async |cache: &Cache| {
                cache.take_token(&key, capacity, rate, 1).await
            })
            .await;
        match result {
            Ok(state) => Decision::from_bucket(*policy, state, degraded),
            Err(error) => {
                // Only a policy no bucket can honour gets here; config validation should
                // have refused it, and refusing every request over it would be an outage.
                if let Some(suppressed) = self.inner.misconfigured.open() {
                    tracing::error!(
                        %error,
                        policy = policy.name,
                        suppressed,
                        "rate-limit policy is invalid; not limiting"
                    );
                }
                Decision::unlimited(*policy)
            }
        }
    }

    /// Runs `operation` on the shared cache unless it failed a moment ago; `None` when skipped
    /// or failed. The credential checks share this breaker, so a Redis that accepts connections
    /// but never answers costs one timeout per retry interval, not several per request.
    pub async fn on_shared<T>(
        &self,
        name: &'static str,
        operation: impl AsyncFn(&Cache) -> CacheResult<T>,
    ) -> Option<T> {
        let inner = &self.inner;
        if !inner.health.should_try() {
            inner.health.used_fallback(name);
            return None;
        }
        match operation(&inner.shared).await {
            Ok(value) => {
                inner.health.succeeded();
                Some(value)
            }
            Err(error) => {
                if matches!(error, CacheError::Unavailable(_)) {
                    inner.health.failed(name, &error);
                }
                None
            }
        }
    }

    /// Runs `operation` on the shared cache, or on the in-process fallback while the shared one
    /// fails: for what a node may keep to itself for a short while (cached credentials), so a
    /// slow Redis does not turn every request into a database lookup.
    pub async fn on_shared_or_local<T>(
        &self,
        name: &'static str,
        operation: impl AsyncFn(&Cache) -> CacheResult<T>,
    ) -> Option<T> {
        self.run(name, operation).await.0.ok()
    }

    /// Runs `operation` on the in-process fallback and on the shared cache (unless it failed a
    /// moment ago): for removals, which must reach whichever copy a later read would use.
    pub async fn on_shared_and_local(
        &self,
        name: &'static str,
        operation: impl AsyncFn(&Cache) -> CacheResult<()>,
    ) {
        let _ = operation(&self.inner.fallback).await;
        let _ = self.on_shared(name, operation).await;
    }

    /// Runs `operation` on the shared cache, or on the fallback when the shared cache fails or
    /// failed a moment ago. The flag says whether the fallback answered.
    async fn run<T>(
        &self,
        name: &'static str,
        operation: impl AsyncFn(&Cache) -> CacheResult<T>,
    ) -> (CacheResult<T>, bool) {
        let inner = &self.inner;
        if inner.health.should_try() {
            match operation(&inner.shared).await {
                Err(error @ CacheError::Unavailable(_)) => inner.health.failed(name, &error),
                result => {
                    inner.health.succeeded();
                    return (result, false);
                }
            }
        }
        inner.health.used_fallback(name);
        (operation(&inner.fallback).await, true)
    }
}

#[cfg(test)]
mod tests;
