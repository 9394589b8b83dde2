//! The limiter against the in-process cache, an unreachable Redis, and a shared Redis.

use std::net::TcpListener;

use metrics_exporter_prometheus::PrometheusBuilder;

use super::*;

/// Three requests back to back, then one every 20 ms.
const SMALL: Policy = Policy {
    name: "small",
    capacity: 3,
    refill_per_sec: 50.0,
};

/// Two requests, then one every 1000 s: no refill within a test.
const TIGHT: Policy = Policy {
    name: "tight",
    capacity: 2,
    refill_per_sec: 0.001,
};

/// A Redis cache on a port nothing listens on.
fn unreachable_redis() -> Cache {
    let closed = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .unwrap();
    Cache::redis(
        &format!("redis://{closed}"),
        "test-unreachable",
        Duration::from_millis(200),
    )
    .unwrap()
}

/// A Redis cache on `namespace` of `EMPIRE_TEST_REDIS_URL`, or `None` (with a note) when unset.
fn test_redis(namespace: &str) -> Option<Cache> {
    let Some(url) = std::env::var("EMPIRE_TEST_REDIS_URL")
        .ok()
        .filter(|url| !url.is_empty())
    else {
        eprintln!("skipped: EMPIRE_TEST_REDIS_URL is not set");
        return None;
    };
    Some(Cache::redis(&url, namespace, Duration::from_secs(2)).unwrap())
}

#[tokio::test]
async fn a_burst_is_allowed_then_refused_until_refilled() {
    let limiter = RateLimiter::new(Cache::memory(100), &RateLimitConfig::default());
    for left in (0..3).rev() {
        let decision = limiter.check(&SMALL, "client").await;
        assert!(decision.allowed);
        assert_eq!(decision.remaining, left);
        assert!(!decision.degraded);
    }
    let refused = limiter.check(&SMALL, "client").await;
    assert!(!refused.allowed);
    assert!(refused.retry_after > Duration::ZERO);
    assert_eq!(refused.policy, SMALL);
    assert!(limiter.check(&SMALL, "other client").await.allowed);

    tokio::time::sleep(refused.retry_after + Duration::from_millis(5)).await;
    assert!(limiter.check(&SMALL, "client").await.allowed);
}

#[tokio::test]
async fn policies_keep_separate_buckets_for_one_key() {
    let limiter = RateLimiter::new(Cache::memory(100), &RateLimitConfig::default());
    let other = Policy {
        name: "other",
        ..TIGHT
    };
    for _ in 0..2 {
        assert!(limiter.check(&TIGHT, "k").await.allowed);
    }
    assert!(!limiter.check(&TIGHT, "k").await.allowed);
    assert!(limiter.check(&other, "k").await.allowed);
}

#[tokio::test]
async fn an_unreachable_redis_falls_back_to_local_limits() {
    // No pause after a failure, so every check tries Redis and falls back.
    let limiter = RateLimiter::with_retry_interval(
        unreachable_redis(),
        &RateLimitConfig::default(),
        Duration::ZERO,
    );
    let decisions = [
        limiter.check(&TIGHT, "client").await,
        limiter.check(&TIGHT, "client").await,
        limiter.check(&TIGHT, "client").await,
    ];
    assert!(decisions.iter().all(|decision| decision.degraded));
    assert!(decisions[0].allowed && decisions[1].allowed);
    assert!(!decisions[2].allowed);
    assert!(decisions[2].retry_after > Duration::ZERO);
    assert!(limiter.check(&TIGHT, "other").await.allowed);
}

#[tokio::test]
async fn after_a_failure_the_store_is_skipped_for_a_moment() {
    let limiter = RateLimiter::new(unreachable_redis(), &RateLimitConfig::default());
    assert!(limiter.check(&TIGHT, "client").await.degraded);
    assert!(!limiter.inner.health.should_try());
    assert!(limiter.check(&TIGHT, "client").await.degraded);
    assert!(!limiter.check(&TIGHT, "client").await.allowed);
}

