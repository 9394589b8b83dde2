//! The Redis cache over a bb8 pool, with a short connection timeout so an outage fails fast.

use std::time::Duration;

use bb8_redis::RedisConnectionManager;
use bb8_redis::bb8::Pool;
use bb8_redis::redis::{self, AsyncCommands};

use super::{CacheError, CacheResult};

#[derive(Clone)]
pub struct RedisCache {
    pool: Pool<RedisConnectionManager>,
    namespace: String,
    timeout: Duration,
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

fn unavailable(error: redis::RedisError) -> CacheError {
    CacheError::Unavailable(error.to_string())
}
