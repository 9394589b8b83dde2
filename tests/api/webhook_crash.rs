//! `kill -9` while webhooks are being delivered, with the real binary on every backend: after a
//! restart every event reaches the receiver at least once, and a receiver that deduplicates on
//! `webhook-id` sees each one exactly once.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use reqwest::Client;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::crash::{get_json, node, token};
use crate::helpers::process::{KillOnDrop, signal, start_serve, wait_within};
use crate::helpers::{TestDatabase, backends};

const EVENTS: usize = 40;
const AWIN_TOKEN: &str = "awin-token-0123456789abcdefghijklmnop";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_delivery_loses_no_event() {
    for backend in backends() {
        let database = TestDatabase::create(backend).await;
        kill_during_delivery(&database.url).await;
    }
}

async fn kill_during_delivery(database_url: &str) {
    // A slow receiver: every delivery is in flight for a while, so the kill lands mid-delivery.
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(204).set_delay(Duration::from_millis(400)))
        .mount(&receiver)
        .await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("crash.toml"),
        format!(
            "[rate_limit]\napi = {{ burst = 10000, per_minute = 600000 }}\nanonymous = {{ burst = 10000, per_minute = 600000 }}\n\n\
             [integrations.awin]\nnotification_token = \"{AWIN_TOKEN}\"\n\n\
             [integrations.webhooks]\nallow_private_targets = true\npoll_ms = 50\nretry_base_ms = 100\ntimeout_ms = 1000\n"
        ),
    )
    .unwrap();
    let client = Client::new();
    let (first, port) = start_serve(node(dir.path(), database_url));
    let first = KillOnDrop(Some(first));
    let base = format!("http://127.0.0.1:{port}");
    let bearer = token(&client, &base).await;
    let created: Value = client
        .post(format!("{base}/api/v1/webhooks/subscriptions"))
        .bearer_auth(&bearer)
        .json(
            &json!({"url": format!("{}/hook", receiver.uri()), "events": ["conversion.recorded"]}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let subscription = created["id"].as_str().unwrap().to_owned();

    for id in 0..EVENTS {
        let push = json!({"transactionId": format!("crash-{id}"), "transactionCurrency": "EUR", "commission": "1.00"});
        let response = client
            .post(format!("{base}/webhooks/awin/{AWIN_TOKEN}"))
            .json(&push)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    // Kill once the first deliveries have reached the receiver (they are still in flight).
    let started = Instant::now();
    while receiver.received_requests().await.unwrap().len() < 4 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "nothing was delivered"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut first = first.take();
    signal(&first, "-KILL");
    wait_within(&mut first, Duration::from_secs(5));
    let before_restart = receiver.received_requests().await.unwrap().len();
    assert!(
        before_restart < EVENTS,
        "the kill landed before every delivery"
    );

    let (second, port) = start_serve(node(dir.path(), database_url));
    let _second = KillOnDrop(Some(second));
    let base = format!("http://127.0.0.1:{port}");
    let bearer = token(&client, &base).await;
    let log_url =
        format!("{base}/api/v1/webhooks/subscriptions/{subscription}/deliveries?limit=200");
    let started = Instant::now();
    loop {
        let log = get_json(&client, &log_url, &bearer).await;
        let log = log["items"].as_array().unwrap();
        let delivered = log.iter().filter(|d| d["status"] == "delivered").count();
        if log.len() == EVENTS && delivered == EVENTS {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{delivered} of {EVENTS} delivered a minute after the restart"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let received = receiver.received_requests().await.unwrap();
    let ids: BTreeSet<String> = received
        .iter()
        .map(|request| request.headers["webhook-id"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), EVENTS, "every event arrived at least once");
    assert!(received.len() >= EVENTS);
    let bodies: BTreeSet<String> = received
        .iter()
        .map(|request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            body["data"]["external_id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(bodies.len(), EVENTS, "each event is a different sale");
}
