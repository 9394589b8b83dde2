//! The agents API: instances, queues, and discoverable kinds with schemas and examples.

use reqwest::Method;
use serde_json::Value;

use crate::helpers::auth::problem;
use crate::helpers::{TestBackend, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_list_instances_and_kinds_whose_examples_run() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let token = app.admin_token().await;

    let agents: Value = app
        .with(Method::GET, "/api/v1/agents", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let agents = agents.as_array().unwrap();
    assert_eq!(agents.len(), 5);
    for agent in agents {
        let id = agent["id"].as_str().unwrap();
        assert_eq!(agent["instances"].as_array().unwrap().len(), 2, "{id}");
        assert_eq!(agent["instances"][0]["status"], "idle");
        assert!(agent["queue"]["queued"].is_number());
        let kinds = agent["kinds"].as_array().unwrap();
        assert!(!kinds.is_empty(), "{id}");
        for kind in kinds {
            assert!(kind["input_schema"].is_object());
            // The advertised example is accepted and runs.
            let body = serde_json::json!({"kind": kind["kind"], "input": kind["example_input"]});
            let task = app.submit_task(&token, id, &body).await;
            // The website factory's kinds work on a stored site, and an import on a stored
            // upload, which the example only names: here it can show that the example is
            // accepted, then the task is cancelled.
            let needs_row = kind["input_schema"]["required"]
                .as_array()
                .is_some_and(|required| {
                    required.contains(&serde_json::json!("website_id"))
                        || required.contains(&serde_json::json!("upload_id"))
                });
            if needs_row {
                let cancelled = app
                    .with(
                        Method::POST,
                        &format!("/api/v1/tasks/{task}/cancel"),
                        &token,
                    )
                    .send()
                    .await
                    .unwrap();
                assert!([200, 409].contains(&cancelled.status().as_u16()));
                continue;
            }
            let done = app.wait_task(&token, &task).await;
            assert_eq!(done["status"], "succeeded", "{id}/{}: {done}", kind["kind"]);
        }
    }

    let one: Value = app
        .with(Method::GET, "/api/v1/agents/monetization/status", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(one["id"], "monetization");
    let processed: u64 = one["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["processed"].as_u64().unwrap())
        .sum();
    assert!(processed >= 1, "{one}");
    problem(
        app.with(Method::GET, "/api/v1/agents/nobody/status", &token)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
}
