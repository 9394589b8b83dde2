//! The built-in value of every setting: what a node runs with when `cluster.toml` and the
//! environment say nothing.

use std::net::SocketAddr;
use std::path::PathBuf;

use empire_schema::Secret;

use super::{
    AuthConfig, CacheConfig, DatabaseConfig, HttpConfig, LogConfig, LogFormat, NodeConfig,
};

impl Default for NodeConfig {
    fn default() -> Self {
        NodeConfig {
            name: "node-1".into(),
            http_addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./data"),
        }
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            slow_request_ms: 1_000,
            shutdown_timeout_s: 30,
            workers: 0,
            body_limit_bytes: 256 * 1024,
            import_limit_bytes: 2 * 1024 * 1024 * 1024,
            cors_origins: Vec::new(),
            trusted_proxies: Default::default(),
            metrics_addr: String::new(),
        }
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            jwt_secret: Secret::default(),
            token_ttl_s: 24 * 3600,
            issuer: "empire".into(),
            audience: "empire-api".into(),
            leeway_s: 5,
            credential_cache_ms: 2_000,
            admin_email: "admin@empire.local".into(),
            admin_password: Secret::default(),
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            url: String::new(),
            pool_size: 10,
            connect_timeout_ms: 3_000,
        }
    }
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            redis_url: String::new(),
            namespace: "empire".into(),
            memory_capacity: 100_000,
            timeout_ms: 1_000,
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            filter: "info".into(),
            format: LogFormat::Text,
        }
    }
}
