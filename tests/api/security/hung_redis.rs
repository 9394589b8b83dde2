//! A Redis that accepts connections but never answers: the credential checks share the rate
//! limiter's breaker, so after one timeout requests skip Redis instead of each waiting on it.

use std::time::Duration;

use reqwest::Method;
use tokio::net::TcpListener;

use crate::helpers::{TestBackend, spawn_app_with};

/// Accepts every connection and holds it open without ever writing a byte.
async fn silent_redis() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authenticated_requests_succeed_while_redis_hangs() {
    let port = silent_redis().await;
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.cache.redis_url = format!("redis://127.0.0.1:{port}");
        config.cache.timeout_ms = 2_000;
    })
    .await;
    // Generous against scheduling, yet shorter than the three Redis timeouts (revocation,
    // grant read, grant write) a request without the breaker would wait for.
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    // Logging in (no client timeout: it is not what is tested here).
    let token = app.admin_token().await;
    for _ in 0..10 {
        let response = client
            .request(Method::GET, app.url("/api/v1/auth/me"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("answered while Redis hangs");
        assert_eq!(response.status(), 200);
    }
    // Logging out cannot be recorded: it says so rather than pretend.
    let response = client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
}

/// With Redis silent, a node caches credentials in process: an API key is looked up once,
/// not on every request, so its user never meets the `rate_limit.key_lookup` gate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_key_is_looked_up_once_while_redis_hangs() {
    let port = silent_redis().await;
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.cache.redis_url = format!("redis://127.0.0.1:{port}");
        config.cache.timeout_ms = 300;
        config.rate_limit.key_lookup = empire::ratelimit::LimitConfig::new(3, 60.0);
    })
    .await;
    let token = app.admin_token().await;
    let (key, _) = app.api_key(&token, &["agents.read"]).await;
    let mut statuses = Vec::new();
    for _ in 0..30 {
        let response = app.with(Method::GET, "/api/v1/agents", &key).send().await;
        statuses.push(response.unwrap().status().as_u16());
    }
    assert!(statuses.iter().all(|status| *status == 200), "{statuses:?}");
}
