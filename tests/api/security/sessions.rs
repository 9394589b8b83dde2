//! User management needs a login token, not an API key; a password change or a permission
//! reduction ends the user's existing login tokens.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::auth::problem;
use crate::helpers::{backends, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_api_key_cannot_manage_users() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let admin = app.admin_token().await;
        let (key, _) = app.api_key(&admin, &["admin.full"]).await;
        let body = json!({ "email": "x@test.local", "password": "a long password 1" });
        let response = app
            .with(Method::POST, "/api/v1/users", &key)
            .json(&body)
            .send()
            .await
            .unwrap();
        problem(response, 403).await;
        let me: Value = app
            .with(Method::GET, "/api/v1/auth/me", &admin)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let path = format!("/api/v1/users/{}", me["user_id"].as_str().unwrap());
        let response = app
            .with(Method::PATCH, &path, &key)
            .json(&json!({ "password": "the attacker's password" }))
            .send()
            .await
            .unwrap();
        problem(response, 403).await;
        let response = app
            .with(Method::POST, "/api/v1/users", &admin)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{backend:?}");
    }
}

async fn user_id(app: &crate::helpers::TestApp, token: &str) -> String {
    let me: Value = app
        .with(Method::GET, "/api/v1/auth/me", token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    me["user_id"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_or_demotion_ends_existing_tokens() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let admin = app.admin_token().await;
        let old = app
            .user_with("ed@test.local", &["agents.read", "agents.manage"])
            .await;
        let path = format!("/api/v1/users/{}", user_id(&app, &old).await);
        let patch = |body: Value| {
            let request = app.with(Method::PATCH, &path, &admin).json(&body);
            async move { request.send().await.unwrap().status() }
        };

        // More permissions keep the session.
        let more = json!({ "permissions": ["agents.read", "agents.manage", "websites.read"] });
        assert_eq!(patch(more).await, 200);
        let response = app.with(Method::GET, "/api/v1/agents", &old).send().await;
        assert_eq!(response.unwrap().status(), 200, "{backend:?}");

        // Fewer end it.
        assert_eq!(patch(json!({ "permissions": ["agents.read"] })).await, 200);
        let response = app.with(Method::GET, "/api/v1/agents", &old).send().await;
        problem(response.unwrap(), 401).await;

        // A new login works at once; a password change then ends that one.
        let fresh = app.token_for("ed@test.local", "user password 123").await;
        let response = app.with(Method::GET, "/api/v1/agents", &fresh).send().await;
        assert_eq!(response.unwrap().status(), 200, "{backend:?}");
        assert_eq!(
            patch(json!({ "password": "a brand new password" })).await,
            200
        );
        let response = app.with(Method::GET, "/api/v1/agents", &fresh).send().await;
        problem(response.unwrap(), 401).await;
        let after = app.token_for("ed@test.local", "a brand new password").await;
        let response = app.with(Method::GET, "/api/v1/agents", &after).send().await;
        assert_eq!(response.unwrap().status(), 200, "{backend:?}");
    }
}
