//! Idempotency keys over HTTP on every backend: scoped to the principal and the agent, refused
//! when reused with a different request, and the internal `workflow:` prefix reserved.

use serde_json::{Value, json};

use crate::helpers::auth::problem;
use crate::helpers::{backends, spawn_app_with};

fn audit(keyword: &str, key: &str) -> Value {
    json!({"kind": "audit_page", "input": {"html": "<h1>Espresso</h1>", "keyword": keyword}, "idempotency_key": key})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotency_keys_are_per_principal_and_agent_and_bound_to_their_request() {
    for backend in backends() {
        // No instances: tasks stay queued.
        let app = spawn_app_with(backend, |config| {
            config.agents.seo_optimizer = 0;
            config.agents.monetization = 0;
        })
        .await;
        let admin = app.admin_token().await;
        let other = app
            .user_with("other@test.local", &["agents.read", "agents.manage"])
            .await;

        let first = app
            .submit(&admin, "seo_optimizer", &audit("espresso", "page-1"))
            .await;
        assert_eq!(first.status(), 202, "{backend:?}");
        let first: Value = first.json().await.unwrap();
        assert_eq!(
            first["idempotency_key"], "page-1",
            "the client's key, as given"
        );
        let again = app
            .submit(&admin, "seo_optimizer", &audit("espresso", "page-1"))
            .await;
        assert_eq!(again.status(), 200);
        assert_eq!(again.json::<Value>().await.unwrap()["id"], first["id"]);

        // Another principal with the same key gets its own task.
        let theirs = app
            .submit(&other, "seo_optimizer", &audit("espresso", "page-1"))
            .await;
        assert_eq!(theirs.status(), 202, "{backend:?}");
        let theirs: Value = theirs.json().await.unwrap();
        assert_ne!(theirs["id"], first["id"]);

        // The same key with a different request is a conflict, and changes nothing.
        let changed = app
            .submit(&admin, "seo_optimizer", &audit("grinder", "page-1"))
            .await;
        let body = problem(changed, 409).await;
        assert!(
            body["detail"].as_str().unwrap().contains("page-1"),
            "{body}"
        );
        let task = app.task(&admin, first["id"].as_str().unwrap()).await;
        assert_eq!(task["input"]["keyword"], "espresso");

        // The runtime's own prefix is not the client's.
        let reserved = app
            .submit(
                &admin,
                "seo_optimizer",
                &audit("espresso", "workflow:x:step:0"),
            )
            .await;
        let body = problem(reserved, 422).await;
        assert_eq!(body["errors"][0]["field"], "idempotency_key", "{body}");
    }
}
