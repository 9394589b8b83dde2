//! The scheduled networks sync: with AWIN's API configured (a fake on 127.0.0.1), the node
//! queues `monetization/sync_networks` on its own, and the sync moves a pushed sale forward.

use std::time::{Duration, Instant};

use empire_schema::models::Conversion;
use empire_schema::types::{ConversionStatus, Network};
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{backends, spawn_app_with};

const AWIN_TOKEN: &str = "awin-token-0123456789abcdefghijklmnop";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_schedules_the_sync_and_it_approves_a_pushed_sale() {
    let awin = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/publishers/4242/transactions/"))
        .and(header("authorization", "Bearer api-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{
            "id": 9001, "commissionStatus": "approved",
            "commissionAmount": {"amount": 12.5, "currency": "EUR"},
            "saleAmount": {"amount": 125.0, "currency": "EUR"},
            "transactionDate": "2026-11-30T08:00:00"
        }])))
        .mount(&awin)
        .await;
    Mock::given(method("GET"))
        .and(path("/publishers/4242/programmes"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&awin)
        .await;
    let app = spawn_app_with(backends()[0], |config| {
        let settings = &mut config.integrations.awin;
        settings.notification_token = AWIN_TOKEN.into();
        settings.api_token = "api-token".into();
        settings.publisher_id = "4242".into();
        settings.api_base_url = awin.uri();
        settings.api_spacing_ms = 0;
        config.integrations.sync_every_minutes = 1;
    })
    .await;
    // AWIN pushed the sale when it happened: pending.
    let push =
        json!({"transactionId": "9001", "transactionCurrency": "EUR", "commission": "12.50"});
    let pushed = reqwest::Client::new()
        .post(app.url(&format!("/webhooks/awin/{AWIN_TOKEN}")))
        .json(&push)
        .send()
        .await
        .unwrap();
    assert_eq!(pushed.status(), 200);

    let admin = app.admin_token().await;
    let started = Instant::now();
    let task = loop {
        let page: Value = app
            .with(
                Method::GET,
                "/api/v1/tasks?agent=monetization&status=succeeded",
                &admin,
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if let Some(task) = page["items"]
            .as_array()
            .and_then(|items| items.iter().find(|t| t["kind"] == "sync_networks").cloned())
        {
            break task;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no scheduled sync: {page}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        task["idempotency_key"]
            .as_str()
            .unwrap()
            .starts_with("schedule:sync_networks:")
    );
    assert_eq!(task["result"]["awin"]["applied"], 1, "{task}");
    let sale = Conversion::find(&app.db, Network::Awin, "9001")
        .await
        .unwrap();
    assert_eq!(sale.status, ConversionStatus::Approved);
}
