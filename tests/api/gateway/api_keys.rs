//! API key lifecycle: create, use both ways, list without secrets, revoke, and storage.

use std::time::{Duration, Instant};

use empire_schema::models::ApiKey;
use reqwest::Method;
use serde_json::Value;

use crate::helpers::auth::problem;
use crate::helpers::{TestBackend, backends, spawn_app, spawn_app_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_key_lifecycle_on_every_backend() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let token = app
            .user_with("scripter@test.local", &["agents.read", "websites.read"])
            .await;
        let (key, id) = app.api_key(&token, &["agents.read"]).await;
        assert!(key.starts_with("mfm_"));

        // Both header forms authenticate, with the key's scopes only.
        let bearer: Value = app
            .with(Method::GET, "/api/v1/auth/me", &key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            bearer["permissions"],
            serde_json::json!(["agents.read"]),
            "{backend:?}"
        );
        assert_eq!(bearer["credential"]["type"], "api_key");
        let header = app
            .client
            .get(app.url("/api/v1/auth/me"))
            .header("x-api-key", &key)
            .send()
            .await
            .unwrap();
        assert_eq!(header.status(), 200);

        // Listing shows the prefix, never the secret.
        let listed = app
            .with(Method::GET, "/api/v1/auth/api-keys", &token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let secret_part = &key[16..];
        assert!(!listed.contains(secret_part), "{listed}");
        let listed: Value = serde_json::from_str(&listed).unwrap();
        assert_eq!(listed["items"][0]["id"], id.as_str());
        assert!(listed["items"][0]["key"].is_null());
        assert!(
            listed["items"][0]["last_used_at"].is_string(),
            "use is recorded"
        );

        // Stored as a hash only.
        let row = ApiKey::get(&app.db, &id).await.unwrap();
        assert_eq!(row.key_hash.len(), 64);
        assert!(!row.key_hash.contains(secret_part) && row.key_hash != key);
        assert!(key.starts_with(&row.prefix));

        let revoked = app
            .with(
                Method::DELETE,
                &format!("/api/v1/auth/api-keys/{id}"),
                &token,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(revoked.status(), 204);
        problem(
            app.with(Method::GET, "/api/v1/auth/me", &key)
                .send()
                .await
                .unwrap(),
            401,
        )
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_typo_unknown_key_and_foreign_revocation_are_refused() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let owner = app.user_with("owner@test.local", &["agents.read"]).await;
    let other = app.user_with("other@test.local", &["agents.read"]).await;
    let (key, id) = app.api_key(&owner, &["agents.read"]).await;

    let mut typo: Vec<char> = key.chars().collect();
    typo[20] = if typo[20] == 'a' { 'b' } else { 'a' };
    let typo: String = typo.into_iter().collect();
    let body = problem(
        app.with(Method::GET, "/api/v1/auth/me", &typo)
            .send()
            .await
            .unwrap(),
        401,
    )
    .await;
    assert!(
        body["detail"].as_str().unwrap().contains("checksum"),
        "{body}"
    );

    let forged = empire::auth::api_key::generate().secret;
    problem(
        app.with(Method::GET, "/api/v1/auth/me", &forged)
            .send()
            .await
            .unwrap(),
        401,
    )
    .await;

    // Another user's key answers 404, like a missing one.
    let path = format!("/api/v1/auth/api-keys/{id}");
    problem(
        app.with(Method::DELETE, &path, &other)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    assert_eq!(
        app.with(Method::GET, "/api/v1/auth/me", &key)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scopes_must_be_a_subset_and_keys_cannot_mint_keys() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let reader = app.user_with("reader@test.local", &["agents.read"]).await;

    let too_wide = app
        .with(Method::POST, "/api/v1/auth/api-keys", &reader)
        .json(&serde_json::json!({"name": "x", "scopes": ["agents.manage"]}))
        .send()
        .await
        .unwrap();
    problem(too_wide, 403).await;
    let unknown = app
        .with(Method::POST, "/api/v1/auth/api-keys", &reader)
        .json(&serde_json::json!({"name": "x", "scopes": ["root"]}))
        .send()
        .await
        .unwrap();
    let body = problem(unknown, 422).await;
    assert_eq!(body["errors"][0]["field"], "scopes[0]");

    let (key, _) = app.api_key(&reader, &["agents.read"]).await;
    let minted = app
        .with(Method::POST, "/api/v1/auth/api-keys", &key)
        .json(&serde_json::json!({"name": "x", "scopes": ["agents.read"]}))
        .send()
        .await
        .unwrap();
    problem(minted, 403).await;
}

/// Two nodes on one database with their own in-process caches: a key revoked on one is
/// refused by the other within the credential cache period (at most 5 s).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_key_is_refused_on_another_node_within_the_cache_period() {
    let first = spawn_app(TestBackend::Sqlite).await;
    let shared_db = first.database_url.clone();
    let second = spawn_app_with(TestBackend::Sqlite, |config| {
        config.database.url = shared_db
    })
    .await;
    let token = first.admin_token().await;
    let (key, id) = first.api_key(&token, &["agents.read"]).await;
    assert_eq!(
        second
            .with(Method::GET, "/api/v1/auth/me", &key)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    first
        .with(
            Method::DELETE,
            &format!("/api/v1/auth/api-keys/{id}"),
            &token,
        )
        .send()
        .await
        .unwrap();
    let revoked_at = Instant::now();
    let mut status = 200;
    while revoked_at.elapsed() < Duration::from_secs(5) {
        status = second
            .with(Method::GET, "/api/v1/auth/me", &key)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        if status == 401 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        status, 401,
        "the other node still accepted the key after 5 s"
    );
}

/// The seed's `POST /api/v1/auth/api-key` is an alias: same answers, same permission, documented.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_singular_path_answers_like_the_plural_one() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let token = app.admin_token().await;
    let body = serde_json::json!({ "name": "seed client", "scopes": ["agents.read"] });
    let mut shapes = Vec::new();
    for path in ["/api/v1/auth/api-keys", "/api/v1/auth/api-key"] {
        let created = app
            .with(Method::POST, path, &token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201, "{path}");
        assert!(
            created.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/api/v1/auth/api-keys/")
        );
        let created: Value = created.json().await.unwrap();
        let mut keys: Vec<String> = created.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        shapes.push(keys);
        let key = created["key"].as_str().unwrap();
        let me = app
            .with(Method::GET, "/api/v1/auth/me", key)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), 200, "{path}");

        // An API key cannot mint keys on either path; bad input is the same 422.
        let refused = app
            .with(Method::POST, path, key)
            .json(&body)
            .send()
            .await
            .unwrap();
        problem(refused, 403).await;
        let invalid = app
            .with(Method::POST, path, &token)
            .json(&serde_json::json!({ "name": "x", "scopes": [] }))
            .send()
            .await
            .unwrap();
        assert_eq!(problem(invalid, 422).await["errors"][0]["field"], "scopes");
    }
    assert_eq!(shapes[0], shapes[1]);

    let doc: Value = app.get("/openapi.json").await.json().await.unwrap();
    let alias = &doc["paths"]["/api/v1/auth/api-key"]["post"];
    let canonical = &doc["paths"]["/api/v1/auth/api-keys"]["post"];
    assert_eq!(
        alias["x-required-permission"],
        canonical["x-required-permission"]
    );
    assert_eq!(alias["requestBody"], canonical["requestBody"]);
    assert_eq!(alias["responses"], canonical["responses"]);
    assert!(alias["description"].as_str().unwrap().contains("Alias"));
}
