//! A stranger guessing the admin's password locks out only their own address: failures are
//! counted per account and address, each one past the first few makes that address wait
//! longer, and a success clears them.

use empire::extract::TrustedProxies;
use empire::ratelimit::LimitConfig;
use serde_json::json;

use crate::helpers::auth::problem;
use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, TestBackend, spawn_app_with};

async fn login_from(app: &TestApp, address: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", address)
        .json(&json!({ "email": ADMIN_EMAIL, "password": password }))
        .send()
        .await
        .unwrap()
}

async fn app() -> TestApp {
    spawn_app_with(TestBackend::Sqlite, |config| {
        config.http.trusted_proxies = TrustedProxies::parse(["127.0.0.1"]).unwrap();
        config.rate_limit.failed_login_per_hour = 5;
        config.rate_limit.login_ip = LimitConfig::new(1_000, 1_000.0);
        config.rate_limit.login_email = LimitConfig::new(1_000, 1_000.0);
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_cannot_lock_the_admin_out() {
    let app = app().await;
    let mut statuses = Vec::new();
    for _ in 0..20 {
        statuses.push(
            login_from(&app, "198.51.100.9", "guess guess guess")
                .await
                .status()
                .as_u16(),
        );
    }
    // Three back to back, then the address waits (the delay grows), then it is locked out.
    assert_eq!(&statuses[..3], [401, 401, 401]);
    assert!(
        statuses[3..].iter().all(|status| *status == 429),
        "{statuses:?}"
    );
    let waiting = login_from(&app, "198.51.100.9", ADMIN_PASSWORD).await;
    assert!(waiting.headers().contains_key("retry-after"));
    problem(waiting, 429).await;

    let owner = login_from(&app, "203.0.113.5", ADMIN_PASSWORD).await;
    assert_eq!(owner.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_success_resets_the_failures_of_its_address() {
    let app = app().await;
    for _ in 0..3 {
        for _ in 0..2 {
            problem(login_from(&app, "192.0.2.1", "typo typo typo").await, 401).await;
        }
        assert_eq!(
            login_from(&app, "192.0.2.1", ADMIN_PASSWORD).await.status(),
            200
        );
    }
}
