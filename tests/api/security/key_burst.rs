//! A burst of requests with one API key that all miss its cache entry together (it just
//! expired) spends one lookup of the `rate_limit.key_lookup` gate, not one each: otherwise a
//! busy valid key would be answered `429` every time its entry expires.

use std::time::Duration;

use reqwest::Method;

use crate::helpers::{TestApp, TestBackend, spawn_app_with};

const BURST: usize = 100;

async fn burst(app: &TestApp, key: &str) -> Vec<u16> {
    let calls = (0..BURST).map(|_| async {
        let response = app.with(Method::GET, "/api/v1/agents", key).send().await;
        response.map_or(0, |response| response.status().as_u16())
    });
    futures::future::join_all(calls).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_with_one_key_spends_one_lookup_per_cache_expiry() {
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        // The longest entry allowed: a burst must not outlive it, even on a loaded machine.
        config.auth.credential_cache_ms = 5_000;
        // The in-process cache: under a loaded CI, a Redis read that times out falls back to a
        // miss and spends a lookup, which is not what this test is about.
        config.cache.redis_url = String::new();
        // Two lookups, one per burst, then none for hours.
        config.rate_limit.key_lookup = empire::ratelimit::LimitConfig::new(2, 0.01);
    })
    .await;
    let token = app.admin_token().await;
    let (key, _) = app.api_key(&token, &["agents.read"]).await;
    let expiry = Duration::from_millis(5_500);
    for round in 1..=2 {
        let statuses = burst(&app, &key).await;
        assert!(
            statuses.iter().all(|status| *status == 200),
            "burst {round}: {statuses:?}"
        );
        if round == 1 {
            tokio::time::sleep(expiry).await;
        }
    }
}
