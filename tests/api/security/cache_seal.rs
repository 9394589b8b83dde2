//! Whoever can write to the cache cannot grant themselves permissions: cached key records and
//! grants carry a MAC only a node with the JWT secret can make, and a planted entry is ignored.

use std::time::Duration;

use empire_schema::cache::Space;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::auth::problem;
use crate::helpers::{backends, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_planted_api_key_record_is_ignored() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let admin = app.admin_token().await;
        let me: Value = app
            .with(Method::GET, "/api/v1/auth/me", &admin)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let admin_id = me["user_id"].as_str().unwrap().to_owned();

        // A key the attacker made up, with a record claiming it belongs to the admin.
        let forged = empire::auth::api_key::generate();
        let record = json!({
            "id": "forged", "user_id": admin_id, "key_hash": forged.hash,
            "scopes": ["admin.full"], "expires_at": null, "revoked": false,
        });
        app.cache
            .set(
                Space::Credentials,
                &format!("auth:key:{}", forged.prefix),
                &record.to_string(),
                Duration::from_secs(60),
            )
            .await
            .unwrap();

        let response = app
            .with(Method::GET, "/api/v1/users", &forged.secret)
            .send()
            .await
            .unwrap();
        problem(response, 401).await;
        let metrics = app.get("/metrics").await.text().await.unwrap();
        assert!(metrics.contains("auth_cache_rejected_total"), "{backend:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_planted_grant_does_not_raise_permissions() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let token = app.user_with("reader@test.local", &["agents.read"]).await;
        let me: Value = app
            .with(Method::GET, "/api/v1/auth/me", &token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let user_id = me["user_id"].as_str().unwrap();
        let grant = json!({ "email": "reader@test.local", "permissions": ["admin.full"] });
        app.cache
            .set(
                Space::Credentials,
                &format!("auth:user:{user_id}"),
                &grant.to_string(),
                Duration::from_secs(60),
            )
            .await
            .unwrap();

        let response = app
            .with(Method::GET, "/api/v1/users", &token)
            .send()
            .await
            .unwrap();
        problem(response, 403).await;
    }
}
