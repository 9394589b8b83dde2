//! The rows every server in the http bench lists, written once through the store.

use std::time::Duration;

use serde_json::json;

use crate::ROWS;

/// The rows both servers list: tasks shaped like the website factory's audits.
pub fn seed(database: &str) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        use empire_schema::models::{Created, NewTask, Task, TaskChanges};
        use empire_schema::{AgentId, DatabaseUrl, Db, DbOptions, Json, TaskStatus, migrate};
        let url: DatabaseUrl = database.parse().unwrap();
        migrate::run_pending(&url).await.unwrap();
        let db = Db::connect(&DbOptions {
            url,
            pool_size: 1,
            connect_timeout: Duration::from_secs(10),
        })
        .await
        .unwrap();
        for i in 0..ROWS {
            let input = json!({
                "website_id": "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
                "path": format!("/guides/best-espresso-machine-{i}/"),
                "checks": ["title", "description", "canonical", "headings", "links", "images"],
            });
            let Created::New(task) = Task::create(
                &db,
                NewTask {
                    agent: AgentId::SeoOptimizer,
                    kind: "audit_page".into(),
                    input,
                    priority: 0,
                    max_attempts: 3,
                    timeout_ms: 60_000,
                    idempotency_key: None,
                    workflow_id: None,
                },
            )
            .await
            .unwrap() else {
                unreachable!()
            };
            let result = json!({
                "score": 87, "words": 1_240, "issues": [
                    {"check": "description", "detail": "162 characters; keep it under 160"},
                    {"check": "images", "detail": "2 pictures without width and height"},
                ],
                "links": {"internal": 14, "external": 3, "sponsored": 2},
            });
            Task::update(
                &db,
                &task.id,
                &TaskChanges {
                    status: Some(TaskStatus::Succeeded),
                    result: Some(Some(Json(result))),
                    finished_at: Some(Some(empire_schema::clock::now())),
                    ..TaskChanges::default()
                },
            )
            .await
            .unwrap();
        }
    });
}
