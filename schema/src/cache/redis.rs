//! The Redis cache over a bb8 pool, with a short connection timeout so an outage fails fast.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bb8_redis::RedisConnectionManager;
use bb8_redis::bb8::Pool;
use bb8_redis::redis::aio::MultiplexedConnection;
use bb8_redis::redis::{self, AsyncCommands, ErrorKind, ServerErrorKind};

use super::bucket::{BucketState, Take};
use super::{CacheError, CacheResult};

const BUCKET_SCRIPT: &str = include_str!("bucket.lua");

#[derive(Clone)]
pub struct RedisCache {
    pool: Pool<RedisConnectionManager>,
    namespace: String,
    timeout: Duration,
    /// The SHA1 Redis reported for `BUCKET_SCRIPT`, so later calls send the hash, not the script.
    bucket_sha: Arc<OnceLock<String>>,
}

const POOL_SIZE: u32 = 16;

impl RedisCache {
    pub fn new(url: &str, namespace: &str, timeout: Duration) -> CacheResult<RedisCache> {
        let manager = RedisConnectionManager::new(url)
            .map_err(|error| CacheError::InvalidUrl(error.to_string()))?;
        let pool = Pool::builder()
            .max_size(POOL_SIZE)
            .connection_timeout(timeout)
            .retry_connection(false)
            .build_unchecked(manager);
        Ok(RedisCache {
            pool,
            namespace: namespace.to_owned(),
            timeout,
            bucket_sha: Arc::new(OnceLock::new()),
        })
    }

    pub async fn get(&self, key: &str) -> CacheResult<Option<String>> {
        let mut conn = self.conn().await?;
        self.bounded(conn.get(self.key(key))).await
    }

    pub async fn set(&self, key: &str, value: &str, ttl: Duration) -> CacheResult<()> {
        let mut conn = self.conn().await?;
        let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        self.bounded(conn.pset_ex(self.key(key), value, ttl_ms))
            .await
    }

    pub async fn delete(&self, key: &str) -> CacheResult<()> {
        let mut conn = self.conn().await?;
        self.bounded(conn.del(self.key(key))).await
    }

    pub async fn incr(&self, key: &str, window: Duration) -> CacheResult<i64> {
        let mut conn = self.conn().await?;
        let key = self.key(key);
        let window_ms = u64::try_from(window.as_millis()).unwrap_or(u64::MAX).max(1);
        // NX keeps the expiry of the first increment, so the window does not slide.
        let mut pipe = redis::pipe();
        pipe.atomic()
            .incr(&key, 1)
            .cmd("PEXPIRE")
            .arg(&key)
            .arg(window_ms)
            .arg("NX")
            .ignore();
        let (count,): (i64,) = self.bounded(pipe.query_async(&mut *conn)).await?;
        Ok(count)
    }

    pub async fn take_token(
        &self,
        key: &str,
        capacity: u32,
        refill_per_sec: f64,
        cost: u32,
    ) -> CacheResult<BucketState> {
        let take = Take::new(capacity, refill_per_sec, cost)?;
        let mut conn = self.conn().await?;
        let key = self.key(key);
        let reply = self
            .bounded(self.run_bucket(&mut conn, &key, &take))
            .await?;
        Ok(bucket_state(reply))
    }

    /// EVALSHA, learning the hash from SCRIPT LOAD the first time; EVAL when Redis has
    /// forgotten the script (a restart or SCRIPT FLUSH), which also loads it again.
    async fn run_bucket(
        &self,
        conn: &mut MultiplexedConnection,
        key: &str,
        take: &Take,
    ) -> redis::RedisResult<BucketReply> {
        let sha = match self.bucket_sha.get() {
            Some(sha) => sha.clone(),
            None => {
                let sha: String = redis::cmd("SCRIPT")
                    .arg("LOAD")
                    .arg(BUCKET_SCRIPT)
                    .query_async(conn)
                    .await?;
                self.bucket_sha.get_or_init(|| sha).clone()
            }
        };
        let args = (take.capacity, take.refill_per_sec, take.cost);
        let reply = redis::cmd("EVALSHA")
            .arg(&sha)
            .arg(1)
            .arg(key)
            .arg(args)
            .query_async(conn)
            .await;
        match reply {
            Err(error) if error.kind() == ErrorKind::Server(ServerErrorKind::NoScript) => {
                redis::cmd("EVAL")
                    .arg(BUCKET_SCRIPT)
                    .arg(1)
                    .arg(key)
                    .arg(args)
                    .query_async(conn)
                    .await
            }
            other => other,
        }
    }

