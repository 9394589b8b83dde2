//! `Debug` for the settings that hold a URL with a password, so a logged configuration never
//! shows it; the other secrets are `Secret`s, which mask themselves.

use std::fmt;

use empire_schema::db::redact_password;

use super::{CacheConfig, DatabaseConfig};

impl fmt::Debug for DatabaseConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseConfig")
            .field("url", &redact_password(&self.url))
            .field("pool_size", &self.pool_size)
            .field("connect_timeout_ms", &self.connect_timeout_ms)
            .finish()
    }
}

impl fmt::Debug for CacheConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CacheConfig")
            .field("redis_url", &redact_password(&self.redis_url))
            .field("namespace", &self.namespace)
            .field("memory_capacity", &self.memory_capacity)
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, ProviderConfig};
    use empire_actors::intelligence::llm::ProviderKind;

    #[test]
    fn debug_never_shows_a_secret() {
        let mut config = Config::default();
        config.auth.jwt_secret = "jwt-secret-jwt-secret-jwt-secret-1".into();
        config.auth.admin_password = "admin-password-42".into();
        config.cluster.cookie = "cluster-cookie-cluster-cookie-cluster".into();
        config.database.url = "postgres://empire:db-password-7@db.local/empire".into();
        config.cache.redis_url = "redis://:redis-password-9@cache.local:6379".into();
        let mut provider = ProviderConfig::new(ProviderKind::Openai);
        provider.api_key = "sk-live-provider-key".into();
        config.llm.providers.insert("openai".into(), provider);

        let shown = format!("{config:?}");
        for secret in [
            "jwt-secret-jwt-secret",
            "admin-password-42",
            "cluster-cookie-cluster",
            "db-password-7",
            "redis-password-9",
            "sk-live-provider-key",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("[redacted]"));
        assert!(shown.contains("db.local"), "the rest still shows: {shown}");
    }
}
