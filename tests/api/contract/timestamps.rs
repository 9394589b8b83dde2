//! Every timestamp that leaves the process (REST bodies, WebSocket frames) is RFC 3339 in UTC.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestBackend, spawn_app};
use crate::runtime::workflows::pipeline_input;

/// Keys that hold a point in time.
fn is_timestamp_key(key: &str) -> bool {
    key == "ts" || key.ends_with("_at") || key == "last_heartbeat" || key == "last_activity"
}

/// Every timestamp in `value`, with its path; panics on one that is not RFC 3339 with `Z`.
fn assert_rfc3339(value: &Value, path: &str, seen: &mut usize) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let here = format!("{path}.{key}");
                if let (true, Some(text)) = (is_timestamp_key(key), inner.as_str()) {
                    let parsed = chrono::DateTime::parse_from_rfc3339(text);
                    assert!(parsed.is_ok(), "{here} = {text:?} is not RFC 3339");
                    assert!(text.ends_with('Z'), "{here} = {text:?} is not in UTC");
                    *seen += 1;
                }
                assert_rfc3339(inner, &here, seen);
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                assert_rfc3339(inner, &format!("{path}[{index}]"), seen);
            }
        }
        _ => {}
    }
}

fn check(value: &Value) -> usize {
    let mut seen = 0;
    assert_rfc3339(value, "$", &mut seen);
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timestamps_in_bodies_and_frames_are_rfc3339_utc() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let admin = app.admin_token().await;
    let (key, _) = app.api_key(&admin, &["agents.read"]).await;
    app.with(Method::GET, "/api/v1/auth/me", &key)
        .send()
        .await
        .unwrap();

    let mut seen = 0;
    for path in ["/api/v1/users", "/api/v1/auth/api-keys", "/api/v1/cluster"] {
        let body: Value = app
            .with(Method::GET, path, &admin)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        seen += check(&body);
    }
    let body = json!({"kind": "outline", "input": {"keyword": "espresso", "article_type": "guide", "language": "en"}});
    let id = app.submit_task(&admin, "content_generator", &body).await;
    seen += check(&app.task(&admin, &id).await);
    let done = app.wait_task(&admin, &id).await;
    seen += check(&done);
    assert!(done["finished_at"].is_string(), "{done}");
    let workflow: Value = app
        .with(Method::POST, "/api/v1/workflows", &admin)
        .json(&json!({"kind": "page_pipeline", "input": pipeline_input()}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    seen += check(&workflow);

    let mut socket = app.socket("/ws/dashboard", &admin).await;
    let snapshot = socket.next(Duration::from_secs(10)).await.unwrap();
    assert_eq!(snapshot["type"], "snapshot");
    seen += check(&snapshot);
    assert!(seen >= 15, "only {seen} timestamps checked");
}
