//! The cache behaves the same in-process and on Redis.

use std::time::Duration;

use empire_schema::cache::Space;

use crate::helpers::{TestBackend, spawn_app, test_redis_url};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cache_sets_expires_counts_and_deletes() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let cache = &app.cache;
    let expected = if test_redis_url().is_some() {
        "redis"
    } else {
        "memory"
    };
    assert_eq!(cache.backend_name(), expected);

    cache
        .set(Space::Credentials, "k", "v", Duration::from_secs(60))
        .await
        .unwrap();
    cache
        .set("short", "v", Duration::from_millis(50))
        .await
        .unwrap();
    assert_eq!(
        cache.get(Space::Credentials, "k").await.unwrap().as_deref(),
        Some("v")
    );
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(cache.get(Space::Credentials, "short").await.unwrap(), None);

    assert_eq!(
        cache
            .incr(Space::Logins, "n", Duration::from_secs(60))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        cache
            .incr(Space::Logins, "n", Duration::from_secs(60))
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        cache
            .incr(Space::Logins, "w", Duration::from_millis(50))
            .await
            .unwrap(),
        1
    );
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(
        cache
            .incr(Space::Logins, "w", Duration::from_millis(50))
            .await
            .unwrap(),
        1,
        "a new window starts at 1"
    );

    cache.delete(Space::Credentials, "k").await.unwrap();
    assert_eq!(cache.get(Space::Credentials, "k").await.unwrap(), None);
    cache.ping().await.unwrap();
}
