//! Bad input is refused naming the field; create, read, list, pause, resume and delete.

use reqwest::Method;
use serde_json::{Value, json};

use super::{create, get, list};
use crate::helpers::auth::problem;
use crate::helpers::{backends, spawn_app};

fn valid() -> Value {
    json!({
        "name": "link health",
        "cron": "0 3 * * *",
        "timezone": "Europe/Berlin",
        "task": {"agent": "monetization", "kind": "check_offers", "input": {}},
        "overlap": "skip",
    })
}

fn with(change: impl FnOnce(&mut Value)) -> Value {
    let mut body = valid();
    change(&mut body);
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_schedules_are_refused_naming_the_field_and_store_nothing() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let token = app.admin_token().await;
        let before = list(&app, &token).await.len();
        let cases: Vec<(Value, &str)> = vec![
            (with(|b| b["cron"] = json!("61 * * * *")), "cron"),
            (with(|b| b["cron"] = json!("* * *")), "cron"),
            (with(|b| b["cron"] = json!("0 0 0 1 1 * 2030")), "cron"),
            (with(|b| b["cron"] = json!("every day")), "cron"),
            (with(|b| b["timezone"] = json!("Mars/Olympus")), "timezone"),
            (with(|b| b["task"]["agent"] = json!("nobody")), "task.agent"),
            (with(|b| b["task"]["kind"] = json!("nope")), "task.kind"),
            (
                with(|b| b["task"]["input"] = json!({"limit": 0})),
                "task.input.limit",
            ),
            (
                with(|b| {
                    b.as_object_mut().unwrap().remove("task");
                    b["workflow"] = json!({"kind": "nope", "input": {}});
                }),
                "workflow.kind",
            ),
            (
                with(|b| {
                    b.as_object_mut().unwrap().remove("task");
                }),
                "task",
            ),
            (
                with(|b| b["workflow"] = json!({"kind": "page_pipeline", "input": {}})),
                "workflow",
            ),
            (with(|b| b["overlap"] = json!("sometimes")), "overlap"),
            (with(|b| b["name"] = json!("  ")), "name"),
            (with(|b| b["catch_up_s"] = json!(-1)), "catch_up_s"),
            (with(|b| b["colour"] = json!("blue")), "colour"),
            (
                with(|b| {
                    b.as_object_mut().unwrap().remove("cron");
                }),
                "cron",
            ),
        ];
        for (body, field) in cases {
            let response = app
                .with(Method::POST, "/api/v1/schedules", &token)
                .json(&body)
                .send()
                .await
                .unwrap();
            let problem = problem(response, 422).await;
            assert_eq!(problem["errors"][0]["field"], field, "{body} → {problem}");
        }
        assert_eq!(list(&app, &token).await.len(), before, "nothing stored");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schedules_are_created_listed_paused_resumed_and_deleted() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let token = app.admin_token().await;

        // The shipped defaults are there, paused, without a next run.
        let defaults = list(&app, &token).await;
        let names: Vec<&str> = defaults
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert!(names.contains(&"daily AWIN sync"), "{names:?}");
        assert!(names.contains(&"nightly link-health check"), "{names:?}");
        for default in &defaults {
            assert_eq!(default["paused"], true);
            assert!(default["next_run_at"].is_null());
        }

        let created = create(&app, &token, &valid()).await;
        let id = created["id"].as_str().unwrap().to_owned();
        assert_eq!(created["name"], "link health");
        assert_eq!(created["cron"], "0 3 * * *");
        assert_eq!(created["timezone"], "Europe/Berlin");
        assert_eq!(
            created["target"],
            json!({"type": "task", "agent": "monetization", "kind": "check_offers", "input": {}})
        );
        assert_eq!(created["overlap"], "skip");
        assert_eq!(created["catch_up_s"], 300);
        assert_eq!(created["paused"], false);
        assert!(created["last_run_at"].is_null());
        assert!(created["last_task_id"].is_null());
        let next = created["next_run_at"].as_str().unwrap();
        assert!(
            next.ends_with(":00:00Z"),
            "03:00 in Berlin is on the hour in UTC: {next}"
        );

        assert_eq!(get(&app, &token, &id).await["id"], id.as_str());
        let all = list(&app, &token).await;
        assert_eq!(all.len(), defaults.len() + 1);
        assert_eq!(all[0]["id"], id.as_str(), "newest first");

        // Paging like the other lists.
        let response = app
            .with(Method::GET, "/api/v1/schedules?limit=1", &token)
            .send()
            .await
            .unwrap();
        let page: Value = response.json().await.unwrap();
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
        let cursor = page["next_cursor"].as_str().unwrap();
        let response = app
            .with(
                Method::GET,
                &format!("/api/v1/schedules?limit=1&cursor={cursor}"),
                &token,
            )
            .send()
            .await
            .unwrap();
        let second: Value = response.json().await.unwrap();
        assert_ne!(second["items"][0]["id"], page["items"][0]["id"]);

        let paused: Value = app
            .with(
                Method::POST,
                &format!("/api/v1/schedules/{id}/pause"),
                &token,
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(paused["paused"], true);
        let resumed: Value = app
            .with(
                Method::POST,
                &format!("/api/v1/schedules/{id}/resume"),
                &token,
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(resumed["paused"], false);
        assert!(resumed["next_run_at"].is_string());

        // A default resumed gets its first tick.
        let default_id = defaults[0]["id"].as_str().unwrap();
        let resumed: Value = app
            .with(
                Method::POST,
                &format!("/api/v1/schedules/{default_id}/resume"),
                &token,
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(resumed["paused"], false);
        assert!(resumed["next_run_at"].is_string(), "{resumed}");

        let response = app
            .with(Method::DELETE, &format!("/api/v1/schedules/{id}"), &token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 204);
        for (method, path) in [
            (Method::GET, format!("/api/v1/schedules/{id}")),
            (Method::DELETE, format!("/api/v1/schedules/{id}")),
            (Method::POST, format!("/api/v1/schedules/{id}/pause")),
            (Method::POST, format!("/api/v1/schedules/{id}/resume")),
        ] {
            let response = app.with(method, &path, &token).send().await.unwrap();
            problem(response, 404).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reading_needs_agents_read_and_changing_agents_manage() {
    let app = spawn_app(crate::helpers::TestBackend::Sqlite).await;
    let reader = app.user_with("reader@test.local", &["agents.read"]).await;
    assert_eq!(list(&app, &reader).await.len(), 2);
    let response = app
        .with(Method::POST, "/api/v1/schedules", &reader)
        .json(&valid())
        .send()
        .await
        .unwrap();
    problem(response, 403).await;
    let manager = app
        .user_with("manager@test.local", &["agents.read", "agents.manage"])
        .await;
    create(&app, &manager, &valid()).await;
}
