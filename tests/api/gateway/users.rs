//! User management by an admin, and a permission change reaching existing tokens.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::auth::problem;
use crate::helpers::{backends, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_create_list_and_update_users() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let admin = app.admin_token().await;
        let editor = app.user_with("editor@test.local", &["websites.read"]).await;

        let listed: Value = app
            .with(Method::GET, "/api/v1/users?limit=1", &admin)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{backend:?}");
        assert!(listed["next_cursor"].is_string());
        assert!(
            !listed.to_string().contains("password"),
            "no hash is ever shown: {listed}"
        );

        problem(
            app.with(Method::GET, "/api/v1/users", &editor)
                .send()
                .await
                .unwrap(),
            403,
        )
        .await;
        let duplicate = app
            .with(Method::POST, "/api/v1/users", &admin)
            .json(&json!({"email": "editor@test.local", "password": "another long password"}))
            .send()
            .await
            .unwrap();
        problem(duplicate, 409).await;

        let me: Value = app
            .with(Method::GET, "/api/v1/auth/me", &editor)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = me["user_id"].as_str().unwrap().to_owned();
        let promoted = app
            .with(Method::PATCH, &format!("/api/v1/users/{id}"), &admin)
            .json(&json!({"permissions": ["websites.read", "agents.manage"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(promoted.status(), 200);
        let body: Value = promoted.json().await.unwrap();
        assert_eq!(
            body["permissions"],
            json!(["agents.manage", "websites.read"])
        );

        // The editor's existing token carries the new permissions (this node forgot its cache).
        tokio::time::sleep(Duration::from_millis(50)).await;
        let me: Value = app
            .with(Method::GET, "/api/v1/auth/me", &editor)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["permissions"], json!(["agents.manage", "websites.read"]));

        let missing = app
            .with(Method::PATCH, "/api/v1/users/nope", &admin)
            .json(&json!({"name": "x"}))
            .send()
            .await
            .unwrap();
        problem(missing, 404).await;
    }
}
