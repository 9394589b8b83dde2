//! A client cannot choose its own address for per-IP limits: only the hops our trusted proxies
//! appended to `X-Forwarded-For` count, and without trusted proxies the TCP peer does.

use empire::extract::TrustedProxies;
use empire::ratelimit::LimitConfig;

use crate::helpers::{TestApp, TestBackend, spawn_app_with};

/// Three anonymous requests, each claiming a fresh address in the client-written part.
async fn statuses(app: &TestApp, appended_by_proxy: &str) -> Vec<u16> {
    let mut statuses = Vec::new();
    for fake in 1..=3 {
        let forwarded = format!("203.0.113.{fake}{appended_by_proxy}");
        let response = app
            .client
            .get(app.url("/openapi.json"))
            .header("x-forwarded-for", forwarded)
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    statuses
}

fn two_per_ip(config: &mut empire::config::Config) {
    config.rate_limit.anonymous = LimitConfig::new(2, 1.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spoofed_forwarded_for_does_not_escape_the_ip_limit_behind_a_proxy() {
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        two_per_ip(config);
        config.http.trusted_proxies = TrustedProxies::parse(["127.0.0.0/8"]).unwrap();
    })
    .await;
    // The proxy appends the address it saw (the same attacker each time).
    assert_eq!(statuses(&app, ", 198.51.100.7").await, vec![200, 200, 429]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_trusted_proxies_forwarded_for_is_ignored() {
    let app = spawn_app_with(TestBackend::Sqlite, two_per_ip).await;
    assert_eq!(statuses(&app, "").await, vec![200, 200, 429]);
}