    pub async fn ping(&self) -> CacheResult<()> {
        let mut conn = self.conn().await?;
        let _pong: String = self
            .bounded(redis::cmd("PING").query_async(&mut *conn))
            .await?;
        Ok(())
    }

    /// A command that hangs (a silent network, a stuck server) fails after the timeout.
    async fn bounded<T>(
        &self,
        command: impl Future<Output = redis::RedisResult<T>>,
    ) -> CacheResult<T> {
        match tokio::time::timeout(self.timeout, command).await {
            Ok(result) => result.map_err(unavailable),
            Err(_elapsed) => Err(CacheError::Unavailable(format!(
                "no answer within {} ms",
                self.timeout.as_millis()
            ))),
        }
    }

    fn key(&self, key: &str) -> String {
        format!("{}:{key}", self.namespace)
    }

    async fn conn(
        &self,
    ) -> CacheResult<bb8_redis::bb8::PooledConnection<'_, RedisConnectionManager>> {
        self.pool
            .get()
            .await
            .map_err(|error| CacheError::Unavailable(error.to_string()))
    }
}

/// allowed (0 or 1), whole tokens left, µs until the cost is there, µs until full.
type BucketReply = (i64, i64, i64, i64);

fn bucket_state((allowed, remaining, retry_us, reset_us): BucketReply) -> BucketState {
    let micros = |us: i64| Duration::from_micros(u64::try_from(us).unwrap_or(0));
    BucketState {
        allowed: allowed == 1,
        remaining: u32::try_from(remaining).unwrap_or(0),
        retry_after: micros(retry_us),
        reset_after: micros(reset_us),
    }
}

fn unavailable(error: redis::RedisError) -> CacheError {
    CacheError::Unavailable(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cache on its own namespace of `EMPIRE_TEST_REDIS_URL`, or `None` (with a note) when unset.
    fn test_cache() -> Option<RedisCache> {
        let Some(url) = std::env::var("EMPIRE_TEST_REDIS_URL")
            .ok()
            .filter(|url| !url.is_empty())
        else {
            eprintln!("skipped: EMPIRE_TEST_REDIS_URL is not set");
            return None;
        };
        let namespace = format!("test-{}", uuid::Uuid::new_v4().simple());
        Some(RedisCache::new(&url, &namespace, Duration::from_secs(2)).unwrap())
    }

    #[tokio::test]
    async fn a_bucket_allows_its_burst_then_refills() {
        let Some(cache) = test_cache() else { return };
        // 50 tokens a second: one every 20 ms.
        for left in (0..3).rev() {
            let state = cache.take_token("b", 3, 50.0, 1).await.unwrap();
            assert!(state.allowed);
            assert_eq!(state.remaining, left);
        }
        let denied = cache.take_token("b", 3, 50.0, 1).await.unwrap();
        assert!(!denied.allowed);
        assert!(denied.retry_after > Duration::ZERO);
        assert!(denied.retry_after <= Duration::from_millis(20));
        assert!(denied.reset_after >= denied.retry_after);

        tokio::time::sleep(denied.retry_after + Duration::from_millis(5)).await;
        assert!(cache.take_token("b", 3, 50.0, 1).await.unwrap().allowed);
    }

    #[tokio::test]
    async fn a_bucket_expires_when_it_would_be_full() {
        let Some(cache) = test_cache() else { return };
        cache.take_token("e", 10, 0.5, 4).await.unwrap();
        let mut conn = cache.conn().await.unwrap();
        let ttl_ms: i64 = conn.pttl(cache.key("e")).await.unwrap();
        // 4 tokens at 0.5/s take 8 s to come back.
        assert!((7_000..=8_000).contains(&ttl_ms), "ttl {ttl_ms} ms");
    }

    #[tokio::test]
    async fn a_flushed_script_is_loaded_again() {
        let Some(cache) = test_cache() else { return };
        assert!(cache.take_token("s", 2, 0.01, 1).await.unwrap().allowed);
        let mut conn = cache.conn().await.unwrap();
        let _: () = redis::cmd("SCRIPT")
            .arg("FLUSH")
            .query_async(&mut *conn)
            .await
            .unwrap();
        drop(conn);
        let state = cache.take_token("s", 2, 0.01, 1).await.unwrap();
        assert!(state.allowed);
        assert_eq!(state.remaining, 0);
    }

    #[tokio::test]
    async fn invalid_buckets_are_refused_before_any_command() {
        let closed =
            RedisCache::new("redis://127.0.0.1:1", "test", Duration::from_millis(200)).unwrap();
        let error = closed.take_token("x", 5, 0.0, 1).await.unwrap_err();
        assert!(matches!(error, CacheError::InvalidArgument(_)), "{error}");
    }
}
