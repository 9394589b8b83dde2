use crate::helpers::{TestBackend, spawn_app, spawn_app_with};

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
    for made_up in ["BREW", "FETCH-ALL-THE-THINGS"] {
        let method = reqwest::Method::from_bytes(made_up.as_bytes()).unwrap();
        reqwest::Client::new()
            .request(method, app.url("/health"))
            .send()
            .await
            .unwrap();
    }
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
    assert!(
        !after.contains("BREW") && !after.contains("FETCH-ALL"),
        "made-up methods must not become labels: {after}"
    );
    assert!(after.contains(r#"http_requests_total{method="OTHER",route="/health","#));
    assert!(after.contains(r#"http_request_duration_seconds_bucket{method="GET",route="/health",status="200",le="0.005"}"#));
    assert!(after.contains("http_requests_in_flight"));
    assert!(after.contains("db_pool_max_connections"));
    assert!(after.contains("db_pool_idle_connections"));
    assert!(after.contains("db_pool_wait_milliseconds_total"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_on_their_own_address_are_not_on_the_main_listener() {
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.http.metrics_addr = "127.0.0.1:0".into();
    })
    .await;
    let metrics = app
        .metrics_address
        .clone()
        .expect("the metrics listener's address");
    assert_ne!(metrics, app.address);

    // Not the contract-checking client: this listener is not the documented API.
    let scraped = reqwest::get(format!("{metrics}/metrics")).await.unwrap();
    assert_eq!(scraped.status(), 200);
    assert!(
        scraped.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    assert!(
        scraped
            .text()
            .await
            .unwrap()
            .contains("http_requests_total")
    );

    let main = app.get("/metrics").await;
    assert_eq!(main.status(), 404);
    assert_eq!(main.headers()["content-type"], "application/problem+json");
    // The metrics listener serves nothing else.
    let other = reqwest::get(format!("{metrics}/health")).await.unwrap();
    assert_eq!(other.status(), 404);
    assert_eq!(app.get("/health").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn by_default_metrics_are_on_the_main_listener() {
    let app = spawn_app(TestBackend::Sqlite).await;
    assert!(app.metrics_address.is_none());
    assert_eq!(app.get("/metrics").await.status(), 200);
}
