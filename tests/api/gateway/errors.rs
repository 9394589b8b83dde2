//! Every class of bad input answers problem+json with the right status and changes nothing.

use empire_schema::models::User;
use reqwest::Method;

use crate::helpers::auth::problem;
use crate::helpers::{TestBackend, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_get_problem_json() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let admin = app.admin_token().await;
    let users = || app.with(Method::POST, "/api/v1/users", &admin);

    let malformed = users()
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    problem(malformed, 400).await;

    let wrong_type = users()
        .header("content-type", "text/plain")
        .body("email=x")
        .send()
        .await
        .unwrap();
    problem(wrong_type, 415).await;

    let huge = users()
        .header("content-type", "application/json")
        .body(vec![b' '; 300 * 1024])
        .send()
        .await
        .unwrap();
    problem(huge, 413).await;

    let extra_field = users()
        .json(&serde_json::json!({"email": "x@test.local", "password": "long enough pass", "is_admin": true}))
        .send()
        .await
        .unwrap();
    let body = problem(extra_field, 422).await;
    assert_eq!(body["errors"][0]["field"], "is_admin");

    let bad_email = users()
        .json(&serde_json::json!({"email": "nope", "password": "long enough pass"}))
        .send()
        .await
        .unwrap();
    let body = problem(bad_email, 422).await;
    assert_eq!(body["errors"][0]["field"], "email");

    for limit in ["0", "201", "abc"] {
        let listed = app
            .with(Method::GET, &format!("/api/v1/users?limit={limit}"), &admin)
            .send()
            .await
            .unwrap();
        let body = problem(listed, 422).await;
        assert_eq!(body["errors"][0]["field"], "limit", "limit={limit}");
    }

    problem(app.get("/api/v1/nothing-here").await, 404).await;
    let wrong_method = app
        .with(Method::PUT, "/api/v1/users", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.headers()["allow"], "POST, GET");
    problem(wrong_method, 405).await;

    assert_eq!(
        User::count(&app.db).await.unwrap(),
        1,
        "nothing was created"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_carry_security_headers_and_cors_is_closed_by_default() {
    let app = spawn_app(TestBackend::Sqlite).await;

    let response = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();

    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["content-security-policy"], "frame-ancestors 'none'");
    assert!(headers.contains_key("referrer-policy"));
    assert!(!headers.contains_key("access-control-allow-origin"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configured_origins_get_cors_headers() {
    let app = crate::helpers::spawn_app_with(TestBackend::Sqlite, |config| {
        config.http.cors_origins = vec!["https://app.example.com".into()];
    })
    .await;

    let preflight = app
        .client
        .request(Method::OPTIONS, app.url("/api/v1/auth/me"))
        .header("origin", "https://app.example.com")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap();

    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
}