#[test]
fn backend_errors_are_counted() {
    let recorder = PrometheusBuilder::new().build_recorder();
    let handle = recorder.handle();
    metrics::with_local_recorder(&recorder, || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let limiter = RateLimiter::with_retry_interval(
                unreachable_redis(),
                &RateLimitConfig::default(),
                Duration::ZERO,
            );
            limiter.check(&TIGHT, "client").await;
            limiter.check(&TIGHT, "client").await;
            limiter.record_failed_login("bob@example.com", "ip").await;
        });
    });
    let text = handle.render();
    assert!(
        text.contains(r#"ratelimit_backend_errors_total{operation="check"} 2"#),
        "{text}"
    );
    assert!(
        text.contains(r#"ratelimit_backend_errors_total{operation="record_failed_login"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"ratelimit_fallback_total{operation="check"} 2"#),
        "{text}"
    );
}

#[tokio::test]
async fn the_fallback_is_bounded() {
    let config = RateLimitConfig {
        fallback_capacity: 5,
        ..RateLimitConfig::default()
    };
    let limiter = RateLimiter::new(unreachable_redis(), &config);
    for i in 0..50 {
        limiter.check(&TIGHT, &format!("client-{i}")).await;
    }
    let Cache::Memory(fallback) = &limiter.inner.fallback else {
        panic!("the fallback is in-process");
    };
    assert_eq!(fallback.len(), 5);
}

#[tokio::test]
async fn failed_logins_lock_an_account_out() {
    let config = RateLimitConfig {
        failed_login_per_hour: 3,
        ..RateLimitConfig::default()
    };
    for cache in [Cache::memory(100), unreachable_redis()] {
        let limiter = RateLimiter::new(cache, &config);
        assert_eq!(limiter.failed_logins("bob@example.com", "ip").await, 0);
        for expected in 1..=3 {
            let count = limiter.record_failed_login("Bob@Example.com", "ip").await;
            assert_eq!(count, expected);
            assert_eq!(limiter.locked_out(count), expected == 3);
        }
        assert_eq!(limiter.failed_logins(" bob@example.com", "ip").await, 3);
        assert!(limiter.login_waiting("bob@example.com", "ip").await);
        assert_eq!(limiter.failed_logins("bob@example.com", "other").await, 0);
        assert_eq!(limiter.failed_logins("alice@example.com", "ip").await, 0);
        limiter.reset_failed_logins("bob@example.com", "ip").await;
        assert_eq!(limiter.failed_logins("bob@example.com", "ip").await, 0);
        assert!(!limiter.login_waiting("bob@example.com", "ip").await);
    }
}

#[tokio::test]
async fn an_invalid_policy_does_not_limit() {
    let limiter = RateLimiter::new(Cache::memory(100), &RateLimitConfig::default());
    let broken = Policy {
        name: "broken",
        capacity: 0,
        refill_per_sec: 1.0,
    };
    assert!(limiter.check(&broken, "k").await.allowed);
}

#[tokio::test]
async fn two_nodes_on_one_redis_share_a_bucket() {
    let namespace = format!("test-{}", uuid::Uuid::new_v4().simple());
    let (Some(one), Some(two)) = (test_redis(&namespace), test_redis(&namespace)) else {
        return;
    };
    let config = RateLimitConfig::default();
    let node_one = RateLimiter::new(one, &config);
    let node_two = RateLimiter::new(two, &config);
    let policy = Policy {
        capacity: 5,
        ..TIGHT
    };

    let mut remaining = Vec::new();
    for node in [&node_one, &node_two, &node_one, &node_two, &node_two] {
        let decision = node.check(&policy, "client").await;
        assert!(decision.allowed && !decision.degraded);
        remaining.push(decision.remaining);
    }
    assert_eq!(remaining, [4, 3, 2, 1, 0]);
    assert!(!node_one.check(&policy, "client").await.allowed);
    assert!(!node_two.check(&policy, "client").await.allowed);
    assert!(node_one.check(&policy, "someone else").await.allowed);

    for _ in 0..2 {
        node_one.record_failed_login("bob@example.com", "ip").await;
    }
    assert_eq!(
        node_two.record_failed_login("bob@example.com", "ip").await,
        3
    );
    assert_eq!(node_one.failed_logins("bob@example.com", "ip").await, 3);
}
