//! Rate limits answer 429 with Retry-After and the draft-11 RateLimit fields, lock out an
//! account after too many failed logins, and keep serving when Redis is unreachable.

use reqwest::Method;

use crate::helpers::auth::problem;
use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, TestBackend, spawn_app_with};
use empire::ratelimit::LimitConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_over_the_api_limit_gets_429_with_headers() {
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.rate_limit.api = LimitConfig {
            burst: 3,
            per_minute: 1.0,
        };
    })
    .await;
    let token = app.admin_token().await;

    let mut statuses = Vec::new();
    let mut last = None;
    for _ in 0..5 {
        let response = app
            .with(Method::GET, "/api/v1/auth/me", &token)
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
        if response.status() == 200 {
            assert_eq!(response.headers()["ratelimit-policy"], "\"api\";q=3;w=180");
            assert!(
                response.headers()["ratelimit"]
                    .to_str()
                    .unwrap()
                    .starts_with("\"api\";r=")
            );
        }
        last = Some(response);
    }

    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    let limited = last.unwrap();
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_eq!(limited.headers()["ratelimit"], "\"api\";r=0;t=180");
    problem(limited, 429).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_lock_the_account_and_logins_are_limited_per_address() {
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.rate_limit.failed_login_per_hour = 3;
        config.rate_limit.login_email = LimitConfig {
            burst: 100,
            per_minute: 100.0,
        };
    })
    .await;

    for _ in 0..3 {
        problem(app.login(ADMIN_EMAIL, "wrong password!").await, 401).await;
    }
    let locked = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(locked.headers()["retry-after"], "3600");
    problem(locked, 429).await;

    let per_ip = spawn_app_with(TestBackend::Sqlite, |config| {
        config.rate_limit.login_ip = LimitConfig {
            burst: 2,
            per_minute: 1.0,
        };
    })
    .await;
    assert_eq!(
        per_ip.login(ADMIN_EMAIL, ADMIN_PASSWORD).await.status(),
        200
    );
    problem(
        per_ip
            .login("someone@test.local", "whatever password")
            .await,
        401,
    )
    .await;
    problem(per_ip.login(ADMIN_EMAIL, ADMIN_PASSWORD).await, 429).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_credentials_is_limited_per_address() {
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.rate_limit.anonymous = LimitConfig {
            burst: 2,
            per_minute: 1.0,
        };
    })
    .await;
    let guess = || app.with(Method::GET, "/api/v1/auth/me", "mfm_guess").send();

    assert_eq!(guess().await.unwrap().status(), 401);
    assert_eq!(guess().await.unwrap().status(), 401);
    problem(guess().await.unwrap(), 429).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_served_and_limited_while_redis_is_unreachable() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.cache.redis_url = format!("redis://{closed}");
        config.cache.timeout_ms = 200;
        config.rate_limit.api = LimitConfig {
            burst: 2,
            per_minute: 1.0,
        };
    })
    .await;
    let token = app.admin_token().await;

    let first = app
        .with(Method::GET, "/api/v1/auth/me", &token)
        .send()
        .await
        .unwrap();
    let second = app
        .with(Method::GET, "/api/v1/auth/me", &token)
        .send()
        .await
        .unwrap();
    let third = app
        .with(Method::GET, "/api/v1/auth/me", &token)
        .send()
        .await
        .unwrap();

    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (200, 200)
    );
    problem(third, 429).await;
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains("ratelimit_backend_errors_total"),
        "the outage is counted"
    );
}
