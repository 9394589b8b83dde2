use reqwest::Method;
use serde_json::Value;

use crate::helpers::auth::problem;
use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, backends, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_me_and_logout_on_every_backend() {
    for backend in backends() {
        let app = spawn_app(backend).await;

        let response = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        assert_eq!(response.status(), 200, "{backend:?}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["token_type"], "bearer");
        assert_eq!(body["expires_in"], 86_400);
        assert_eq!(body["permissions"], serde_json::json!(["admin.full"]));
        let token = body["access_token"].as_str().unwrap().to_owned();
        assert_eq!(token.split('.').count(), 3);

        let me: Value = app
            .with(Method::GET, "/api/v1/auth/me", &token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["email"], ADMIN_EMAIL);
        assert_eq!(me["credential"]["type"], "jwt");

        let logout = app
            .with(Method::POST, "/api/v1/auth/logout", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(logout.status(), 204);
        let after = app
            .with(Method::GET, "/api/v1/auth/me", &token)
            .send()
            .await
            .unwrap();
        let body = problem(after, 401).await;
        assert!(
            body["detail"].as_str().unwrap().contains("revoked"),
            "{body}"
        );
        // A new login still works.
        app.admin_token().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_and_unknown_email_get_the_same_401() {
    let app = spawn_app(crate::helpers::TestBackend::Sqlite).await;

    let wrong = problem(app.login(ADMIN_EMAIL, "not the password").await, 401).await;
    let unknown = problem(
        app.login("nobody@test.local", "not the password").await,
        401,
    )
    .await;

    assert_eq!(wrong["detail"], unknown["detail"]);
}
