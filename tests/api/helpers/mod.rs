//! The test harness: the real app on port 0 over a fresh database per test, on SQLite always and
//! on PostgreSQL / Redis when `EMPIRE_TEST_DATABASE_URL` / `EMPIRE_TEST_REDIS_URL` are set.

pub mod auth;
pub mod client;
pub mod cluster;
pub mod contract;
pub mod database;
pub mod process;
pub mod proxy;
pub mod sockets;
pub mod tasks;
pub mod tls;

use std::net::SocketAddr;
use std::sync::Once;

use empire::config::Config;
use empire::startup::Application;
use empire_schema::Db;
use empire_schema::cache::Cache;

pub use database::{TestBackend, TestDatabase, admin_url, backends};

pub const ADMIN_EMAIL: &str = "admin@test.local";
pub const ADMIN_PASSWORD: &str = "test admin password";
pub const JWT_SECRET: &str = "test-secret-of-at-least-thirty-two-bytes!";

pub struct TestApp {
    pub address: String,
    /// `http://127.0.0.1:PORT` of `http.metrics_addr`, when the test set one.
    pub metrics_address: Option<String>,
    pub database_url: String,
    pub db: Db,
    pub cache: Cache,
    pub runtime: empire_actors::runtime::Runtime,
    /// Checks every response against `/openapi.json`.
    pub client: client::Client,
    _database: TestDatabase,
    _data_dir: tempfile::TempDir,
}

impl TestApp {
    pub fn node_name(&self) -> &str {
        &self.runtime.config().node
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request failed")
    }
}

/// An app whose runtime leaves the task table alone — no agent instances, no reaping — for
/// tests that drive the store's queue functions themselves.
pub async fn spawn_store_app(backend: TestBackend) -> TestApp {
    spawn_app_with(backend, |config| {
        for agent in empire_actors::kinds::AgentId::ALL {
            config.agents.set(agent, 0);
        }
        config.tasks.reap_ms = 3_600_000;
        config.tasks.poll_ms = 3_600_000;
    })
    .await
}

pub async fn spawn_app(backend: TestBackend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// Starts the app after letting the test adjust its configuration.
pub async fn spawn_app_with(backend: TestBackend, adjust: impl FnOnce(&mut Config)) -> TestApp {
    init_test_logging();
    let database = TestDatabase::create(backend).await;
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut config = test_config(&data_dir, &database);
    adjust(&mut config);

    let application = Application::build(config)
        .await
        .expect("app failed to build");
    let address = format!("http://127.0.0.1:{}", application.port());
    let metrics_address = application
        .metrics_port()
        .map(|port| format!("http://127.0.0.1:{port}"));
    let db = application.state().db.clone();
    let cache = application.state().cache.clone();
    let runtime = application.state().runtime.clone();
    tokio::spawn(application.run_until_stopped());
    TestApp {
        address,
        metrics_address,
        database_url: database.url.clone(),
        db,
        cache,
        runtime,
        client: client::Client::default(),
        _database: database,
        _data_dir: data_dir,
    }
}

pub fn test_config(data_dir: &tempfile::TempDir, database: &TestDatabase) -> Config {
    let mut config = Config::default();
    config.node.http_addr = SocketAddr::from(([127, 0, 0, 1], 0));
    config.node.data_dir = data_dir.path().to_path_buf();
    config.database.url = database.url.clone();
    config.database.pool_size = 4;
    config.http.workers = 1;
    config.http.shutdown_timeout_s = 1;
    config.auth.admin_email = ADMIN_EMAIL.into();
    config.auth.admin_password = ADMIN_PASSWORD.into();
    config.auth.jwt_secret = JWT_SECRET.into();
    // Process groups are process-wide: every test app is its own cluster.
    config.cluster.name = format!("test-{}", uuid::Uuid::new_v4().simple());
    config.tasks.poll_ms = 100;
    // Tests poll; the rate-limit tests set their own limits.
    config.rate_limit.api = empire::ratelimit::LimitConfig::new(10_000, 600_000.0);
    config.rate_limit.key_lookup = empire::ratelimit::LimitConfig::new(10_000, 600_000.0);
    config.tasks.reap_ms = 200;
    if let Some(redis) = test_redis_url() {
        config.cache.redis_url = redis;
        config.cache.namespace = format!("test-{}", uuid::Uuid::new_v4().simple());
    }
    config
}

pub fn test_redis_url() -> Option<String> {
    std::env::var("EMPIRE_TEST_REDIS_URL")
        .ok()
        .filter(|url| !url.is_empty())
}

/// Quiet unless `TEST_LOG` is set.
fn init_test_logging() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            let filter = std::env::var("TEST_LOG").unwrap_or_else(|_| "info".into());
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_test_writer()
                .try_init();
        }
    });
}
