//! Outbound webhooks against a receiver on 127.0.0.1: a subscription gets its secret once,
//! events are delivered from the outbox with retries (the receiver fails twice first), every
//! attempt carries the same `webhook-id` and a signature this test checks with its own
//! HMAC-SHA256, and a delivery can be replayed. Private targets are refused unless allowed.

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::Sha256;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::go::link;
use crate::helpers::{TestApp, TestBackend, backends, spawn_app, spawn_app_with};

const AWIN_TOKEN: &str = "awin-token-0123456789abcdefghijklmnop";

/// Verifies a Standard Webhooks signature the way a receiver would, independently of the
/// server's code.
fn verify(secret: &str, request: &Request) -> bool {
    let header = |name: &str| request.headers[name].to_str().unwrap().to_owned();
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(header("webhook-id").as_bytes());
    mac.update(b".");
    mac.update(header("webhook-timestamp").as_bytes());
    mac.update(b".");
    mac.update(&request.body);
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    header("webhook-signature")
        .split(' ')
        .any(|signature| signature == expected)
}

async fn json_call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut call = app.with(method, path, token);
    if let Some(body) = body {
        call = call.json(&body);
    }
    let response = call.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn deliveries(app: &TestApp, token: &str, subscription: &str) -> Vec<Value> {
    let path = format!("/api/v1/webhooks/subscriptions/{subscription}/deliveries?limit=200");
    let (status, body) = json_call(app, token, Method::GET, &path, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["next_cursor"], Value::Null, "{body}");
    body["items"].as_array().unwrap().clone()
}

