//! `research` through HTTP on the offline provider: findings attributed, a note stored, the
//! kind in the catalogue, bad input named.

use empire_schema::models::ResearchNote;
use reqwest::Method;
use serde_json::{Value, json};

use super::support::research;
use crate::helpers::auth::problem;
use crate::helpers::{backends, spawn_app, spawn_app_with};
use empire_actors::kinds::AgentId;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn research_answers_with_attributed_findings_and_stores_a_note() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let token = app.admin_token().await;
        let response = research(
            &app,
            &token,
            json!({"topic": "electric kettles", "language": "en", "depth": 2}),
        )
        .await;
        assert_eq!(response.status(), 200, "{backend:?}");
        let task_id = response.headers()["x-task-id"].to_str().unwrap().to_owned();
        let body: Value = response.json().await.unwrap();

        let findings = body["findings"].as_array().unwrap();
        assert!(!findings.is_empty(), "{body}");
        for finding in findings {
            assert_eq!(finding["providers"], json!(["local"]), "{finding}");
            assert_eq!(finding["models"], json!(["local-deterministic-v1"]));
        }
        assert_eq!(body["sources"][0]["provider"], "local");
        assert_eq!(body["sources"][0]["cost_micro_eur"], 0);

        let note = ResearchNote::find(&app.db, body["note_id"].as_str().unwrap())
            .await
            .unwrap();
        assert_eq!(note.topic, "electric kettles");
        assert_eq!(note.language, "en");
        assert_eq!(note.task_id.as_deref(), Some(task_id.as_str()));
        assert_eq!(note.body.0["findings"], body["findings"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kind_is_in_the_catalogue_and_bad_input_is_named() {
    let app = spawn_app(crate::helpers::TestBackend::Sqlite).await;
    let token = app.admin_token().await;
    let agents: Value = app
        .with(Method::GET, "/api/v1/agents", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let text = agents.to_string();
    assert!(text.contains("\"research\""), "{text}");
    assert!(
        text.contains("electric kettles"),
        "the example input is shown"
    );

    let response = research(
        &app,
        &token,
        json!({"topic": "x", "language": "fr", "depth": 9}),
    )
    .await;
    let body = problem(response, 422).await;
    assert!(
        body["detail"].as_str().unwrap().contains("language"),
        "{body}"
    );

    let response = app
        .with(
            Method::POST,
            "/api/v1/intelligence/research?wait_s=500",
            &token,
        )
        .json(&json!({"topic": "x", "language": "en", "depth": 1}))
        .send()
        .await
        .unwrap();
    let body = problem(response, 422).await;
    assert_eq!(body["errors"][0]["field"], "wait_s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_not_finished_in_time_answers_202_with_the_task() {
    // No scanner instance: the task stays queued, whatever the machine's speed.
    let app = spawn_app_with(crate::helpers::TestBackend::Sqlite, |config| {
        config.agents.set(AgentId::OpportunityScanner, 0);
    })
    .await;
    let token = app.admin_token().await;
    let response = app
        .with(
            Method::POST,
            "/api/v1/intelligence/research?wait_s=0",
            &token,
        )
        .json(&json!({"topic": "espresso machines", "language": "de", "depth": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        location,
        format!("/api/v1/tasks/{}", body["id"].as_str().unwrap())
    );
    assert_eq!(body["kind"], "research");
}
