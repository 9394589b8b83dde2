//! Durable workflows: the page pipeline end to end, and cancelling one.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::auth::problem;
use crate::helpers::{TestBackend, backends, spawn_app, spawn_app_with};

pub fn pipeline_input() -> Value {
    json!({
        "keyword": "espresso machine",
        "article_type": "review",
        "language": "en",
        "site_url": "https://espresso.example",
        "affiliate": {"network": "awin", "advertiser_id": "1234", "publisher_id": "5678", "target_url": "https://shop.example/espresso"}
    })
}

async fn wait_for_workflow(app: &crate::helpers::TestApp, token: &str, id: &str) -> Value {
    let started = Instant::now();
    loop {
        let workflow: Value = app
            .with(Method::GET, &format!("/api/v1/workflows/{id}"), token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if workflow["status"] != "running" {
            return workflow;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "{workflow}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_pipeline_runs_end_to_end_on_every_backend() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let token = app.admin_token().await;

        let response = app
            .with(Method::POST, "/api/v1/workflows", &token)
            .json(&json!({"kind": "page_pipeline", "input": pipeline_input()}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 202, "{backend:?}");
        let started: Value = response.json().await.unwrap();
        let done = wait_for_workflow(&app, &token, started["id"].as_str().unwrap()).await;

        assert_eq!(done["status"], "succeeded", "{done}");
        let steps = done["steps"].as_array().unwrap();
        let kinds: Vec<&str> = steps
            .iter()
            .map(|step| step["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "outline",
                "render_page",
                "audit_page",
                "build_affiliate_link"
            ]
        );
        assert!(
            steps
                .iter()
                .all(|step| step["status"] == "succeeded" && step["result"].is_object())
        );
        let output = &done["output"];
        assert!(
            output["html"].as_str().unwrap().contains("<!doctype html>")
                || output["html"].as_str().unwrap().contains("<!DOCTYPE html>")
        );
        assert!(
            output["affiliate_link"]["url"]
                .as_str()
                .unwrap()
                .starts_with("https://www.awin1.com/cread.php")
        );
        assert!(
            output["seo"]["score"].as_u64().unwrap() >= 80,
            "{}",
            output["seo"]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_a_workflow_cancels_its_pending_step() {
    // No content generator: the first step stays queued.
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.agents.content_generator = 0
    })
    .await;
    let token = app.admin_token().await;
    let started: Value = app
        .with(Method::POST, "/api/v1/workflows", &token)
        .json(&json!({"kind": "page_pipeline", "input": pipeline_input()}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = started["id"].as_str().unwrap();

    let cancelled: Value = app
        .with(
            Method::POST,
            &format!("/api/v1/workflows/{id}/cancel"),
            &token,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["steps"][0]["status"], "cancelled");
    assert_eq!(cancelled["steps"][1]["status"], "pending");
    problem(
        app.with(
            Method::POST,
            &format!("/api/v1/workflows/{id}/cancel"),
            &token,
        )
        .send()
        .await
        .unwrap(),
        409,
    )
    .await;
    let bad = app
        .with(Method::POST, "/api/v1/workflows", &token)
        .json(&json!({"kind": "nope", "input": {}}))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(bad, 422).await["errors"][0]["field"], "kind");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starting_a_workflow_respects_the_backlog_cap_on_every_backend() {
    for backend in backends() {
        // No content generator: the pipeline's first steps stay queued.
        let app = spawn_app_with(backend, |config| {
            config.agents.content_generator = 0;
            config.tasks.backlog_cap = 1;
        })
        .await;
        let token = app.admin_token().await;
        let start = || {
            app.with(Method::POST, "/api/v1/workflows", &token)
                .json(&json!({"kind": "page_pipeline", "input": pipeline_input()}))
                .send()
        };
        assert_eq!(start().await.unwrap().status(), 202, "{backend:?}");
        let refused = start().await.unwrap();
        assert_eq!(refused.headers()["retry-after"], "5", "{backend:?}");
        problem(refused, 429).await;
    }
}
