//! Task lifecycle over HTTP on every backend: submit, run, idempotency, cancel, list, validation.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::auth::problem;
use crate::helpers::{TestBackend, backends, spawn_app, spawn_app_with};

fn audit() -> Value {
    json!({"kind": "audit_page", "input": {"html": "<html><head><title>Espresso machines</title></head><body><h1>Espresso</h1><p>espresso</p></body></html>", "keyword": "espresso"}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_runs_to_a_stored_result_on_every_backend() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let token = app.admin_token().await;

        let response = app.submit(&token, "seo_optimizer", &audit()).await;
        assert_eq!(response.status(), 202, "{backend:?}");
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let queued: Value = response.json().await.unwrap();
        assert_eq!(
            location,
            format!("/api/v1/tasks/{}", queued["id"].as_str().unwrap())
        );
        assert_eq!(queued["status"], "queued");

        let done = app
            .wait_for_task(
                &token,
                queued["id"].as_str().unwrap(),
                Duration::from_secs(10),
            )
            .await;
        assert_eq!(done["status"], "succeeded", "{done}");
        assert_eq!(done["attempts"], 1);
        let score = done["result"]["score"].as_u64().unwrap();
        assert!(score <= 100);
        assert!(
            done["result"]["failed"]
                .as_array()
                .unwrap()
                .iter()
                .any(|check| check == "content_length")
        );
        assert_eq!(done["lease_owner"], app.node_name());
        assert!(done["started_at"].is_string() && done["finished_at"].is_string());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotency_cancel_and_listing_on_every_backend() {
    for backend in backends() {
        // No instance of the SEO agent: its tasks stay queued.
        let app = spawn_app_with(backend, |config| config.agents.seo_optimizer = 0).await;
        let token = app.admin_token().await;
        let mut body = audit();
        body["idempotency_key"] = json!("page-42");

        let first = app.submit(&token, "seo_optimizer", &body).await;
        let again = app.submit(&token, "seo_optimizer", &body).await;
        assert_eq!(
            (first.status().as_u16(), again.status().as_u16()),
            (202, 200),
            "{backend:?}"
        );
        let (first, again): (Value, Value) =
            (first.json().await.unwrap(), again.json().await.unwrap());
        assert_eq!(first["id"], again["id"]);

        for _ in 0..3 {
            assert_eq!(
                app.submit(&token, "seo_optimizer", &audit()).await.status(),
                202
            );
        }
        let id = first["id"].as_str().unwrap();
        let cancelled = app
            .with(Method::POST, &format!("/api/v1/tasks/{id}/cancel"), &token)
            .send()
            .await
            .unwrap();
        assert_eq!(cancelled.status(), 200);
        assert_eq!(
            cancelled.json::<Value>().await.unwrap()["status"],
            "cancelled"
        );
        problem(
            app.with(Method::POST, &format!("/api/v1/tasks/{id}/cancel"), &token)
                .send()
                .await
                .unwrap(),
            409,
        )
        .await;

        let page: Value = app
            .with(
                Method::GET,
                "/api/v1/tasks?agent=seo_optimizer&status=queued&limit=2",
                &token,
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(page["items"].as_array().unwrap().len(), 2);
        let cursor = page["next_cursor"].as_str().unwrap();
        let rest: Value = app
            .with(
                Method::GET,
                &format!("/api/v1/tasks?agent=seo_optimizer&status=queued&limit=2&cursor={cursor}"),
                &token,
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(rest["items"].as_array().unwrap().len(), 1);
        assert!(rest["next_cursor"].is_null());
        problem(
            app.with(Method::GET, "/api/v1/tasks?status=bogus", &token)
                .send()
                .await
                .unwrap(),
            422,
        )
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_submissions_get_404_and_422_and_change_nothing() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let token = app.admin_token().await;

    problem(app.submit(&token, "nobody", &audit()).await, 404).await;
    let unknown = problem(
        app.submit(
            &token,
            "seo_optimizer",
            &json!({"kind": "fly", "input": {}}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(unknown["errors"][0]["field"], "kind");
    assert!(
        unknown["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("audit_page"),
        "{unknown}"
    );

    let bad_input = json!({"kind": "score_keywords", "input": {"keywords": [{"keyword": "x", "monthly_volume": 10, "cpc_eur": 1.0, "difficulty": 120}]}});
    let body = problem(
        app.submit(&token, "opportunity_scanner", &bad_input).await,
        422,
    )
    .await;
    assert_eq!(
        body["errors"][0]["field"], "input.keywords[0].difficulty",
        "{body}"
    );

    let mut out_of_range = audit();
    out_of_range["max_attempts"] = json!(0);
    let body = problem(
        app.submit(&token, "seo_optimizer", &out_of_range).await,
        422,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "max_attempts");

    let listed: Value = app
        .with(Method::GET, "/api/v1/tasks", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        listed["items"].as_array().unwrap().is_empty(),
        "nothing was stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_backlog_answers_429_with_retry_after() {
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.agents.seo_optimizer = 0;
        config.tasks.backlog_cap = 2;
    })
    .await;
    let token = app.admin_token().await;

    assert_eq!(
        app.submit(&token, "seo_optimizer", &audit()).await.status(),
        202
    );
    assert_eq!(
        app.submit(&token, "seo_optimizer", &audit()).await.status(),
        202
    );
    let refused = app.submit(&token, "seo_optimizer", &audit()).await;

    assert_eq!(refused.headers()["retry-after"], "5");
    problem(refused, 429).await;
    // Other agents are not held back.
    let other = json!({"kind": "outline", "input": {"keyword": "espresso", "article_type": "guide", "language": "en"}});
    assert_eq!(
        app.submit(&token, "content_generator", &other)
            .await
            .status(),
        202
    );
}
