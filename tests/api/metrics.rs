use crate::helpers::{TestBackend, spawn_app};

fn counter(text: &str, series: &str) -> u64 {
    text.lines()
        .find_map(|line| {
            line.strip_prefix(series)
                .map(|value| value.trim().parse().unwrap())
        })
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_requests_by_route_template_and_status() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let health = r#"http_requests_total{method="GET",route="/health",status="200"}"#;
    let unmatched = r#"http_requests_total{method="GET",route="unmatched",status="404"}"#;
    let before = app.get("/metrics").await.text().await.unwrap();

    for _ in 0..5 {
        app.get("/health").await;
    }
    app.get("/does-not-exist-1").await;
    app.get("/does-not-exist-2").await;
    let after = app.get("/metrics").await.text().await.unwrap();

    // Other tests in this process may add to the same series, never subtract.
    assert!(
        counter(&after, health) >= counter(&before, health) + 5,
        "{after}"
    );
    assert!(
        counter(&after, unmatched) >= counter(&before, unmatched) + 2,
        "{after}"
    );
    assert!(
        !after.contains("does-not-exist"),
        "raw paths must not become labels"
    );
    assert!(after.contains(r#"http_request_duration_seconds_bucket{method="GET",route="/health",status="200",le="0.005"}"#));
    assert!(after.contains("http_requests_in_flight"));
    assert!(after.contains("db_pool_max_connections"));
    assert!(after.contains("db_pool_idle_connections"));
    assert!(after.contains("db_pool_wait_milliseconds_total"));
}