/// Walks a list `limit` items at a time by its cursors, returning each page's items.
async fn pages(app: &TestApp, token: &str, path: &str, limit: usize) -> Vec<Vec<Value>> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{path}?limit={limit}");
        if let Some(cursor) = &cursor {
            url.push_str(&format!("&cursor={cursor}"));
        }
        let (status, body) = json_call(app, token, Method::GET, &url, None).await;
        assert_eq!(status, 200, "{body}");
        pages.push(body["items"].as_array().unwrap().clone());
        match body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return pages,
        }
        assert!(pages.len() < 100, "the cursor never ends");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_are_delivered_signed_with_retries_and_can_be_replayed() {
    for backend in backends() {
        let receiver = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/hook"))
            .respond_with(ResponseTemplate::new(500).set_body_string("busy"))
            .up_to_n_times(2)
            .with_priority(1)
            .mount(&receiver)
            .await;
        Mock::given(method("POST"))
            .and(path("/hook"))
            .respond_with(ResponseTemplate::new(204))
            .mount(&receiver)
            .await;
        let app = spawn_app_with(backend, |config| {
            config.integrations.awin.notification_token = AWIN_TOKEN.into();
            let webhooks = &mut config.integrations.webhooks;
            webhooks.allow_private_targets = true;
            webhooks.retry_base_ms = 50;
            webhooks.poll_ms = 50;
        })
        .await;
        let admin = app.admin_token().await;
        let link = link(&app.db).await;

        let (status, created) = json_call(
            &app,
            &admin,
            Method::POST,
            "/api/v1/webhooks/subscriptions",
            Some(json!({"url": format!("{}/hook", receiver.uri()), "events": ["conversion.recorded"]})),
        )
        .await;
        assert_eq!(status, 201, "{created}");
        let secret = created["secret"].as_str().unwrap().to_owned();
        assert!(secret.starts_with("whsec_"));
        let subscription = created["id"].as_str().unwrap().to_owned();
        let (_, listed) = json_call(
            &app,
            &admin,
            Method::GET,
            "/api/v1/webhooks/subscriptions",
            None,
        )
        .await;
        assert!(
            listed[0].get("secret").is_none(),
            "the secret is shown once: {listed}"
        );

        // A sale arrives: one conversion.recorded event.
        let push = json!({"transactionId": "777", "transactionCurrency": "EUR", "commission": "4.20", "clickRef": link.code});
        let response = reqwest::Client::new()
            .post(app.url(&format!("/webhooks/awin/{AWIN_TOKEN}")))
            .json(&push)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);

        let started = Instant::now();
        let delivered = loop {
            let log = deliveries(&app, &admin, &subscription).await;
            if let Some(done) = log.iter().find(|d| d["status"] == "delivered") {
                break done.clone();
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "not delivered: {log:#?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert_eq!(
            delivered["attempts"], 3,
            "two failures, then the delivery: {delivered}"
        );
        assert_eq!(delivered["event_type"], "conversion.recorded");
        let received = receiver.received_requests().await.unwrap();
        assert_eq!(received.len(), 3);
        for request in &received {
            assert_eq!(
                request.headers["webhook-id"].to_str().unwrap(),
                delivered["id"].as_str().unwrap()
            );
            assert!(verify(&secret, request), "a signature the receiver accepts");
        }
        let body: Value = serde_json::from_slice(&received[2].body).unwrap();
        assert_eq!(body["type"], "conversion.recorded");
        assert_eq!(body["data"]["commission_cents"], 420);
        assert_eq!(body["data"]["website_id"], link.website_id.as_str());

        // The same notice again queues nothing new; a replay sends the delivery once more.
        let again = reqwest::Client::new()
            .post(app.url(&format!("/webhooks/awin/{AWIN_TOKEN}")))
            .json(&push)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 200);
        let replay = format!(
            "/api/v1/webhooks/subscriptions/{subscription}/deliveries/{}/replay",
            delivered["id"].as_str().unwrap()
        );
        let (status, _) = json_call(&app, &admin, Method::POST, &replay, None).await;
        assert_eq!(status, 202);
        let started = Instant::now();
        while receiver.received_requests().await.unwrap().len() < 4 {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the replay was not sent"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(receiver.received_requests().await.unwrap().len(), 4);
        assert_eq!(deliveries(&app, &admin, &subscription).await.len(), 1);

        let (status, _) = json_call(
            &app,
            &admin,
            Method::DELETE,
            &format!("/api/v1/webhooks/subscriptions/{subscription}"),
            None,
        )
        .await;
        assert_eq!(status, 204);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_targets_and_unknown_events_are_refused() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let admin = app.admin_token().await;
    for (body, field) in [
        (
            json!({"url": "http://127.0.0.1:5678/webhook/x", "events": ["*"]}),
            "url",
        ),
        (
            json!({"url": "http://169.254.169.254/latest", "events": ["*"]}),
            "url",
        ),
        (
            json!({"url": "https://n8n.example.com/webhook/x", "events": ["lead.exploded"]}),
            "events",
        ),
        (
            json!({"url": "https://n8n.example.com/webhook/x", "events": []}),
            "events",
        ),
    ] {
        let (status, problem) = json_call(
            &app,
            &admin,
            Method::POST,
            "/api/v1/webhooks/subscriptions",
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, 422, "{body}: {problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let (_, listed) = json_call(
        &app,
        &admin,
        Method::GET,
        "/api/v1/webhooks/subscriptions",
        None,
    )
    .await;
    assert_eq!(listed, json!({"items": [], "next_cursor": null}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finished_task_is_told_to_its_subscribers() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/tasks"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&receiver)
        .await;
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.integrations.webhooks.allow_private_targets = true;
        config.integrations.webhooks.poll_ms = 50;
    })
    .await;
    let admin = app.admin_token().await;
    let body = json!({"url": format!("{}/tasks", receiver.uri()), "events": ["task.finished"]});
    let (status, created) = json_call(
        &app,
        &admin,
        Method::POST,
        "/api/v1/webhooks/subscriptions",
        Some(body),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    // The bus listener reads who listens at most once a second.
    tokio::time::sleep(Duration::from_millis(1_100)).await;

    let input = (empire_actors::kinds::find(
        empire_actors::kinds::AgentId::Monetization,
        "build_affiliate_link",
    )
    .unwrap()
    .example_input)();
    let task: Value = app
        .submit(
            &admin,
            "monetization",
            &json!({"kind": "build_affiliate_link", "input": input}),
        )
        .await
        .json()
        .await
        .unwrap();
    let task_id = task["id"].as_str().unwrap().to_owned();

    let started = Instant::now();
    let body = loop {
        let received = receiver.received_requests().await.unwrap();
        if let Some(request) = received.first() {
            assert!(verify(created["secret"].as_str().unwrap(), request));
            break serde_json::from_slice::<Value>(&request.body).unwrap();
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no task.finished delivered"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(body["type"], "task.finished");
    assert_eq!(body["data"]["task_id"], task_id.as_str());
    assert_eq!(body["data"]["status"], "succeeded");

    // Both logs are read a page at a time, newest first, every row once.
    for _ in 0..4 {
        app.submit(
            &admin,
            "monetization",
            &json!({"kind": "build_affiliate_link", "input": input}),
        )
        .await;
    }
    let subscription = created["id"].as_str().unwrap();
    let started = Instant::now();
    while deliveries(&app, &admin, subscription).await.len() < 5 {
        assert!(started.elapsed() < Duration::from_secs(20), "5 deliveries");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let log_path = format!("/api/v1/webhooks/subscriptions/{subscription}/deliveries");
    let walked = pages(&app, &admin, &log_path, 2).await;
    assert_eq!(
        walked.iter().map(Vec::len).collect::<Vec<_>>(),
        [2, 2, 1],
        "{walked:?}"
    );
    let walked: Vec<Value> = walked.into_iter().flatten().collect();
    let ids = |log: &[Value]| -> Vec<String> {
        log.iter()
            .map(|delivery| delivery["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        ids(&walked),
        ids(&deliveries(&app, &admin, subscription).await)
    );
    let created_at: Vec<&str> = walked
        .iter()
        .map(|delivery| delivery["created_at"].as_str().unwrap())
        .collect();
    assert!(
        created_at.windows(2).all(|w| w[0] >= w[1]),
        "{created_at:?}"
    );

    for url in ["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"] {
        let body = json!({"url": url, "events": ["*"]});
        let (status, _) = json_call(
            &app,
            &admin,
            Method::POST,
            "/api/v1/webhooks/subscriptions",
            Some(body),
        )
        .await;
        assert_eq!(status, 201);
    }
    let walked = pages(&app, &admin, "/api/v1/webhooks/subscriptions", 1).await;
    let urls: Vec<&str> = walked
        .iter()
        .map(|page| {
            assert_eq!(page.len(), 1);
            page[0]["url"].as_str().unwrap()
        })
        .collect();
    let first = format!("{}/tasks", receiver.uri());
    assert_eq!(
        urls,
        [
            "http://127.0.0.1:9/b",
            "http://127.0.0.1:9/a",
            first.as_str()
        ]
    );
    assert!(walked.iter().flatten().all(|s| s.get("secret").is_none()));
}
