use std::time::Duration;

use serde_json::Value;

use crate::helpers::proxy::TcpProxy;
use crate::helpers::{TestBackend, TestDatabase, backends, database, spawn_app, spawn_app_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_names_each_check_on_every_backend() {
    for backend in backends() {
        let app = spawn_app(backend).await;

        let response = app.get("/ready").await;

        assert_eq!(response.status(), 200, "{backend:?}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], "ready");
        assert_eq!(body["checks"]["database"]["status"], "up");
        let expected = if backend == TestBackend::Postgres {
            "postgres"
        } else {
            "sqlite"
        };
        assert_eq!(body["checks"]["database"]["backend"], expected);
        assert_eq!(body["checks"]["cache"]["status"], "up");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_is_503_naming_the_cache_when_redis_is_unreachable() {
    // A port nothing listens on: bind one, then free it.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.cache.redis_url = format!("redis://{closed}");
        config.cache.timeout_ms = 300;
    })
    .await;

    let response = app.get("/ready").await;

    assert_eq!(response.status(), 503);
    assert!(response.headers().contains_key("retry-after"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["checks"]["cache"]["status"], "down");
    assert_eq!(body["checks"]["cache"]["backend"], "redis");
    assert_eq!(body["checks"]["database"]["status"], "up");
    // The failing check is named, its error text (addresses, users) is not shown.
    assert_eq!(body["checks"]["cache"]["error"], "error", "{body}");
    assert!(
        !body.to_string().contains(&closed.port().to_string()),
        "{body}"
    );
    assert!(
        !body.to_string().to_lowercase().contains("refused"),
        "{body}"
    );
    // The rest of the app keeps serving.
    assert_eq!(app.get("/health").await.status(), 200);
}

/// PostgreSQL behind a proxy: cut the link, /ready answers 503 quickly; heal it, 200 again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_is_503_naming_the_database_while_postgres_is_unreachable() {
    if !backends().contains(&TestBackend::Postgres) {
        eprintln!("skipped: EMPIRE_TEST_DATABASE_URL is not set");
        return;
    }
    let direct = TestDatabase::create(TestBackend::Postgres).await;
    let proxy = TcpProxy::start(
        direct
            .postgres_addr()
            .expect("host:port in EMPIRE_TEST_DATABASE_URL"),
    )
    .await;
    let name = direct.url.rsplit('/').next().unwrap().to_owned();
    let via_proxy =
        database::with_database(&format!("postgres://postgres@{}/x", proxy.addr), &name);
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.database.url = via_proxy;
        config.database.connect_timeout_ms = 500;
    })
    .await;
    assert_eq!(app.get("/ready").await.status(), 200);

    proxy.cut();
    // Past the half second for which /ready repeats its last result.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let started = std::time::Instant::now();
    let response = app.get("/ready").await;
    let waited = started.elapsed();

    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["checks"]["database"]["status"], "down");
    assert_eq!(body["checks"]["cache"]["status"], "up");
    assert!(
        waited < Duration::from_secs(5),
        "an outage must not hang a request: {waited:?}"
    );

    proxy.heal();
    let mut status = 0;
    for _ in 0..50 {
        status = app.get("/ready").await.status().as_u16();
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, 200, "the pool reconnects once the database is back");
}
