use crate::helpers::{TestBackend, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_answers_with_request_id_and_process_time() {
    let app = spawn_app(TestBackend::Sqlite).await;

    let response = app.get("/health").await;

    assert_eq!(response.status(), 200);
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(request_id.len(), 36, "a generated UUID: {request_id}");
    let process_time: f64 = response.headers()["x-process-time"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(process_time >= 0.0);
    assert_eq!(
        response.json::<serde_json::Value>().await.unwrap()["status"],
        "ok"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_client_request_id_is_kept_and_a_hostile_one_replaced() {
    let app = spawn_app(TestBackend::Sqlite).await;

    let kept = app
        .client
        .get(app.url("/health"))
        .header("x-request-id", "job-42.a")
        .send()
        .await
        .unwrap();
    let replaced = app
        .client
        .get(app.url("/health"))
        .header("x-request-id", "evil\tid with spaces")
        .send()
        .await
        .unwrap();

    assert_eq!(kept.headers()["x-request-id"], "job-42.a");
    assert_ne!(replaced.headers()["x-request-id"], "evil\tid with spaces");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_route_is_a_problem_json_404() {
    let app = spawn_app(TestBackend::Sqlite).await;

    let response = app.get("/no/such/route").await;

    assert_eq!(response.status(), 404);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    assert!(response.headers().contains_key("x-request-id"));
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], 404);
    assert_eq!(body["type"], "urn:empire:problem:not-found");
    assert!(body["detail"].as_str().unwrap().contains("/no/such/route"));
}
